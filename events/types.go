package events

// CloudEvent types Eventarc delivers to pltv.
const (
	TypeAuditLogWritten  = "google.cloud.audit.log.v1.written"
	TypeMessagePublished = "google.cloud.pubsub.topic.v1.messagePublished"
)

// Extension attributes Eventarc sets on audit-log events (ce-servicename, ... over HTTP). Triggers filter on
// the first three.
const (
	ExtServiceName  = "servicename"
	ExtMethodName   = "methodname"
	ExtResourceName = "resourcename"
	ExtRecordedTime = "recordedtime"
)

// The BigQuery service and the methods whose audit-log entries report a job's state.
const (
	ServiceBigQuery = "bigquery.googleapis.com"
	// MethodInsertJob entries carry BigQueryAuditMetadata (jobInsertion, then jobChange when the job ends).
	MethodInsertJob = "google.cloud.bigquery.v2.JobService.InsertJob"
	// MethodQuery entries are the same, for jobs created by jobs.query.
	MethodQuery = "google.cloud.bigquery.v2.JobService.Query"
	// MethodJobCompleted entries are the legacy AuditData format, written once per finished job.
	MethodJobCompleted = "jobservice.jobcompleted"
)

// Attributes of a BigQuery Data Transfer Service run notification.
const (
	AttrEventType         = "eventType"
	AttrPayloadFormat     = "payloadFormat"
	EventTransferRunDone  = "TRANSFER_RUN_FINISHED"
	PayloadFormatJSONAPI1 = "JSON_API_V1"
)

const (
	contentTypeAuditLog = "application/json; charset=utf-8"
	contentTypePubSub   = "application/json"
	auditLogDataSchema  = "https://googleapis.github.io/google-cloudevents/jsonschema/google/events/cloud/audit/v1/LogEntryData.json"
)
