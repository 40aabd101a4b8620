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
// timestamp (in microseconds) run together; the source names the audit log by its short name
// (//cloudaudit.googleapis.com/projects/P/logs/data_access, not the escaped log name of the entry); the
// subject is the service and the resource; time is when Cloud Logging received the entry, recordedtime the
// entry's timestamp.
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
