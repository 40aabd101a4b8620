package value

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ToJSON converts a value to what encoding/json renders as the same JSON: bytes become base64 text (they
// cannot be returned by a workflow, so callers that must refuse them check first) and functions their name.
func ToJSON(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = ToJSON(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = ToJSON(e)
		}
		return out
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	case *Func:
		return x.Name
	case float64:
		return jsonDouble(x)
	}
	return v
}

// jsonDouble keeps a whole double recognisable as a double in JSON output (1.0, not 1).
type jsonDouble float64

func (d jsonDouble) MarshalJSON() ([]byte, error) {
	f := float64(d)
	if f != f || f > 1.7976931348623157e308 || f < -1.7976931348623157e308 {
		return nil, fmt.Errorf("%v cannot be encoded as JSON", f)
	}
	return []byte(FormatDouble(f)), nil
}

// MarshalJSON encodes v as compact JSON, map keys sorted.
func MarshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ToJSON(v)); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// MarshalJSONIndent encodes v as JSON indented by indent.
func MarshalJSONIndent(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(ToJSON(v)); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// UnmarshalJSON decodes JSON into a value: whole numbers that fit become integers, other numbers doubles.
func UnmarshalJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("unexpected data after the JSON value")
	}
	return FromJSON(v)
}

// FromJSON converts what encoding/json decoded (with UseNumber, or plain float64) into a value.
func FromJSON(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, string:
		return x, nil
	case json.Number:
		return ParseNumber(string(x))
	case float64:
		return x, nil
	case int:
		return int64(x), nil
	case int64:
		return x, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := FromJSON(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := FromJSON(e)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	}
	return nil, fmt.Errorf("%T is not a JSON value", v)
}

// ParseNumber reads a JSON number: an integer when it has no fraction or exponent and fits in 64 bits.
func ParseNumber(s string) (any, error) {
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("invalid number %q", s)
	}
	return f, nil
}

// Normalize converts a Go value built by a caller (ints of any size, float32, []string, map[string]string,
// structs...) into a value by a JSON round trip, so that an execution argument is exactly what the same
// JSON passed with --data would give.
func Normalize(v any) (any, error) {
	switch v.(type) {
	case nil, bool, int64, float64, string:
		return v, nil
	}
	if raw, ok := v.(json.RawMessage); ok {
		return UnmarshalJSON(raw)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("argument is not JSON: %w", err)
	}
	return UnmarshalJSON(b)
}
