package vertex

import (
	"time"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/warehouse"
)

// instance encodes row i, already validated against the schema, as Vertex AI takes it: an object keyed by
// feature name, or an array. Numbers are JSON numbers, dates YYYY-MM-DD, timestamps RFC 3339.
func (m *Model) instance(in model.Instances, i int) *structpb.Value {
	row := in.Rows[i]
	if m.cfg.Encoding == Array {
		vs := make([]*structpb.Value, len(row))
		for j, v := range row {
			vs[j] = value(v)
		}
		return structpb.NewListValue(&structpb.ListValue{Values: vs})
	}
	fields := make(map[string]*structpb.Value, len(row))
	for j, v := range row {
		fields[in.Schema[j].Name] = value(v)
	}
	return structpb.NewStructValue(&structpb.Struct{Fields: fields})
}

func value(v any) *structpb.Value {
	switch x := v.(type) {
	case string:
		return structpb.NewStringValue(x)
	case int64:
		return structpb.NewNumberValue(float64(x))
	case float64:
		return structpb.NewNumberValue(x)
	case bool:
		return structpb.NewBoolValue(x)
	case warehouse.Date:
		return structpb.NewStringValue(x.String())
	case time.Time:
		return structpb.NewStringValue(x.UTC().Format(time.RFC3339Nano))
	}
	return structpb.NewNullValue()
}
