package events

import (
	"fmt"

	"github.com/cloudevents/sdk-go/v2/event"
)

// NewLegacyJobDoneEvent returns the event Eventarc delivers for the legacy jobservice.jobcompleted entry
// (AuditData format) of a finished job. It takes the same JobDone as NewJobDoneEvent; the state must be
// DONE (or empty), the only state that format reports.
func NewLegacyJobDoneEvent(j JobDone) (event.Event, error) {
	j, ts, err := jobForEvent(j)
	if err != nil {
		return event.Event{}, fmt.Errorf("build legacy job event: %w", err)
	}
	if j.State != StateDone {
		return event.Event{}, fmt.Errorf("build legacy job event: state %s: the legacy format reports only finished jobs", j.State)
	}
	job := &legacyJob{
		JobConfiguration: legacyConfigOf(j),
		JobName:          &legacyJobName{JobID: j.Job.ID, Location: j.Job.Location, ProjectID: j.Job.Project},
		JobStatistics: &legacyJobStatistics{
			CreateTime: formatTime(j.StartTime), StartTime: formatTime(j.StartTime), EndTime: formatTime(j.EndTime),
		},
		JobStatus: &legacyJobStatus{Error: statusOf(j.Err), State: string(j.State)},
	}
	entry := auditEntry(j, MethodJobCompleted, ts)
	entry.ProtoPayload.ServiceData = &legacyServiceData{
		Type:              typeLegacyAuditData,
		JobCompletedEvent: &legacyJobCompleted{EventName: legacyEventName[j.Kind], Job: job},
	}
	entry.Resource = monitoredResource{Type: "bigquery_resource", Labels: map[string]string{"project_id": j.Job.Project}}
	return auditEvent(entry, MethodJobCompleted, j.Job, ts)
}

var legacyEventName = map[JobKind]string{
	KindQuery:   "query_job_completed",
	KindLoad:    "load_job_completed",
	KindCopy:    "table_copy_job_completed",
	KindExtract: "extract_job_completed",
}

func legacyConfigOf(j JobDone) *legacyJobConfiguration {
	c := &legacyJobConfiguration{Labels: j.Labels}
	var dest *legacyTableName
	if !j.Destination.IsZero() {
		dest = &legacyTableName{DatasetID: j.Destination.Dataset, ProjectID: j.Destination.Project, TableID: j.Destination.Table}
	}
	switch j.Kind {
	case KindQuery:
		c.Query = &legacyQuery{
			CreateDisposition: "CREATE_IF_NEEDED", DefaultDataset: &struct{}{}, DestinationTable: dest,
			QueryPriority: "QUERY_INTERACTIVE", StatementType: "SELECT", WriteDisposition: "WRITE_TRUNCATE",
		}
	case KindLoad:
		c.Load = &legacyLoad{CreateDisposition: "CREATE_IF_NEEDED", DestinationTable: dest, WriteDisposition: "WRITE_TRUNCATE"}
	case KindCopy:
		c.TableCopy = &legacyTableCopy{CreateDisposition: "CREATE_IF_NEEDED", DestinationTable: dest, WriteDisposition: "WRITE_TRUNCATE"}
	case KindExtract:
		c.Extract = &legacyExtract{}
	}
	return c
}
