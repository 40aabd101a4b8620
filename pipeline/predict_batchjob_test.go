package pipeline_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// jobModel is a model whose batch jobs run for polls checks before they succeed, writing the source's
// rows with predicted_value = basket_value × 2, as a long-running batch prediction service would.
type jobModel struct {
	fakeModel
	wh    warehouse.Warehouse
	polls int
	fail  bool

	mu      sync.Mutex
	started map[string]string // labels' date → job
	jobs    map[string]*startedJob
	creates int
}

type startedJob struct {
	job    model.BatchJob
	checks int
}

var _ model.BatchStarter = (*jobModel)(nil)

func (m *jobModel) StartBatch(_ context.Context, job model.BatchJob) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	date := job.Labels["pltv_date"]
	if name, ok := m.started[date]; ok {
		return name, nil
	}
	m.creates++
	name := "jobs/" + date
	m.started[date] = name
	m.jobs[name] = &startedJob{job: job}
	return name, nil
}

func (m *jobModel) BatchStatus(ctx context.Context, name string) (model.BatchStatus, error) {
	m.mu.Lock()
	j := m.jobs[name]
	j.checks++
	checks := j.checks
	m.mu.Unlock()
	switch {
	case checks <= m.polls:
		return model.BatchStatus{Name: name, State: model.BatchRunning}, nil
	case m.fail:
		return model.BatchStatus{Name: name, State: model.BatchFailed, Reason: "JOB_STATE_FAILED: quota"}, nil
	}
	out := j.job.Destination.Table("batch_output_" + j.job.Labels["pltv_date"])
	if checks == m.polls+1 {
		q := "SELECT *, basket_value * 2 AS predicted_value FROM `" + j.job.Source.String() + "`"
		if _, err := m.wh.Query(ctx, warehouse.QueryJob{SQL: q, Destination: &out, Write: warehouse.WriteTruncate}); err != nil {
			return model.BatchStatus{}, err
		}
	}
	return model.BatchStatus{Name: name, State: model.BatchSucceeded, Result: model.BatchResult{Predictions: out, Succeeded: 10}}, nil
}

// completions counts the completion hook's runs.
type completions struct {
	hooks.Base
	mu sync.Mutex
	n  int
}

func (c *completions) OnCompletion(context.Context, hooks.Completion) error {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return nil
}

func TestBatchModeStartAndCheck(t *testing.T) {
	h := &completions{}
	m := &jobModel{polls: 2, started: map[string]string{}, jobs: map[string]*startedJob{}}
	rt, _ := predictRuntime(t, h, m, 10, 4)
	m.wh = rt.WH
	ctx := context.Background()
	p := rt.Pipeline

	var st pipeline.BatchModeStatus
	for range 2 { // a retried start finds the job
		var err error
		if st, err = p.StartBatchMode(ctx, day); err != nil {
			t.Fatal(err)
		}
	}
	if st.Job != "jobs/"+day || st.Done || m.creates != 1 {
		t.Fatalf("start = %+v with %d jobs created, want one running job", st, m.creates)
	}
	for i := 0; !st.Done; i++ {
		if i > 5 {
			t.Fatal("the job never finished")
		}
		var err error
		if st, err = p.CheckBatchMode(ctx, day, st.Job); err != nil {
			t.Fatal(err)
		}
	}
	if st.Result.Rows != 10 {
		t.Errorf("done with %+v, want 10 rows", st.Result)
	}
	got := readPredictions(t, rt, pipeline.Predictions)
	if len(got) != 10 || got["o0003"] != 6 {
		t.Errorf("predictions %v, want 10 with o0003 at 6", got)
	}
	// The answer was lost and the check retried: the output is gone, the predictions are found done.
	again, err := p.CheckBatchMode(ctx, day, st.Job)
	if err != nil || !again.Done || again.Result.Rows != 10 {
		t.Errorf("a retried check = %+v, %v; want done with 10 rows", again, err)
	}
	if info, err := rt.WH.Table(ctx, rt.Config.LTVDataset().Table("batch_output_"+day)); err != nil || info.State != warehouse.Missing {
		t.Errorf("the job's output table is left: %+v, %v", info, err)
	}
	if h.n != 0 {
		t.Errorf("the completion hook ran %d times in start and check; the workflow runs it, once", h.n)
	}
}

func TestBatchModeFailedJob(t *testing.T) {
	m := &jobModel{fail: true, started: map[string]string{}, jobs: map[string]*startedJob{}}
	rt, _ := predictRuntime(t, hooks.Base{}, m, 10, 4)
	m.wh = rt.WH
	ctx := context.Background()
	st, err := rt.Pipeline.StartBatchMode(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Pipeline.CheckBatchMode(ctx, day, st.Job); !errors.Is(err, pipeline.ErrBatchJobFailed) {
		t.Errorf("check of a failed job: %v, want ErrBatchJobFailed", err)
	}
}
