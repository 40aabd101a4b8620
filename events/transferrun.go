package events

import (
	"strings"
	"time"

	"github.com/pltv/pltv/warehouse"
)

// TransferState is the state of a BigQuery Data Transfer Service run. Notifications report the last three.
type TransferState string

// Transfer run states.
const (
	TransferPending   TransferState = "PENDING"
	TransferRunning   TransferState = "RUNNING"
	TransferSucceeded TransferState = "SUCCEEDED"
	TransferFailed    TransferState = "FAILED"
	TransferCancelled TransferState = "CANCELLED"
)

func (s TransferState) known() bool {
	switch s {
	case TransferPending, TransferRunning, TransferSucceeded, TransferFailed, TransferCancelled:
		return true
	}
	return false
}

// TransferRun is a Data Transfer Service run (google.cloud.bigquery.datatransfer.v1.TransferRun): for pltv,
// one scheduled-query run, whose runTime is the logical date it extracts.
type TransferRun struct {
	Name                    string // projects/P/locations/L/transferConfigs/C/runs/R (P is often a project number)
	DataSourceID            string // "scheduled_query" for a scheduled query
	DestinationDatasetID    string
	Params                  TransferParams
	State                   TransferState
	Err                     *Status // errorStatus: nil when the run succeeded
	RunTime                 time.Time
	ScheduleTime            time.Time
	StartTime               time.Time
	EndTime                 time.Time
	UpdateTime              time.Time
	UserID                  string
	Schedule                string
	NotificationPubsubTopic string
}

// TransferParams are the parameters of a scheduled query.
type TransferParams struct {
	Query                        string
	DestinationTableNameTemplate string // e.g. all_daily_transactions_{run_date}
	WriteDisposition             string
	PartitioningField            string
}

// Succeeded reports whether the run succeeded.
func (r TransferRun) Succeeded() bool { return r.State == TransferSucceeded }

// RunDate returns the logical date of the run, YYYYMMDD: runTime's date in UTC, as @run_date sees it.
func (r TransferRun) RunDate() string { return r.RunTime.UTC().Format(DateLayout) }

// DestinationTable returns the table the run wrote: the destination dataset and the table name template
// filled in for the run time, as the Data Transfer Service does ({run_date}, {run_time|"%Y%m%d"}, with an
// offset too). The project is left empty: the run's name carries a project number, which a table reference
// cannot use.
func (r TransferRun) DestinationTable() (warehouse.Ref, error) {
	tmpl := r.Params.DestinationTableNameTemplate
	if tmpl == "" || r.DestinationDatasetID == "" {
		return warehouse.Ref{}, malformed("params.destination_table_name_template", "the run has no destination table")
	}
	name, err := fillTemplate(tmpl, r.RunTime)
	if err != nil {
		return warehouse.Ref{}, malformed("params.destination_table_name_template", "%v", err)
	}
	return warehouse.Ref{Dataset: r.DestinationDatasetID, Table: name}, nil
}

// check reports what a run needs to be acted on: a name, a known state and a run time.
func (r TransferRun) check() error {
	if !validRunName(r.Name) {
		return malformed("name", "want projects/{project}/locations/{location}/transferConfigs/{config}/runs/{run}, got %q", r.Name)
	}
	if !r.State.known() {
		return malformed("state", "%q is not a transfer run state", r.State)
	}
	if r.RunTime.IsZero() {
		return malformed("runTime", "missing")
	}
	return nil
}

// validRunName accepts projects/P/locations/L/transferConfigs/C/runs/R and the older form without location.
func validRunName(s string) bool {
	p := strings.Split(s, "/")
	want := []string{"projects", "", "locations", "", "transferConfigs", "", "runs", ""}
	if len(p) == 6 {
		want = []string{"projects", "", "transferConfigs", "", "runs", ""}
	}
	if len(p) != len(want) {
		return false
	}
	for i, w := range want {
		if (w != "" && p[i] != w) || (w == "" && p[i] == "") {
			return false
		}
	}
	return true
}
