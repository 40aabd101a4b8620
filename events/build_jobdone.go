package events

import (
	"fmt"
	"strconv"

	"github.com/cloudevents/sdk-go/v2/event"
)

// NewJobDoneEvent returns the event Eventarc delivers for the InsertJob-format audit-log entry Cloud Logging
// writes when a job changes state: a jobChange to j.State (DONE when empty), with the job's configuration,
// labels, status and times. j.Job (project and ID), j.Kind and, for a finished job, j.Destination are
// required; the entry's timestamp is j.EndTime, or j.StartTime for a job not done. A destination without
// a project is in the job's project.
func NewJobDoneEvent(j JobDone) (event.Event, error) {
	j, ts, err := jobForEvent(j)
	if err != nil {
		return event.Event{}, fmt.Errorf("build job event: %w", err)
	}
	job := &bqJob{
		JobConfig: bqJobConfigOf(j),
		JobName:   j.Job.Name(),
		JobStats:  &bqJobStats{CreateTime: formatTime(j.StartTime), StartTime: formatTime(j.StartTime), EndTime: formatTime(j.EndTime)},
		JobStatus: &bqJobStatus{JobState: string(j.State)},
	}
	switch j.Kind {
	case KindQuery:
		job.JobStats.QueryStats = &struct{}{}
	case KindLoad:
		job.JobStats.LoadStats = &struct{}{}
	}
	if j.Err != nil {
		job.JobStatus.ErrorResult = statusOf(j.Err)
		job.JobStatus.Errors = []rpcStatus{*statusOf(j.Err)}
	}
	entry := auditEntry(j, MethodInsertJob, ts)
	entry.ProtoPayload.AuthorizationInfo = []authorizationInfo{{
		Resource: "projects/" + j.Job.Project, Permission: "bigquery.jobs.create", Granted: true,
	}}
	entry.ProtoPayload.Metadata = &bqMetadata{
		Type:      typeBigQueryAuditMetadata,
		JobChange: &bqJobChange{After: string(j.State), Job: job},
	}
	entry.Resource = monitoredResource{Type: "bigquery_project", Labels: map[string]string{"project_id": j.Job.Project}}
	if j.Job.Location != "" {
		entry.Resource.Labels["location"] = j.Job.Location
	}
	entry.Operation = &operationJSON{
		ID:       strconv.FormatInt(j.StartTime.UnixMilli(), 10) + "-" + j.Job.Project + ":" + j.Job.ID,
		Producer: ServiceBigQuery,
		Last:     j.State == StateDone,
	}
	return auditEvent(entry, MethodInsertJob, j.Job, ts)
}

func bqJobConfigOf(j JobDone) *bqJobConfig {
	c := &bqJobConfig{Labels: j.Labels}
	dest := tableName(j.Destination)
	switch j.Kind {
	case KindQuery:
		c.Type = "QUERY"
		c.QueryConfig = &bqQueryConfig{
			CreateDisposition: "CREATE_IF_NEEDED", DestinationTable: dest, Priority: "QUERY_INTERACTIVE",
			StatementType: "SELECT", WriteDisposition: "WRITE_TRUNCATE",
		}
	case KindLoad:
		c.Type = "IMPORT"
		c.LoadConfig = &bqLoadConfig{CreateDisposition: "CREATE_IF_NEEDED", DestinationTable: dest, WriteDisposition: "WRITE_TRUNCATE"}
	case KindCopy:
		c.Type = "COPY"
		c.TableCopyConfig = &bqTableCopyConfig{CreateDisposition: "CREATE_IF_NEEDED", DestinationTable: dest, WriteDisposition: "WRITE_TRUNCATE"}
	case KindExtract:
		c.Type = "EXPORT"
		c.ExtractConfig = &bqExtractConfig{}
	}
	return c
}
