package filter_test

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
	"github.com/pltv/pltv/services/filter"
	"github.com/pltv/pltv/services/internal/jobevent"
	"github.com/pltv/pltv/services/internal/servicetest"
	"github.com/pltv/pltv/services/middleware"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/warehouse"
)

// stage records the dates the filter stage ran for; fail makes the next run fail.
type stage struct {
	mu       sync.Mutex
	runs     []string
	attempts []string // the attempt key of every call, failed ones included
	fail     error
}

func (s *stage) Filter(ctx context.Context, date string) (pipeline.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key, _ := warehouse.AttemptOf(ctx)
	s.attempts = append(s.attempts, key)
	if err := s.fail; err != nil {
		s.fail = nil
		return pipeline.Result{}, err
	}
	s.runs = append(s.runs, date)
	return pipeline.Result{Stage: pipeline.StageFilter, Date: date, Rows: 1}, nil
}

func (s *stage) Runs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.runs...)
}

type fixture struct {
	tracker  *tracking.Tracker
	stage    *stage
	service  *filter.Service
	progress *servicetest.Progress
	url      string
	clock    *servicetest.Clock
	ledger   *servicetest.CountingLedger // the events the middleware recorded
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clock := servicetest.NewClock(time.Date(2024, 5, 2, 6, 0, 0, 0, time.UTC))
	f := &fixture{stage: &stage{}, progress: &servicetest.Progress{}, clock: clock}
	f.tracker = servicetest.Tracker(t, clock.Now)
	log := servicetest.Log(t)
	svc, err := filter.New(filter.Config{Scope: servicetest.Scope, Filter: f.stage.Filter, Tracker: f.tracker,
		Expire: 23 * time.Hour, Progress: f.progress, Log: log, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	f.service = svc
	f.ledger = &servicetest.CountingLedger{Ledger: f.tracker}
	mws := append([]services.Middleware{jobevent.Ours(log, servicetest.Scope, pipeline.StagePrepare)},
		middleware.Default(log, f.ledger, "filter")...)
	f.url = servicetest.Server(t, services.Chain(svc.Handle, mws...)).URL
	return f
}

// prepareDone is the completion event of date's prepare job, as the embedded warehouse emits it.
func prepareDone(t *testing.T, date, jobID string, mutate func(*events.JobDone)) events.JobDone {
	t.Helper()
	end := time.Date(2024, 5, 2, 5, 1, 0, 0, time.UTC)
	j := events.JobDone{
		Job:         events.JobRef{Project: "pltv-demo", ID: servicetest.JobID(pipeline.StagePrepare, date, jobID), Location: "US"},
		Kind:        events.KindQuery,
		State:       events.StateDone,
		Destination: warehouse.Ref{Project: "pltv-demo", Dataset: "pltv", Table: "prepared_daily_transactions_" + date},
		Labels:      warehouse.JobLabels("demo", pipeline.StagePrepare, date),
		StartTime:   end.Add(-time.Minute),
		EndTime:     end,
	}
	if mutate != nil {
		mutate(&j)
	}
	return j
}

func (f *fixture) send(t *testing.T, j events.JobDone) int {
	t.Helper()
	e, err := events.NewJobDoneEvent(j)
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
		{"prepare job done runs the filter of its date", "insertjob_query_done.json", []string{"20101201"}},
		{"the job's insertion is not its completion", "insertjob_query_inserted.json", nil},
		{"a running job is not done", "insertjob_query_running.json", nil},
		{"a table data change is not a job completion", "insertjob_tabledatachange.json", nil},
		{"another stage's job", "insertjob_query_failed.json", nil},
		{"a load job of init", "insertjob_load_done.json", nil},
		{"Google's legacy jobcompleted body has no pltv labels", "example_binary_audit_LogEntryData-bigqueryjobcompleted.json", nil},
		{"a Pub/Sub body is no audit log", "pubsub_transferrun_succeeded.json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			e := servicetest.AuditEvent(t, "1", servicetest.Fixture(t, tt.fixture))
			if got := servicetest.Send(t, f.url, e); got != http.StatusOK {
				t.Fatalf("status %d, want 200", got)
			}
			if diff := cmp.Diff(tt.want, f.stage.Runs()); diff != "" {
				t.Errorf("filter runs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBadInputIsAcknowledged(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"malformed JSON", `{"protoPayload": `},
		{"not an audit log", `{"foo": 1}`},
		{"unknown method", `{"protoPayload":{"serviceName":"bigquery.googleapis.com","methodName":"tables.get"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if got := servicetest.Send(t, f.url, servicetest.AuditEvent(t, "1", []byte(tt.body))); got != http.StatusOK {
				t.Fatalf("status %d, want 200", got)
			}
			if len(f.stage.Runs()) != 0 {
				t.Errorf("filter ran for %v", f.stage.Runs())
			}
		})
	}
}

func TestEventsThatAreNotOurs(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*events.JobDone)
	}{
		{"another deployment", func(j *events.JobDone) { j.Labels[warehouse.LabelDeployment] = "other" }},
		{"no pltv labels", func(j *events.JobDone) { j.Labels = warehouse.Labels{"team": "ads"} }},
		{"a date label that does not parse", func(j *events.JobDone) { j.Labels[warehouse.LabelDate] = "20101399" }},
		{"another dataset", func(j *events.JobDone) { j.Destination.Dataset = "elsewhere" }},
		{"the row hook's intermediate table", func(j *events.JobDone) { j.Destination.Table += "__sql" }},
		{"another date's table", func(j *events.JobDone) { j.Destination.Table = "prepared_daily_transactions_20101202" }},
		{"a failed prepare job", func(j *events.JobDone) { j.Err = events.NewStatus(3, "Syntax error") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if got := f.send(t, prepareDone(t, "20101201", "job_1", tt.mutate)); got != http.StatusOK {
				t.Fatalf("status %d, want 200", got)
			}
			if len(f.stage.Runs()) != 0 {
				t.Errorf("filter ran for %v", f.stage.Runs())
			}
		})
	}
}

func TestDuplicatesHaveOneEffect(t *testing.T) {
	f := newFixture(t)
	j := prepareDone(t, "20101201", "job_1", nil)
	insertJob, err := events.NewJobDoneEvent(j)
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := events.NewLegacyJobDoneEvent(j)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		name string
		send func() int
	}{
		{"first delivery", func() int { return servicetest.Send(t, f.url, insertJob) }},
		{"redelivery", func() int { return servicetest.Send(t, f.url, insertJob) }},
		{"the legacy format of the same job", func() int { return servicetest.Send(t, f.url, legacy) }},
	} {
		if got := e.send(); got != http.StatusOK {
			t.Fatalf("%s: status %d", e.name, got)
		}
	}
	if diff := cmp.Diff([]string{"20101201"}, f.stage.Runs()); diff != "" {
		t.Errorf("filter runs (-want +got):\n%s", diff)
	}
}

func TestRetryableFailureIsRetried(t *testing.T) {
	f := newFixture(t)
	f.stage.fail = errors.New("warehouse unavailable")
	e, err := events.NewJobDoneEvent(prepareDone(t, "20101201", "job_1", nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := servicetest.Send(t, f.url, e); got != http.StatusInternalServerError {
		t.Fatalf("first delivery: status %d, want 500", got)
	}
	if got := servicetest.Send(t, f.url, e); got != http.StatusOK {
		t.Fatalf("redelivery: status %d, want 200", got)
	}
	if diff := cmp.Diff([]string{"20101201"}, f.stage.Runs()); diff != "" {
		t.Errorf("filter runs (-want +got):\n%s", diff)
	}
	// Both deliveries ran under the prepare job's name, so the filter job the first one may have started is
	// the one the second asks for (and, in BigQuery, waits for).
	prepareJob := "projects/pltv-demo/jobs/" + servicetest.JobID(pipeline.StagePrepare, "20101201", "job_1")
	if diff := cmp.Diff([]string{prepareJob, prepareJob}, f.stage.attempts); diff != "" {
		t.Errorf("attempt keys (-want +got):\n%s", diff)
	}
}

func TestPermanentFailureIsAcknowledged(t *testing.T) {
	f := newFixture(t)
	f.stage.fail = &warehouse.SQLError{Line: 3, Message: "Unrecognized name: foo"}
	if got := f.send(t, prepareDone(t, "20101201", "job_1", nil)); got != http.StatusOK {
		t.Fatalf("status %d, want 200", got)
	}
	want := []services.Step{{Date: "20101201", Stage: "filter", Outcome: services.Failed,
		Reason: "line 3: Unrecognized name: foo"}}
	if diff := cmp.Diff(want, f.progress.Steps()); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
}
