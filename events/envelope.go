package events

import (
	"encoding/json"
	"errors"
	"mime"
	"sort"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/pltv/pltv/warehouse"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
)

// eventData checks a CloudEvent's envelope and returns its data.
func eventData(e event.Event, wantType string) ([]byte, error) {
	fail := func(field, format string, args ...any) error {
		return withEvent(malformed(field, format, args...), e.ID(), e.Type())
	}
	if err := e.Validate(); err != nil {
		return nil, fail("", "%w", err)
	}
	if e.Type() != wantType {
		return nil, fail("type", "want %s", wantType)
	}
	if ct := e.DataContentType(); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return nil, fail("datacontenttype", "want application/json, got %q", ct)
		}
	}
	data := e.Data()
	if len(data) == 0 {
		return nil, fail("data", "empty")
	}
	return data, nil
}

// unmarshalJSON decodes JSON into v, naming the offending field of a type mismatch.
func unmarshalJSON(field string, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return malformed(join(field, te.Field), "want %s, got JSON %s", te.Type, te.Value)
		}
		return malformed(field, "%w", err)
	}
	return nil
}

// decodeStruct decodes a google.protobuf.Struct (as protojson leaves the free-form parts of an audit log)
// into v through its JSON form.
func decodeStruct(field string, s *structpb.Struct, v any) error {
	b, err := protojson.Marshal(s)
	if err != nil {
		return malformed(field, "%w", err)
	}
	return unmarshalJSON(field, b, v)
}

// structEvent returns the first key of s other than "@type", in sorted order: the name of the event a
// BigQueryAuditMetadata carries.
func structEvent(s *structpb.Struct) string {
	keys := make([]string, 0, len(s.GetFields()))
	for k := range s.GetFields() {
		if k != "@type" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}

func labelsOf(m map[string]string) warehouse.Labels {
	if len(m) == 0 {
		return nil
	}
	l := make(warehouse.Labels, len(m))
	for k, v := range m {
		l[k] = v
	}
	return l
}

func join(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "." + b
}
