package events

import (
	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/googleapis/google-cloudevents-go/cloud/auditdata"
	"github.com/pltv/pltv/warehouse"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
)

var protoJSON = protojson.UnmarshalOptions{DiscardUnknown: true}

// DecodeJobDone decodes the audit-log event (TypeAuditLogWritten) of a BigQuery job, in either format
// BigQuery writes. An event that is not the job's completion decodes without error; check Finished.
func DecodeJobDone(e event.Event) (JobDone, error) {
	data, err := eventData(e, TypeAuditLogWritten)
	if err != nil {
		return JobDone{}, err
	}
	j, err := DecodeJobDoneJSON(data)
	if err != nil {
		return JobDone{}, withEvent(err, e.ID(), e.Type())
	}
	return j, nil
}

// DecodeJobDoneJSON decodes the data of an audit-log event: a Cloud Logging LogEntry.
func DecodeJobDoneJSON(data []byte) (JobDone, error) {
	var entry auditdata.LogEntryData
	if err := protoJSON.Unmarshal(data, &entry); err != nil {
		return JobDone{}, malformed("", "LogEntry: %w", err)
	}
	p := entry.GetProtoPayload()
	if p == nil {
		return JobDone{}, malformed("protoPayload", "missing: not an audit log entry")
	}
	if p.GetServiceName() != ServiceBigQuery {
		return JobDone{}, malformed("protoPayload.serviceName", "want %s, got %q", ServiceBigQuery, p.GetServiceName())
	}
	var (
		j   JobDone
		err error
	)
	switch m := p.GetMethodName(); m {
	case MethodInsertJob, MethodQuery:
		j, err = decodeAuditMetadata(p.GetMetadata(), entry.GetResource().GetLabels()["location"])
	case MethodJobCompleted:
		j, err = decodeLegacy(p.GetServiceData())
	default:
		return JobDone{}, malformed("protoPayload.methodName", "%q is not a BigQuery job method", m)
	}
	if err != nil {
		return JobDone{}, err
	}
	j.Method = p.GetMethodName()
	j.Principal = p.GetAuthenticationInfo().GetPrincipalEmail()
	if s := p.GetStatus(); j.Finished() && j.Err == nil && s.GetCode() != 0 {
		j.Err = NewStatus(s.GetCode(), s.GetMessage())
	}
	return j, nil
}

// decodeAuditMetadata reads the BigQueryAuditMetadata of an InsertJob or Query entry.
func decodeAuditMetadata(md *structpb.Struct, location string) (JobDone, error) {
	const field = "protoPayload.metadata"
	if md == nil {
		return JobDone{}, malformed(field, "missing")
	}
	var m bqMetadata
	if err := decodeStruct(field, md, &m); err != nil {
		return JobDone{}, err
	}
	var (
		j    JobDone
		job  *bqJob
		path string
	)
	switch {
	case m.JobChange != nil:
		j.Event, job, path = eventJobChange, m.JobChange.Job, field+".jobChange.job"
		j.State = JobState(m.JobChange.After)
	case m.JobInsertion != nil:
		j.Event, job, path = eventJobInsertion, m.JobInsertion.Job, field+".jobInsertion.job"
	default:
		// Another event of the job's method (tableDataRead, tableDataChange, ...): nothing to do.
		if j.Event = structEvent(md); j.Event == "" {
			return JobDone{}, malformed(field, "carries no event")
		}
		return j, nil
	}
	if job == nil {
		return JobDone{}, malformed(path, "missing")
	}
	if j.State == "" && job.JobStatus != nil {
		j.State = JobState(job.JobStatus.JobState)
	}
	project, id, err := parseJobName(path+".jobName", job.JobName)
	if err != nil {
		return JobDone{}, err
	}
	j.Job = JobRef{Project: project, ID: id, Location: location}
	destPath := path + ".jobConfig"
	if c := job.JobConfig; c != nil {
		var dest string
		switch {
		case c.QueryConfig != nil:
			j.Kind, dest, destPath = KindQuery, c.QueryConfig.DestinationTable, destPath+".queryConfig.destinationTable"
		case c.LoadConfig != nil:
			j.Kind, dest, destPath = KindLoad, c.LoadConfig.DestinationTable, destPath+".loadConfig.destinationTable"
		case c.TableCopyConfig != nil:
			j.Kind, dest, destPath = KindCopy, c.TableCopyConfig.DestinationTable, destPath+".tableCopyConfig.destinationTable"
		case c.ExtractConfig != nil:
			j.Kind, destPath = KindExtract, destPath+".extractConfig"
		}
		if dest != "" {
			if j.Destination, err = parseTableName(destPath, dest); err != nil {
				return JobDone{}, err
			}
		}
		j.Labels = labelsOf(c.Labels)
	}
	if s := job.JobStatus; s != nil {
		j.Err = statusFrom(s.ErrorResult)
	}
	if s := job.JobStats; s != nil {
		if j.StartTime, err = parseTime(path+".jobStats.startTime", s.StartTime); err != nil {
			return JobDone{}, err
		}
		if j.EndTime, err = parseTime(path+".jobStats.endTime", s.EndTime); err != nil {
			return JobDone{}, err
		}
	}
	if j.Finished() && j.Kind != KindExtract && j.Destination.IsZero() {
		return JobDone{}, malformed(destPath, "a finished job must name its destination table")
	}
	return j, nil
}

