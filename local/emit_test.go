package local_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// published records the events published.
type published struct {
	mu     sync.Mutex
	events []event.Event
	one    chan struct{} // a token per event
}

func newPublished() *published { return &published{one: make(chan struct{}, 100)} }

func (p *published) Publish(_ context.Context, e event.Event) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, e)
	p.one <- struct{}{}
	return 1, nil
}

// wait waits for n events, the extract worker running apart.
func (p *published) wait(t *testing.T, n int) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for i := range n {
		select {
		case <-p.one:
		case <-timeout:
			t.Fatalf("%d events, want %d", i, n)
		}
	}
}

func (p *published) all() []event.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]event.Event(nil), p.events...)
}

func TestJobEvents(t *testing.T) {
	ctx := context.Background()
	jobs := local.NewJobEvents("pltv-demo", "EU", nil)
	wh, err := duckdb.Open("", duckdb.WithJobHook(jobs.Hook), duckdb.WithJobPrefix(config.Default().JobPrefix()))
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	dest := warehouse.Ref{Dataset: "pltv", Table: "prepared_daily_transactions_20101201"}
	labels := warehouse.JobLabels("demo", pipeline.StagePrepare, "20101201")
	if _, err := wh.Query(ctx, warehouse.QueryJob{SQL: "SELECT 1 AS x", Destination: &dest, Labels: labels}); err != nil {
		t.Fatal(err)
	}
	pub := newPublished()
	jobs.Connect(pub) // jobs before are not heard of, as without an Eventarc trigger
	if _, err := wh.Query(ctx, warehouse.QueryJob{SQL: "SELECT 1 AS x", Destination: &dest, Labels: labels}); err != nil {
		t.Fatal(err)
	}
	if _, err := wh.Query(ctx, warehouse.QueryJob{SQL: "SELECT nope FROM nowhere", Destination: &dest, Labels: labels}); err == nil {
		t.Fatal("a bad query ran")
	}
	got := pub.all()
	if len(got) != 2 {
		t.Fatalf("%d events, want 2", len(got))
	}
	type view struct {
		Type, Method, Stage, Date, Table string
		Succeeded                        bool
	}
	var views []view
	for _, e := range got {
		j, err := events.DecodeJobDone(e)
		if err != nil {
			t.Fatal(err)
		}
		r, err := events.RouteOf(j.Labels)
		if err != nil {
			t.Fatal(err)
		}
		method, _ := e.Extensions()[events.ExtMethodName].(string)
		views = append(views, view{e.Type(), method, r.Stage, r.Date, j.Destination.String(), j.Succeeded()})
		if j.Job.Project != "pltv-demo" || j.Job.Location != "EU" || !j.Finished() {
			t.Errorf("job %+v", j.Job)
		}
	}
	want := []view{
		{events.TypeAuditLogWritten, events.MethodInsertJob, "prepare", "20101201", "pltv-demo.pltv.prepared_daily_transactions_20101201", true},
		{events.TypeAuditLogWritten, events.MethodInsertJob, "prepare", "20101201", "pltv-demo.pltv.prepared_daily_transactions_20101201", false},
	}
	if diff := cmp.Diff(want, views); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestExtractorNotifies(t *testing.T) {
	rt := openRuntime(t, config.Default(), nil, "2010-12-01")
	pub := newPublished()
	x := local.NewExtractor(rt, pub, func() time.Time { return time.Date(2024, 5, 2, 5, 0, 0, 0, time.UTC) })
	runs, err := x.StartRuns(context.Background(), []string{"20101202", "20101203"})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 {
		t.Fatalf("runs %v", runs)
	}
	pub.wait(t, 2)
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	for _, e := range pub.all() {
		n, err := events.DecodeTransferRun(e)
		if err != nil {
			t.Fatal(err)
		}
		table, err := n.Run.DestinationTable()
		if err != nil {
			t.Fatal(err)
		}
		if !n.Run.Succeeded() || table.Table != "all_daily_transactions_"+n.Run.RunDate() || n.Run.Params.Query == "" {
			t.Errorf("run %+v", n.Run)
		}
	}
	if _, err := x.StartRuns(context.Background(), []string{"20101204"}); err == nil {
		t.Error("a closed extractor started a run")
	}
	if _, err := local.NewExtractor(rt, pub, nil).StartRuns(context.Background(), []string{"2010-12-04"}); err == nil {
		t.Error("a date that does not parse was accepted")
	}
}

func TestExtractorReportsFailure(t *testing.T) {
	cfg := config.Default()
	cfg.BQDataSourceIsSharded = false // the source table does not exist unsharded: the extract fails
	rt := openRuntime(t, config.Default(), nil, "2010-12-01")
	rt.SQL = mustSQL(t, cfg)
	rt.Pipeline.SQL = rt.SQL
	pub := newPublished()
	x := local.NewExtractor(rt, pub, nil)
	if _, err := x.StartRuns(context.Background(), []string{"20101202"}); err != nil {
		t.Fatal(err)
	}
	pub.wait(t, 1)
	x.Close()
	n, err := events.DecodeTransferRun(pub.all()[0])
	if err != nil {
		t.Fatal(err)
	}
	if n.Run.State != events.TransferFailed || n.Run.Err == nil {
		t.Errorf("run %s %v, want FAILED with its error", n.Run.State, n.Run.Err)
	}
}

func mustSQL(t *testing.T, cfg config.Config) *hooks.SQL {
	t.Helper()
	s, err := local.LoadSQL(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
