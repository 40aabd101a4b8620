package prepare_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/internal/servicetest"
	"github.com/pltv/pltv/services/middleware"
	"github.com/pltv/pltv/services/prepare"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/warehouse"
)

// stage is a prepare stage that records its dates and, while it runs, whether the date was pending.
type stage struct {
	tracker  *tracking.Tracker
	mu       sync.Mutex
	runs     []string
	attempts []string // the attempt key of every run
	pending  [][]string
	result   pipeline.Result
	fail     error
}

func (s *stage) Prepare(ctx context.Context, date string) (pipeline.Result, error) {
	pending, _, err := s.tracker.PendingPrepares(ctx, "99991231")
	if err != nil {
		return pipeline.Result{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runs = append(s.runs, date)
	key, _ := warehouse.AttemptOf(ctx)
	s.attempts = append(s.attempts, key)
	s.pending = append(s.pending, pending)
	if err := s.fail; err != nil {
		s.fail = nil
		return pipeline.Result{}, err
	}
	r := s.result
	r.Stage, r.Date = pipeline.StagePrepare, date
	return r, nil
}

func (s *stage) Runs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.runs...)
}

type releaser struct{ calls int }

func (r *releaser) Release(context.Context) ([]string, error) { r.calls++; return nil, nil }

type fixture struct {
	tracker  *tracking.Tracker
	stage    *stage
	released *releaser
	progress *servicetest.Progress
	service  *prepare.Service
	url      string
}

