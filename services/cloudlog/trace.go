package cloudlog

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/cloudevents/sdk-go/v2/event"
)

// HeaderCloudTrace is Google's trace header: TRACE_ID/SPAN_ID;o=SAMPLED.
const HeaderCloudTrace = "X-Cloud-Trace-Context"

// HeaderTraceparent is W3C trace context's header, which Eventarc also sets as the traceparent extension.
const HeaderTraceparent = "traceparent"

var (
	cloudTraceRE  = regexp.MustCompile(`^([0-9a-fA-F]{32})(?:/([0-9]+))?`)
	traceparentRE = regexp.MustCompile(`^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$`)
)

// ParseCloudTrace reads an X-Cloud-Trace-Context value: the trace id and the span id ("" when absent or 0).
func ParseCloudTrace(v string) (trace, span string) {
	m := cloudTraceRE.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return "", ""
	}
	if m[2] == "0" {
		m[2] = ""
	}
	return strings.ToLower(m[1]), m[2]
}

// ParseTraceparent reads a W3C traceparent value: the trace id and the parent span id.
func ParseTraceparent(v string) (trace, span string) {
	m := traceparentRE.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil || strings.Trim(m[1], "0") == "" {
		return "", ""
	}
	return m[1], m[2]
}

// FromRequest returns the trace and span of an HTTP request: X-Cloud-Trace-Context first, then traceparent.
func FromRequest(r *http.Request) (trace, span string) {
	if t, s := ParseCloudTrace(r.Header.Get(HeaderCloudTrace)); t != "" {
		return t, s
	}
	return ParseTraceparent(r.Header.Get(HeaderTraceparent))
}

// FromEvent returns the trace and span of a CloudEvent's traceparent extension (distributed tracing), which
// Eventarc sets from the request that caused the event.
func FromEvent(e event.Event) (trace, span string) {
	v, ok := e.Extensions()[HeaderTraceparent]
	if !ok {
		return "", ""
	}
	s, _ := v.(string)
	return ParseTraceparent(s)
}
