package filter_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/internal/jobevent"
	"github.com/pltv/pltv/services/internal/servicetest"
	"github.com/pltv/pltv/services/middleware"
	"github.com/pltv/pltv/warehouse"
)

// TestForeignEventsAreDroppedBeforeAnyWrite sends the audit-log events a filter trigger sees besides its own
// (every BigQuery job of the project writes InsertJob entries): each is acknowledged with one debug line,
// and neither the de-duplication ledger nor the filter sees it.
func TestForeignEventsAreDroppedBeforeAnyWrite(t *testing.T) {
	other := warehouse.JobPrefix("other", "pltv")
	tests := []struct {
		name  string
		event func(t *testing.T) event.Event
	}{
		{"another deployment's prepare job", jobEvent(func(j *events.JobDone) {
			j.Job.ID = warehouse.StageJobPrefix(other, pipeline.StagePrepare) + "20101201_abc"
			j.Labels[warehouse.LabelDeployment] = "other"
		})},
		{"another solution of the same deployment name", jobEvent(func(j *events.JobDone) {
			j.Job.ID = warehouse.StageJobPrefix(warehouse.JobPrefix("demo", "ltv2"), pipeline.StagePrepare) + "20101201_abc"
		})},
		{"this deployment's filter job", jobEvent(func(j *events.JobDone) {
			j.Job.ID = servicetest.JobID(pipeline.StageFilter, "20101201", "abc")
		})},
		{"a job someone ran in the console", jobEvent(func(j *events.JobDone) { j.Job.ID = "bquxjob_1a2b3c_18c" })},
		{"a table data change under InsertJob", fixtureEvent("insertjob_tabledatachange.json")},
		{"Google's legacy jobcompleted example", fixtureEvent("example_binary_audit_LogEntryData-bigqueryjobcompleted.json")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			var logged bytes.Buffer
			log := slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
			h := services.Chain(func(context.Context, event.Event) error {
				t.Error("the handler saw a foreign event")
				return nil
			}, append([]services.Middleware{jobevent.Ours(log, servicetest.Scope, pipeline.StagePrepare)},
				middleware.Default(log, f.ledger, "filter")...)...)
			if got := servicetest.Send(t, servicetest.Server(t, h).URL, tt.event(t)); got != http.StatusOK {
				t.Fatalf("status %d, want 200", got)
			}
			if n := f.ledger.Recorded(); n != 0 {
				t.Errorf("%d keys recorded for a foreign event", n)
			}
			lines := strings.Split(strings.TrimSpace(logged.String()), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], `"level":"DEBUG"`) || !strings.Contains(lines[0], "event ignored") {
				t.Errorf("log: %q, want one debug line", lines)
			}

			// The same event through the service's own stack: nothing runs, nothing is recorded.
			if got := servicetest.Send(t, f.url, tt.event(t)); got != http.StatusOK {
				t.Fatalf("status %d, want 200", got)
			}
			if n := f.ledger.Recorded(); n != 0 || len(f.stage.Runs()) != 0 {
				t.Errorf("%d keys recorded, filter runs %v", n, f.stage.Runs())
			}
		})
	}
}

func TestOwnEventIsRecordedAndRun(t *testing.T) {
	f := newFixture(t)
	if got := f.send(t, prepareDone(t, "20101201", "abc", nil)); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if f.ledger.Recorded() == 0 || len(f.stage.Runs()) != 1 {
		t.Errorf("own event: %d keys recorded, runs %v", f.ledger.Recorded(), f.stage.Runs())
	}
}

func jobEvent(mutate func(*events.JobDone)) func(t *testing.T) event.Event {
	return func(t *testing.T) event.Event {
		e, err := events.NewJobDoneEvent(prepareDone(t, "20101201", "abc", mutate))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
}

func fixtureEvent(name string) func(t *testing.T) event.Event {
	return func(t *testing.T) event.Event {
		return servicetest.AuditEvent(t, "1", servicetest.Fixture(t, name))
	}
}
