package events

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
)

// The request metadata builders write: the local runtime is the caller.
const (
	callerIP        = "127.0.0.1"
	callerUserAgent = "pltv"
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

// jobForEvent checks and completes a job to build an event from, and returns the entry's timestamp.
func jobForEvent(j JobDone) (JobDone, time.Time, error) {
	if j.Job.Project == "" || j.Job.ID == "" {
		return j, time.Time{}, errors.New("job project and ID are required")
	}
	if err := j.Kind.valid(); err != nil {
		return j, time.Time{}, err
	}
	if j.State == "" {
		j.State = StateDone
	}
	if j.Destination.Project == "" && !j.Destination.IsZero() {
		j.Destination.Project = j.Job.Project
	}
	if j.State == StateDone && j.Kind != KindExtract && (j.Destination.Dataset == "" || j.Destination.Table == "") {
		return j, time.Time{}, errors.New("a finished job needs a destination dataset and table")
	}
	ts := j.EndTime
	if ts.IsZero() {
		ts = j.StartTime
	}
	if ts.IsZero() {
		return j, time.Time{}, errors.New("an end time (or a start time for a job not done) is required")
	}
	return j, ts.UTC(), nil
}

// auditEntry returns the parts of a BigQuery audit-log entry both formats share.
func auditEntry(j JobDone, method string, ts time.Time) logEntryJSON {
	logName := "projects/" + j.Job.Project + "/logs/cloudaudit.googleapis.com%2Fdata_access"
	severity := "INFO"
	if j.Err != nil {
		severity = "ERROR"
	}
	return logEntryJSON{
		ProtoPayload: auditLogJSON{
			Type:               typeAuditLog,
			Status:             statusOf(j.Err),
			AuthenticationInfo: authenticationInfo{PrincipalEmail: j.Principal},
			RequestMetadata:    requestMetadata{CallerIP: callerIP, CallerSuppliedUserAgent: callerUserAgent},
			ServiceName:        ServiceBigQuery,
			MethodName:         method,
			ResourceName:       j.Job.Name(),
		},
		InsertID:         insertID(method, j.Job.Name(), string(j.State), formatTime(ts)),
		Timestamp:        formatTime(ts),
		Severity:         severity,
		LogName:          logName,
		ReceiveTimestamp: formatTime(ts),
	}
}

// auditEvent wraps a LogEntry in the CloudEvent Eventarc makes of it: the id is the log name, insert id and
// timestamp (in microseconds) run together, the source names the audit log, the subject the resource.
func auditEvent(entry logEntryJSON, method string, job JobRef, ts time.Time) (event.Event, error) {
	body, err := json.Marshal(entry)
	if err != nil {
		return event.Event{}, fmt.Errorf("build audit event: %w", err)
	}
	resource := entry.ProtoPayload.ResourceName
	e := event.New()
	e.SetID(entry.LogName + entry.InsertID + strconv.FormatInt(ts.UnixMicro(), 10))
	e.SetSource("//cloudaudit.googleapis.com/projects/" + job.Project + "/logs/data_access")
	e.SetType(TypeAuditLogWritten)
	e.SetSubject(ServiceBigQuery + "/" + resource)
	e.SetTime(ts)
	e.SetDataSchema(auditLogDataSchema)
	e.SetExtension(ExtServiceName, ServiceBigQuery)
	e.SetExtension(ExtMethodName, method)
	e.SetExtension(ExtResourceName, resource)
	e.SetExtension(ExtRecordedTime, entry.Timestamp)
	if err := e.SetData(contentTypeAuditLog, body); err != nil {
		return event.Event{}, fmt.Errorf("build audit event: %w", err)
	}
	if err := e.Validate(); err != nil {
		return event.Event{}, fmt.Errorf("build audit event: %w", err)
	}
	return e, nil
}

// insertID derives a Cloud Logging-like insert id from what identifies the entry, so that building the
// same entry twice gives the same event id, as a redelivery does.
func insertID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:8]))[:12]
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
