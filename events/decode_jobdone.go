package events

import (
	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/googleapis/google-cloudevents-go/cloud/auditdata"
	"google.golang.org/protobuf/encoding/protojson"
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
