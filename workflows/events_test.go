package workflows_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/warehouse"
)

// jobFacts describes the BigQuery job of an audit-log event.
type jobFacts struct {
	stage, date string
	running     bool // the job changed to RUNNING, not DONE
	failed      bool // the job ended with an error
	legacy      bool // a jobservice.jobcompleted entry instead of an InsertJob one
}

// jobEvent returns the argument an Eventarc trigger passes to a workflow for the job's audit-log entry: the
// CloudEvent in its JSON form, with the LogEntry in data.
func jobEvent(t *testing.T, f jobFacts) json.RawMessage {
	t.Helper()
	j := events.JobDone{
		Job:         events.JobRef{Project: "pltv-demo", ID: "job_" + f.stage + "_" + f.date, Location: "US"},
		Kind:        events.KindQuery,
		State:       events.StateDone,
		Destination: warehouse.Ref{Dataset: "pltv", Table: "prepared_new_customers_daily_transactions_" + f.date},
		Labels: warehouse.Labels{
			warehouse.LabelDeployment: "demo", warehouse.LabelStage: f.stage, warehouse.LabelDate: f.date,
		},
		StartTime: time.Date(2020, 7, 2, 5, 59, 0, 0, time.UTC),
		EndTime:   time.Date(2020, 7, 2, 6, 0, 0, 0, time.UTC),
	}
	if f.running {
		j.State, j.EndTime = events.StateRunning, time.Time{}
	}
	if f.failed {
		j.Err = &events.Status{Code: 3, Reason: "INVALID_ARGUMENT", Message: "Syntax error"}
	}
	build := events.NewJobDoneEvent
	if f.legacy {
		build = events.NewLegacyJobDoneEvent
	}
	ev, err := build(j)
	if err != nil {
		t.Fatal(err)
	}
	// Eventarc passes a workflow the event in JSON form with data as JSON, not base64.
	arg := map[string]any{
		"specversion": ev.SpecVersion(), "id": ev.ID(), "source": ev.Source(), "type": ev.Type(),
		"subject": ev.Subject(), "time": ev.Time().Format(time.RFC3339Nano),
		"datacontenttype": ev.DataContentType(), "data": json.RawMessage(ev.Data()),
	}
	for k, v := range ev.Extensions() {
		arg[k] = v
	}
	b, err := json.Marshal(arg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
