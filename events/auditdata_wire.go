package events

// The part of the legacy AuditData (protoPayload.serviceData of jobservice.jobcompleted entries) that pltv
// reads and writes, in its JSON form. Field names are those of google.cloud.bigquery.logging.v1.AuditData;
// the tests check them against the proto.

const typeLegacyAuditData = "type.googleapis.com/google.cloud.bigquery.logging.v1.AuditData"

type legacyServiceData struct {
	Type              string              `json:"@type,omitempty"`
	JobCompletedEvent *legacyJobCompleted `json:"jobCompletedEvent,omitempty"`
}

type legacyJobCompleted struct {
	EventName string     `json:"eventName,omitempty"`
	Job       *legacyJob `json:"job,omitempty"`
}

type legacyJob struct {
	JobConfiguration *legacyJobConfiguration `json:"jobConfiguration,omitempty"`
	JobName          *legacyJobName          `json:"jobName,omitempty"`
	JobStatistics    *legacyJobStatistics    `json:"jobStatistics,omitempty"`
	JobStatus        *legacyJobStatus        `json:"jobStatus,omitempty"`
}

type legacyJobConfiguration struct {
	Extract   *legacyExtract    `json:"extract,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
	Load      *legacyLoad       `json:"load,omitempty"`
	Query     *legacyQuery      `json:"query,omitempty"`
	TableCopy *legacyTableCopy  `json:"tableCopy,omitempty"`
}

type legacyQuery struct {
	CreateDisposition string           `json:"createDisposition,omitempty"`
	DefaultDataset    *struct{}        `json:"defaultDataset,omitempty"`
	DestinationTable  *legacyTableName `json:"destinationTable,omitempty"`
	Query             string           `json:"query,omitempty"`
	QueryPriority     string           `json:"queryPriority,omitempty"`
	StatementType     string           `json:"statementType,omitempty"`
	WriteDisposition  string           `json:"writeDisposition,omitempty"`
}

type legacyLoad struct {
	CreateDisposition string           `json:"createDisposition,omitempty"`
	DestinationTable  *legacyTableName `json:"destinationTable,omitempty"`
	SourceUris        []string         `json:"sourceUris,omitempty"`
	WriteDisposition  string           `json:"writeDisposition,omitempty"`
}

type legacyTableCopy struct {
	CreateDisposition string            `json:"createDisposition,omitempty"`
	DestinationTable  *legacyTableName  `json:"destinationTable,omitempty"`
	SourceTables      []legacyTableName `json:"sourceTables,omitempty"`
	WriteDisposition  string            `json:"writeDisposition,omitempty"`
}

type legacyExtract struct {
	DestinationUris []string         `json:"destinationUris,omitempty"`
	SourceTable     *legacyTableName `json:"sourceTable,omitempty"`
}

type legacyTableName struct {
	DatasetID string `json:"datasetId,omitempty"`
	ProjectID string `json:"projectId,omitempty"`
	TableID   string `json:"tableId,omitempty"`
}

type legacyJobName struct {
	JobID     string `json:"jobId,omitempty"`
	Location  string `json:"location,omitempty"`
	ProjectID string `json:"projectId,omitempty"`
}

type legacyJobStatistics struct {
	CreateTime string `json:"createTime,omitempty"`
	EndTime    string `json:"endTime,omitempty"`
	StartTime  string `json:"startTime,omitempty"`
}

type legacyJobStatus struct {
	Error *rpcStatus `json:"error,omitempty"`
	State string     `json:"state,omitempty"`
}