func newFixture(t *testing.T, limit int) *fixture {
	t.Helper()
	clock := servicetest.NewClock(time.Date(2024, 5, 2, 6, 0, 0, 0, time.UTC))
	tr := servicetest.Tracker(t, clock.Now)
	f := &fixture{tracker: tr, stage: &stage{tracker: tr}, released: &releaser{}, progress: &servicetest.Progress{}}
	log := servicetest.Log(t)
	svc, err := prepare.New(prepare.Config{Scope: servicetest.Scope, Prepare: f.stage.Prepare, Tracker: tr,
		Releaser: f.released, Limit: limit, Delay: time.Minute, Progress: f.progress, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	f.service = svc
	f.url = servicetest.Server(t, services.Chain(svc.Handle, middleware.Default(log, tr, "prepare")...)).URL
	return f
}

// run is the transfer run of the scheduled extract for date, as the Data Transfer Service reports it.
func run(t *testing.T, date, id string, mutate func(*events.TransferRun)) events.TransferRun {
	t.Helper()
	rt, err := time.Parse("20060102", date)
	if err != nil {
		t.Fatal(err)
	}
	r := events.TransferRun{
		Name:                 "projects/684203917531/locations/us/transferConfigs/cfg/runs/" + id,
		DataSourceID:         "scheduled_query",
		DestinationDatasetID: "pltv",
		Params:               events.TransferParams{Query: "SELECT 1", DestinationTableNameTemplate: "all_daily_transactions_{run_date}", WriteDisposition: "WRITE_TRUNCATE"},
		State:                events.TransferSucceeded,
		RunTime:              rt.Add(5 * time.Hour),
		ScheduleTime:         rt, StartTime: rt, EndTime: rt.Add(time.Minute), UpdateTime: rt.Add(time.Minute),
	}
	if mutate != nil {
		mutate(&r)
	}
	return r
}

func (f *fixture) send(t *testing.T, msgID string, r events.TransferRun) int {
	t.Helper()
	e, err := events.NewTransferRunFinishedEvent(events.Delivery{
		Topic: "projects/pltv-demo/topics/extract-done", Subscription: "projects/pltv-demo/subscriptions/eventarc-prepare",
		MessageID: msgID, PublishTime: r.EndTime,
	}, r)
	if err != nil {
		t.Fatal(err)
	}
	return servicetest.Send(t, f.url, e)
}

func TestRealEventBodies(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		want    []string
	}{
		{"a succeeded run prepares its date", "pubsub_transferrun_succeeded.json", []string{"20101202"}},
		{"a failed run prepares nothing", "pubsub_transferrun_failed.json", nil},
		{"a Pub/Sub message that is no transfer run", "testdata_pubsub_v1_MessagePublishedData-text.json", nil},
		{"Google's Pub/Sub example", "example_binary_pubsub_MessagePublishedData-complex.json", nil},
		{"an audit log is no Pub/Sub message", "insertjob_query_done.json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 0)
			if got := servicetest.Send(t, f.url, servicetest.PubSubEvent(t, "1", servicetest.Fixture(t, tt.fixture))); got != http.StatusOK {
				t.Fatalf("status %d, want 200", got)
			}
			if diff := cmp.Diff(tt.want, f.stage.Runs()); diff != "" {
				t.Errorf("prepare runs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrepareIsPendingWhileItRuns(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 0)
	if got := f.send(t, "m1", run(t, "20101202", "r1", nil)); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if diff := cmp.Diff([][]string{{"20101202"}}, f.stage.pending); diff != "" {
		t.Errorf("pending while running (-want +got):\n%s", diff)
	}
	after, _, err := f.tracker.PendingPrepares(ctx, "99991231")
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != 0 {
		t.Errorf("pending after: %v", after)
	}
	if f.released.calls != 1 {
		t.Errorf("waiting filters released %d times, want 1", f.released.calls)
	}
	want := []services.Step{{Date: "20101202", Stage: "prepare", Outcome: services.Done}}
	if diff := cmp.Diff(want, f.progress.Steps()); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
}

func TestInputThatCannotBePrepared(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*events.TransferRun)
		step   []services.Step
	}{
		{"failed run", func(r *events.TransferRun) {
			r.State, r.Err = events.TransferFailed, events.NewStatus(3, "Syntax error")
		}, []services.Step{{Date: "20101202", Stage: "extract", Outcome: services.Failed, Reason: "extract run FAILED: INVALID_ARGUMENT: Syntax error"}}},
		{"cancelled run", func(r *events.TransferRun) { r.State = events.TransferCancelled },
			[]services.Step{{Date: "20101202", Stage: "extract", Outcome: services.Failed, Reason: "extract run CANCELLED"}}},
		{"another transfer's table", func(r *events.TransferRun) { r.Params.DestinationTableNameTemplate = "sessions_{run_date}" }, nil},
		{"another dataset", func(r *events.TransferRun) { r.DestinationDatasetID = "other" }, nil},
		{"no destination table", func(r *events.TransferRun) { r.Params.DestinationTableNameTemplate = "" }, nil},
		{"an unsupported template", func(r *events.TransferRun) {
			r.Params.DestinationTableNameTemplate = "all_daily_transactions_{run_time|\"%A\"}"
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 0)
			if got := f.send(t, "m1", run(t, "20101202", "r1", tt.mutate)); got != http.StatusOK {
				t.Fatalf("status %d, want 200", got)
			}
			if runs := f.stage.Runs(); len(runs) != 0 {
				t.Errorf("prepared %v", runs)
			}
			if diff := cmp.Diff(tt.step, f.progress.Steps()); diff != "" {
				t.Errorf("progress (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMalformedBodies(t *testing.T) {
	for _, body := range []string{`{`, `{"message":{}}`, `{"message":{"messageId":"1","publishTime":"2024-05-02T05:00:00Z","data":"!!"}}`} {
		f := newFixture(t, 0)
		if got := servicetest.Send(t, f.url, servicetest.PubSubEvent(t, "1", []byte(body))); got != http.StatusOK {
			t.Errorf("%s: status %d, want 200", body, got)
		}
	}
}

func TestDuplicatesHaveOneEffect(t *testing.T) {
	f := newFixture(t, 0)
	r := run(t, "20101202", "r1", nil)
	for _, msg := range []string{"m1", "m1", "m2"} { // a redelivery, then the same run in another message
		if got := f.send(t, msg, r); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
	}
	if diff := cmp.Diff([]string{"20101202"}, f.stage.Runs()); diff != "" {
		t.Errorf("prepare runs (-want +got):\n%s", diff)
	}
}

func TestFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("a transient failure is retried and releases the barrier meanwhile", func(t *testing.T) {
		f := newFixture(t, 0)
		f.stage.fail = errors.New("connection reset")
		r := run(t, "20101202", "r1", nil)
		if got := f.send(t, "m1", r); got != http.StatusInternalServerError {
			t.Fatalf("status %d, want 500", got)
		}
		prepares, _, err := f.tracker.Prepares(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(prepares) != 1 || prepares[0].Status != tracking.StatusFailed {
			t.Errorf("prepares %+v, want one failed", prepares)
		}
		if got := f.send(t, "m1", r); got != http.StatusOK {
			t.Fatalf("redelivery: status %d", got)
		}
		if diff := cmp.Diff([]string{"20101202", "20101202"}, f.stage.Runs()); diff != "" {
			t.Errorf("prepare runs (-want +got):\n%s", diff)
		}
		// Both ran under the transfer run's name: the retry asks for the prepare job the first one started.
		if diff := cmp.Diff([]string{r.Name, r.Name}, f.stage.attempts); diff != "" {
			t.Errorf("attempt keys (-want +got):\n%s", diff)
		}
	})
	t.Run("no model is acknowledged and reported", func(t *testing.T) {
		f := newFixture(t, 0)
		f.stage.fail = pipeline.ErrNoModel
		if got := f.send(t, "m1", run(t, "20101202", "r1", nil)); got != http.StatusOK {
			t.Fatalf("status %d, want 200", got)
		}
		want := []services.Step{{Date: "20101202", Stage: "prepare", Outcome: services.Failed, Reason: "no model"}}
		if diff := cmp.Diff(want, f.progress.Steps()); diff != "" {
			t.Errorf("progress (-want +got):\n%s", diff)
		}
	})
	t.Run("an empty extract is skipped", func(t *testing.T) {
		f := newFixture(t, 0)
		f.stage.result = pipeline.Result{Skipped: "input all_daily_transactions_20101202 is empty"}
		if got := f.send(t, "m1", run(t, "20101202", "r1", nil)); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
		want := []services.Step{{Date: "20101202", Stage: "prepare", Outcome: services.Skipped, Reason: "input all_daily_transactions_20101202 is empty"}}
		if diff := cmp.Diff(want, f.progress.Steps()); diff != "" {
			t.Errorf("progress (-want +got):\n%s", diff)
		}
	})
}