// decodeLegacy reads the AuditData of a jobservice.jobcompleted entry.
func decodeLegacy(sd *structpb.Struct) (JobDone, error) {
	const field = "protoPayload.serviceData"
	if sd == nil {
		return JobDone{}, malformed(field, "missing")
	}
	var d legacyServiceData
	if err := decodeStruct(field, sd, &d); err != nil {
		return JobDone{}, err
	}
	ev := d.JobCompletedEvent
	if ev == nil {
		return JobDone{}, malformed(field+".jobCompletedEvent", "missing")
	}
	if ev.EventName == "" {
		return JobDone{}, malformed(field+".jobCompletedEvent.eventName", "missing")
	}
	path := field + ".jobCompletedEvent.job"
	job := ev.Job
	if job == nil {
		return JobDone{}, malformed(path, "missing")
	}
	n := job.JobName
	if n == nil || n.ProjectID == "" || n.JobID == "" {
		return JobDone{}, malformed(path+".jobName", "want projectId and jobId")
	}
	j := JobDone{Event: ev.EventName, Job: JobRef{Project: n.ProjectID, ID: n.JobID, Location: n.Location}}
	destPath := path + ".jobConfiguration"
	if c := job.JobConfiguration; c != nil {
		var dest *legacyTableName
		switch {
		case c.Query != nil:
			j.Kind, dest, destPath = KindQuery, c.Query.DestinationTable, destPath+".query.destinationTable"
		case c.Load != nil:
			j.Kind, dest, destPath = KindLoad, c.Load.DestinationTable, destPath+".load.destinationTable"
		case c.TableCopy != nil:
			j.Kind, dest, destPath = KindCopy, c.TableCopy.DestinationTable, destPath+".tableCopy.destinationTable"
		case c.Extract != nil:
			j.Kind, destPath = KindExtract, destPath+".extract"
		}
		if dest != nil && *dest != (legacyTableName{}) {
			if dest.ProjectID == "" || dest.DatasetID == "" || dest.TableID == "" {
				return JobDone{}, malformed(destPath, "want projectId, datasetId and tableId")
			}
			j.Destination = warehouse.Ref{Project: dest.ProjectID, Dataset: dest.DatasetID, Table: dest.TableID}
		}
		j.Labels = labelsOf(c.Labels)
	}
	if s := job.JobStatus; s != nil {
		j.State, j.Err = JobState(s.State), statusFrom(s.Error)
	}
	if s := job.JobStatistics; s != nil {
		var err error
		if j.StartTime, err = parseTime(path+".jobStatistics.startTime", s.StartTime); err != nil {
			return JobDone{}, err
		}
		if j.EndTime, err = parseTime(path+".jobStatistics.endTime", s.EndTime); err != nil {
			return JobDone{}, err
		}
	}
	if j.Finished() && j.Kind != KindExtract && j.Destination.IsZero() {
		return JobDone{}, malformed(destPath, "a finished job must name its destination table")
	}
	return j, nil
}
