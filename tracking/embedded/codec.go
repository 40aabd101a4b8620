package embedded

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/pltv/pltv/tracking"
)

// Documents are stored as CBOR maps, which keep what Firestore keeps apart: integers and floats, text and
// bytes, and (as tagged RFC 3339 text) timestamps.
var (
	encMode = must(cbor.EncOptions{Time: cbor.TimeRFC3339Nano, TimeTag: cbor.EncTagRequired}.EncMode())
	decMode = must(cbor.DecOptions{
		DefaultMapType: reflect.TypeFor[map[string]any](),
		IntDec:         cbor.IntDecConvertSignedOrFail,
		TimeTagToAny:   cbor.TimeTagToTime,
		UTF8:           cbor.UTF8DecodeInvalid,
	}.DecMode())
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// encode normalises fields to the Store's value types (as Firestore would store them) and encodes them after
// the document's version.
func encode(version uint64, fields tracking.Fields) ([]byte, error) {
	m, err := normalizeMap(fields)
	if err != nil {
		return nil, err
	}
	b, err := encMode.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode fields: %w", err)
	}
	return append(binary.BigEndian.AppendUint64(nil, version), b...), nil
}

// version returns a stored document's version.
func version(v []byte) string {
	if len(v) < 8 {
		return ""
	}
	return strconv.FormatUint(binary.BigEndian.Uint64(v), 10)
}

func decodeDoc(coll, id string, v []byte) (tracking.Doc, error) {
	if len(v) < 8 {
		return tracking.Doc{}, fmt.Errorf("stored document of %d bytes", len(v))
	}
	fields, err := decode(v[8:])
	if err != nil {
		return tracking.Doc{}, err
	}
	return tracking.Doc{Collection: coll, ID: id, Fields: fields, Version: version(v)}, nil
}

func decode(v []byte) (tracking.Fields, error) {
	var m map[string]any
	if err := decMode.Unmarshal(v, &m); err != nil {
		return nil, fmt.Errorf("decode fields: %w", err)
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

func normalizeMap(m map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(m))
	for k, v := range m {
		n, err := normalize(v)
		if err != nil {
			return nil, fmt.Errorf("field %q: %w", k, err)
		}
		out[k] = n
	}
	return out, nil
}

// normalize converts a value to one of the Store's types: nil, bool, int64, float64, string, []byte,
// time.Time (UTC, microseconds), map[string]any or []any.
func normalize(v any) (any, error) {
	switch v := v.(type) {
	case nil, bool, int64, float64, string:
		return v, nil
	case int:
		return int64(v), nil
	case int8:
		return int64(v), nil
	case int16:
		return int64(v), nil
	case int32:
		return int64(v), nil
	case uint8:
		return int64(v), nil
	case uint16:
		return int64(v), nil
	case uint32:
		return int64(v), nil
	case uint64:
		if v > math.MaxInt64 {
			return nil, fmt.Errorf("integer %d overflows int64", v)
		}
		return int64(v), nil
	case float32:
		return float64(v), nil
	case []byte:
		return bytes.Clone(v), nil
	case time.Time:
		return v.UTC().Truncate(tracking.Precision), nil
	case tracking.Fields:
		return normalizeMap(v)
	case map[string]any:
		return normalizeMap(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			n, err := normalize(e)
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", i, err)
			}
			out[i] = n
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported value type %T", v)
}
