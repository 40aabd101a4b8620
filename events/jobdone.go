package events

import (
	"fmt"
	"time"

	"github.com/pltv/pltv/warehouse"
)

// JobDone is what a BigQuery audit-log event says about a job. Most events a job-method trigger receives
// are its completion (Finished reports true); the others (the job's insertion, a change to a state other
// than DONE, a table read or write the job logged) decode without error and are to be ignored.
type JobDone struct {
	Job         JobRef
	Kind        JobKind
	State       JobState
	Destination warehouse.Ref    // the table the job wrote: set when Finished, unless Kind is KindExtract
	Labels      warehouse.Labels // nil when the job had none
	Err         *Status          // nil when the job succeeded
	Principal   string           // who ran the job (authenticationInfo.principalEmail)
	StartTime   time.Time
	EndTime     time.Time
	// Method is the audit-log method: MethodInsertJob or MethodQuery (BigQueryAuditMetadata format) or
	// MethodJobCompleted (legacy AuditData format).
	Method string
	// Event is the audit event that carried the job: "jobChange" or "jobInsertion" (or another
	// BigQueryAuditMetadata event such as "tableDataChange"), or the legacy eventName such as
	// "query_job_completed".
	Event string
}

// Finished reports whether the event is the job's completion: the job is DONE, successfully or not.
func (j JobDone) Finished() bool {
	return j.State == StateDone && j.Event != eventJobInsertion && j.Event != ""
}

// Succeeded reports whether the job finished without error.
func (j JobDone) Succeeded() bool { return j.Finished() && j.Err == nil }

// RunDate returns the job's pltv_date label (see RunDate).
func (j JobDone) RunDate() (string, error) { return RunDate(j.Labels) }

// JobRef names a job.
type JobRef struct {
	Project  string
	ID       string
	Location string
}

// Name returns the job's resource name, projects/P/jobs/ID.
func (r JobRef) Name() string { return "projects/" + r.Project + "/jobs/" + r.ID }

// JobKind is what a job does.
type JobKind string

// Job kinds.
const (
	KindQuery   JobKind = "query"
	KindLoad    JobKind = "load"
	KindCopy    JobKind = "copy"
	KindExtract JobKind = "extract"
)

// JobState is a job's state as BigQuery reports it.
type JobState string

// Job states.
const (
	StatePending JobState = "PENDING"
	StateRunning JobState = "RUNNING"
	StateDone    JobState = "DONE"
)

const (
	eventJobChange    = "jobChange"
	eventJobInsertion = "jobInsertion"
)

func (k JobKind) valid() error {
	switch k {
	case KindQuery, KindLoad, KindCopy, KindExtract:
		return nil
	}
	return fmt.Errorf("unknown job kind %q", k)
}
