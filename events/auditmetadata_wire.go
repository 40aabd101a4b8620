package events

// The part of BigQueryAuditMetadata (protoPayload.metadata of the InsertJob format) that pltv reads and
// writes, in its JSON form. Field names are those of google.cloud.audit.BigQueryAuditMetadata; the tests
// check them against the proto.

const typeBigQueryAuditMetadata = "type.googleapis.com/google.cloud.audit.BigQueryAuditMetadata"

type bqMetadata struct {
	Type         string          `json:"@type,omitempty"`
	JobChange    *bqJobChange    `json:"jobChange,omitempty"`
	JobInsertion *bqJobInsertion `json:"jobInsertion,omitempty"`
}

type bqJobChange struct {
	After  string `json:"after,omitempty"`
	Before string `json:"before,omitempty"`
	Job    *bqJob `json:"job,omitempty"`
}

type bqJobInsertion struct {
	Job    *bqJob `json:"job,omitempty"`
	Reason string `json:"reason,omitempty"`
}

type bqJob struct {
	JobConfig *bqJobConfig `json:"jobConfig,omitempty"`
	JobName   string       `json:"jobName,omitempty"`
	JobStats  *bqJobStats  `json:"jobStats,omitempty"`
	JobStatus *bqJobStatus `json:"jobStatus,omitempty"`
}

type bqJobConfig struct {
	ExtractConfig   *bqExtractConfig   `json:"extractConfig,omitempty"`
	Labels          map[string]string  `json:"labels,omitempty"`
	LoadConfig      *bqLoadConfig      `json:"loadConfig,omitempty"`
	QueryConfig     *bqQueryConfig     `json:"queryConfig,omitempty"`
	TableCopyConfig *bqTableCopyConfig `json:"tableCopyConfig,omitempty"`
	Type            string             `json:"type,omitempty"`
}

type bqQueryConfig struct {
	CreateDisposition string `json:"createDisposition,omitempty"`
	DestinationTable  string `json:"destinationTable,omitempty"`
	Priority          string `json:"priority,omitempty"`
	Query             string `json:"query,omitempty"`
	StatementType     string `json:"statementType,omitempty"`
	WriteDisposition  string `json:"writeDisposition,omitempty"`
}

type bqLoadConfig struct {
	CreateDisposition string   `json:"createDisposition,omitempty"`
	DestinationTable  string   `json:"destinationTable,omitempty"`
	SourceUris        []string `json:"sourceUris,omitempty"`
	WriteDisposition  string   `json:"writeDisposition,omitempty"`
}

type bqTableCopyConfig struct {
	CreateDisposition string   `json:"createDisposition,omitempty"`
	DestinationTable  string   `json:"destinationTable,omitempty"`
	SourceTables      []string `json:"sourceTables,omitempty"`
	WriteDisposition  string   `json:"writeDisposition,omitempty"`
}

type bqExtractConfig struct {
	DestinationUris []string `json:"destinationUris,omitempty"`
	SourceTable     string   `json:"sourceTable,omitempty"`
}

type bqJobStatus struct {
	ErrorResult *rpcStatus  `json:"errorResult,omitempty"`
	Errors      []rpcStatus `json:"errors,omitempty"`
	JobState    string      `json:"jobState,omitempty"`
}

type bqJobStats struct {
	CreateTime string    `json:"createTime,omitempty"`
	EndTime    string    `json:"endTime,omitempty"`
	LoadStats  *struct{} `json:"loadStats,omitempty"`
	QueryStats *struct{} `json:"queryStats,omitempty"`
	StartTime  string    `json:"startTime,omitempty"`
}
