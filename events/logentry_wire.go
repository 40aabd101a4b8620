package events

// A Cloud Logging audit LogEntry as the builders write it: the fields and order of the entries Eventarc
// delivers. Decoding goes through auditdata.LogEntryData instead.

const typeAuditLog = "type.googleapis.com/google.cloud.audit.AuditLog"

type logEntryJSON struct {
	ProtoPayload     auditLogJSON      `json:"protoPayload"`
	InsertID         string            `json:"insertId"`
	Resource         monitoredResource `json:"resource"`
	Timestamp        string            `json:"timestamp"`
	Severity         string            `json:"severity"`
	LogName          string            `json:"logName"`
	Operation        *operationJSON    `json:"operation,omitempty"`
	ReceiveTimestamp string            `json:"receiveTimestamp"`
}

type auditLogJSON struct {
	Type               string              `json:"@type"`
	Status             *rpcStatus          `json:"status"`
	AuthenticationInfo authenticationInfo  `json:"authenticationInfo"`
	RequestMetadata    requestMetadata     `json:"requestMetadata"`
	ServiceName        string              `json:"serviceName"`
	MethodName         string              `json:"methodName"`
	AuthorizationInfo  []authorizationInfo `json:"authorizationInfo,omitempty"`
	ResourceName       string              `json:"resourceName"`
	Metadata           *bqMetadata         `json:"metadata,omitempty"`
	ServiceData        *legacyServiceData  `json:"serviceData,omitempty"`
}

type authenticationInfo struct {
	PrincipalEmail string `json:"principalEmail,omitempty"`
}

type requestMetadata struct {
	CallerIP                string   `json:"callerIp"`
	CallerSuppliedUserAgent string   `json:"callerSuppliedUserAgent"`
	RequestAttributes       struct{} `json:"requestAttributes"`
	DestinationAttributes   struct{} `json:"destinationAttributes"`
}

type authorizationInfo struct {
	Resource           string   `json:"resource"`
	Permission         string   `json:"permission"`
	Granted            bool     `json:"granted"`
	ResourceAttributes struct{} `json:"resourceAttributes"`
}

type monitoredResource struct {
	Type   string            `json:"type"`
	Labels map[string]string `json:"labels"`
}

type operationJSON struct {
	ID       string `json:"id"`
	Producer string `json:"producer"`
	First    bool   `json:"first,omitempty"`
	Last     bool   `json:"last,omitempty"`
}
