package predictstart_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/internal/jobevent"
	"github.com/pltv/pltv/services/internal/servicetest"
	"github.com/pltv/pltv/services/middleware"
	"github.com/pltv/pltv/services/predictstart"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/warehouse"
)

type fixture struct {
	tracker  *tracking.Tracker
	x        *servicetest.Executions
	service  *predictstart.Service
	progress *servicetest.Progress
	url      string
	ledger   *servicetest.CountingLedger // the events the middleware recorded
}

func newFixture(t *testing.T, limit int) *fixture {
	t.Helper()
	clock := servicetest.NewClock(time.Date(2024, 5, 2, 6, 0, 0, 0, time.UTC))
	f := &fixture{tracker: servicetest.Tracker(t, clock.Now), x: &servicetest.Executions{}, progress: &servicetest.Progress{}}
	log := servicetest.Log(t)
	svc, err := predictstart.New(predictstart.Config{Scope: servicetest.Scope, Executions: f.x, Tracker: f.tracker,
		Limit: limit, Delay: time.Minute, Progress: f.progress, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	f.service = svc
	f.ledger = &servicetest.CountingLedger{Ledger: f.tracker}
	mws := append([]services.Middleware{jobevent.Ours(log, servicetest.Scope, pipeline.StageFilter)},
		middleware.Default(log, f.ledger, "predictstart")...)
	f.url = servicetest.Server(t, services.Chain(svc.Handle, mws...)).URL
	return f
}

func filterDone(date, jobID string, mutate func(*events.JobDone)) events.JobDone {
	end := time.Date(2024, 5, 2, 5, 2, 0, 0, time.UTC)
	j := events.JobDone{
		Job:         events.JobRef{Project: "pltv-demo", ID: servicetest.JobID(pipeline.StageFilter, date, jobID)},
		Kind:        events.KindQuery,
		Destination: warehouse.Ref{Dataset: "pltv", Table: "prepared_new_customers_daily_transactions_" + date},
		Labels:      warehouse.JobLabels("demo", pipeline.StageFilter, date),
		StartTime:   end.Add(-time.Second), EndTime: end,
	}
	if mutate != nil {
		mutate(&j)
	}
	return j
}

func (f *fixture) send(t *testing.T, j events.JobDone, legacy bool) int {
	t.Helper()
	build := events.NewJobDoneEvent
	if legacy {
		build = events.NewLegacyJobDoneEvent
	}
	e, err := build(j)
	if err != nil {
		t.Fatal(err)
	}
	return servicetest.Send(t, f.url, e)
}

func TestStartsTheDailyWorkflow(t *testing.T) {
	tests := []struct {
		name   string
		events []events.JobDone
		legacy bool
		want   []string
	}{
		{"a filter job done starts the workflow for its date", []events.JobDone{filterDone("20101202", "j1", nil)}, false, []string{`{"date":"20101202"}`}},
		{"in the legacy format too", []events.JobDone{filterDone("20101202", "j1", nil)}, true, []string{`{"date":"20101202"}`}},
		{"a redelivery starts nothing more", []events.JobDone{filterDone("20101202", "j1", nil), filterDone("20101202", "j1", nil)}, false, []string{`{"date":"20101202"}`}},
		{"a re-run filter while the date is in flight starts no second workflow", []events.JobDone{filterDone("20101202", "j1", nil), filterDone("20101202", "j2", nil)}, false,
			[]string{`{"date":"20101202"}`}},
		{"a re-run filter of another date starts its own", []events.JobDone{filterDone("20101202", "j1", nil), filterDone("20101203", "j2", nil)}, false,
			[]string{`{"date":"20101202"}`, `{"date":"20101203"}`}},
		{"a failed filter job starts nothing", []events.JobDone{filterDone("20101202", "j1", func(j *events.JobDone) { j.Err = events.NewStatus(13, "internal") })}, false, nil},
		{"a prepare job is not ours", []events.JobDone{filterDone("20101202", "j1", func(j *events.JobDone) {
			j.Labels[warehouse.LabelStage] = pipeline.StagePrepare
			j.Destination.Table = "prepared_daily_transactions_20101202"
		})}, false, nil},
		{"another deployment", []events.JobDone{filterDone("20101202", "j1", func(j *events.JobDone) { j.Labels[warehouse.LabelDeployment] = "prod" })}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 0)
			for _, j := range tt.events {
				if got := f.send(t, j, tt.legacy); got != http.StatusOK {
					t.Fatalf("status %d", got)
				}
			}
			if diff := cmp.Diff(tt.want, f.x.Arguments()); diff != "" {
				t.Errorf("started (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRerunAfterTheFirstEnded: once the first workflow of a date ended, a re-run filter starts it again.
func TestRerunAfterTheFirstEnded(t *testing.T) {
	f := newFixture(t, 0)
	for i, job := range []string{"j1", "j2"} {
		if got := f.send(t, filterDone("20101202", job, nil), false); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
		if i == 0 {
			f.x.EndAll()
		}
	}
	if diff := cmp.Diff([]string{`{"date":"20101202"}`, `{"date":"20101202"}`}, f.x.Arguments()); diff != "" {
		t.Errorf("started (-want +got):\n%s", diff)
	}
}

func TestRealEventBodies(t *testing.T) {
	for _, name := range []string{"insertjob_query_failed.json", "insertjob_query_done.json", "insertjob_copy_done.json",
		"example_binary_audit_LogEntryData-bigqueryjobcompleted.json"} {
		f := newFixture(t, 0)
		if got := servicetest.Send(t, f.url, servicetest.AuditEvent(t, "1", servicetest.Fixture(t, name))); got != http.StatusOK {
			t.Errorf("%s: status %d", name, got)
		}
		if got := f.x.Arguments(); len(got) != 0 {
			t.Errorf("%s started %v", name, got)
		}
	}
}

func TestStartFailureIsRetried(t *testing.T) {
	f := newFixture(t, 0)
	f.x.Fail = errors.New("unavailable")
	j := filterDone("20101202", "j1", nil)
	if got := f.send(t, j, false); got != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", got)
	}
	if got := f.send(t, j, false); got != http.StatusOK {
		t.Fatalf("redelivery: status %d", got)
	}
	if diff := cmp.Diff([]string{`{"date":"20101202"}`}, f.x.Arguments()); diff != "" {
		t.Errorf("started (-want +got):\n%s", diff)
	}
}

func TestThrottle(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	for i, d := range []string{"20101202", "20101203"} {
		if got := f.send(t, filterDone(d, "j"+d, nil), false); got != http.StatusOK {
			t.Fatalf("%d: status %d", i, got)
		}
	}
	if diff := cmp.Diff([]string{`{"date":"20101202"}`}, f.x.Arguments()); diff != "" {
		t.Fatalf("started above the limit (-want +got):\n%s", diff)
	}
	list, _, err := f.tracker.Tasks(ctx)
	if err != nil || len(list) != 1 || list[0].Date != "20101203" {
		t.Fatalf("tasks %+v %v, want the start of 20101203", list, err)
	}
	if err := f.service.RunTask(ctx, list[0]); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{`{"date":"20101202"}`, `{"date":"20101203"}`}, f.x.Arguments()); diff != "" {
		t.Errorf("started (-want +got):\n%s", diff)
	}
	want := []services.Step{
		{Date: "20101202", Stage: "predict", Outcome: services.Started, Reason: "x1"},
		{Date: "20101203", Stage: "predict", Outcome: services.Queued, Reason: "1 executions of daily active, limit 1"},
		{Date: "20101203", Stage: "predict", Outcome: services.Started, Reason: "x2"},
	}
	if diff := cmp.Diff(want, f.progress.Steps()); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
}
