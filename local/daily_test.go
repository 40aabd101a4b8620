package local_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/tracking/embedded"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
	"github.com/pltv/pltv/workflows/engine"
)

// stubModel deploys and undeploys at once and predicts 10 for every row.
type stubModel struct {
	mu        sync.Mutex
	state     model.State
	undeploys int
}

func (m *stubModel) Deploy(context.Context) error { m.set(model.Deployed); return nil }
func (m *stubModel) Undeploy(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state == model.Deployed {
		m.state, m.undeploys = model.Undeployed, m.undeploys+1
	}
	return nil
}
func (m *stubModel) State(context.Context) (model.Status, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return model.Status{State: m.state}, nil
}
func (m *stubModel) Predict(_ context.Context, in model.Instances) ([]model.Prediction, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state != model.Deployed {
		return nil, model.ErrNotDeployed
	}
	out := make([]model.Prediction, len(in.Rows))
	for i := range out {
		out[i] = model.Prediction{Value: 10}
	}
	return out, nil
}
func (m *stubModel) BatchPredict(context.Context, model.BatchJob) (model.BatchResult, error) {
	return model.BatchResult{}, model.ErrUnsupported
}
func (m *stubModel) Close() error { return nil }
func (m *stubModel) set(s model.State) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.state = s
}

type stubModels struct{ m model.Model }

func (s stubModels) Open(context.Context, pipeline.Model) (model.Model, error) { return s.m, nil }

// TestServeDailyWorkflowOnlineRetail runs days of Online Retail through the whole flow on one machine: the
// services and the router up to the start of workflows/daily.yaml, which the local engine runs against the
// predict and model services over the HTTP contract, on a fake clock that makes its idle wait free. Every
// date's workflow succeeds, predicts every new customer, and the model ends stopped.
func TestServeDailyWorkflowOnlineRetail(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	clock := engine.NewFakeClock(time.Date(2024, 5, 2, 5, 0, 0, 0, time.UTC))
	jobs := local.NewJobEvents("", "", nil)
	wh, err := duckdb.Open("", duckdb.WithJobHook(jobs.Hook), duckdb.WithJobPrefix(config.Default().JobPrefix()))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.MaxPredictionBatchSize = 40
	rt, err := local.Open(ctx, cfg, local.Options{StateDir: t.TempDir(), WH: wh, Tracking: embedded.NewMemory(), Now: clock.Now,
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	if _, err := rt.Init(ctx, sourceDir(t, "2010-12-01", "2010-12-02")); err != nil {
		t.Fatal(err)
	}
	m := &stubModel{}
	rt.Pipeline.Predictor.Models = stubModels{m}
	srv, err := local.Serve(ctx, rt, local.ServeOptions{Jobs: jobs, Models: stubModels{m}, EngineClock: clock, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	results, err := srv.Backfill(ctx, "20101202", "20101203")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Outcome != services.Started {
			t.Fatalf("%s: %s %s (%s)", r.Date, r.Stage, r.Outcome, r.Reason)
		}
		x, err := executions.Wait(ctx, srv.Executions, r.Reason, time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if x.State != executions.StateSucceeded {
			t.Fatalf("%s: workflow %s: %+v", r.Date, x.State, x.Error)
		}
		var got struct {
			Date      string
			Rows      int64
			Predicted int64
			Failed    int64
			Batches   int
			Table     string
		}
		if err := json.Unmarshal([]byte(x.Result), &got); err != nil {
			t.Fatal(err)
		}
		rows := newCustomerRows(t, rt, []string{r.Date})[r.Date]
		info, err := rt.WH.Table(ctx, rt.Config.LTVDataset().Shard(pipeline.Predictions, r.Date))
		if err != nil {
			t.Fatal(err)
		}
		type summary struct {
			Rows, Predicted, Written int64
			Batches                  int
		}
		want := summary{Rows: rows, Predicted: rows, Written: rows, Batches: int((rows + 39) / 40)}
		if diff := cmp.Diff(want, summary{got.Rows, got.Predicted, info.Rows, got.Batches}); diff != "" || rows == 0 || info.State != warehouse.HasRows {
			t.Errorf("%s: workflow result %s (-want +got):\n%s", r.Date, x.Result, diff)
		}
	}
	if st, _ := m.State(ctx); st.State != model.Undeployed || m.undeploys == 0 {
		t.Errorf("the model is %s after the workflows, undeployed %d times", st.State, m.undeploys)
	}
}
