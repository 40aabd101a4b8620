package fakebq

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"cloud.google.com/go/civil"
	bqapi "google.golang.org/api/bigquery/v2"
)

// A stored row holds one cell per column: nil for NULL, otherwise the value in the canonical text form the
// REST API sends, except TIMESTAMP, kept as microseconds since the epoch and formatted on the way out.
type row []any

// legacyType returns the legacy name of a column type, the name the REST API answers with.
func legacyType(t string) string {
	switch strings.ToUpper(t) {
	case "INT64", "INTEGER":
		return "INTEGER"
	case "FLOAT64", "FLOAT":
		return "FLOAT"
	case "BOOL", "BOOLEAN":
		return "BOOLEAN"
	case "STRUCT", "RECORD":
		return "RECORD"
	}
	return strings.ToUpper(t)
}

// normalizeSchema returns a copy of s with legacy type names and explicit modes.
func normalizeSchema(s *bqapi.TableSchema) (*bqapi.TableSchema, error) {
	out := &bqapi.TableSchema{}
	if s == nil {
		return out, nil
	}
	for _, f := range s.Fields {
		t := legacyType(f.Type)
		switch t {
		case "RECORD":
			return nil, fmt.Errorf("field %s: RECORD columns are not supported by the fake", f.Name)
		case "":
			return nil, fmt.Errorf("field %s: no type", f.Name)
		}
		mode := strings.ToUpper(f.Mode)
		switch mode {
		case "":
			mode = "NULLABLE"
		case "NULLABLE", "REQUIRED":
		default:
			return nil, fmt.Errorf("field %s: mode %s is not supported by the fake", f.Name, f.Mode)
		}
		out.Fields = append(out.Fields, &bqapi.TableFieldSchema{Name: f.Name, Type: t, Mode: mode})
	}
	return out, nil
}

// sameSchema reports whether two normalized schemas have the same columns (names compared like BigQuery,
// without case).
func sameSchema(a, b *bqapi.TableSchema) bool {
	if len(a.Fields) != len(b.Fields) {
		return false
	}
	for i := range a.Fields {
		if !strings.EqualFold(a.Fields[i].Name, b.Fields[i].Name) || a.Fields[i].Type != b.Fields[i].Type {
			return false
		}
	}
	return true
}

// encode converts v, a Go value, a JSON value decoded with UseNumber, or CSV text, to the stored form of
// a column of type typ.
func encode(typ string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch typ {
	case "STRING", "BYTES", "JSON", "GEOGRAPHY", "TIME", "NUMERIC", "BIGNUMERIC":
		switch x := v.(type) {
		case string:
			return x, nil
		case json.Number:
			return x.String(), nil
		}
		return fmt.Sprint(v), nil
	case "INTEGER":
		return encodeInteger(v)
	case "FLOAT":
		return encodeFloat(v)
	case "BOOLEAN":
		return encodeBool(v)
	case "DATE":
		switch x := v.(type) {
		case civil.Date:
			return x.String(), nil
		case string:
			d, err := civil.ParseDate(strings.TrimSpace(x))
			if err != nil {
				return nil, fmt.Errorf("invalid date %q", x)
			}
			return d.String(), nil
		}
	case "DATETIME":
		switch x := v.(type) {
		case civil.DateTime:
			return x.String(), nil
		case string:
			dt, err := civil.ParseDateTime(strings.Replace(strings.TrimSpace(x), " ", "T", 1))
			if err != nil {
				return nil, fmt.Errorf("invalid datetime %q", x)
			}
			return dt.String(), nil
		}
	case "TIMESTAMP":
		return encodeTimestamp(v)
	default:
		return nil, fmt.Errorf("type %s is not supported by the fake", typ)
	}
	return nil, fmt.Errorf("cannot convert %T to %s", v, typ)
}

func encodeInteger(v any) (any, error) {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case json.Number:
		return encodeInteger(x.String())
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("invalid integer %q", x)
		}
		return strconv.FormatInt(n, 10), nil
	}
	return nil, fmt.Errorf("cannot convert %T to INTEGER", v)
}

func encodeFloat(v any) (any, error) {
	switch x := v.(type) {
	case float64:
		return formatFloat(x), nil
	case int:
		return formatFloat(float64(x)), nil
	case int64:
		return formatFloat(float64(x)), nil
	case json.Number:
		return encodeFloat(x.String())
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return nil, fmt.Errorf("invalid float %q", x)
		}
		return formatFloat(f), nil
	}
	return nil, fmt.Errorf("cannot convert %T to FLOAT", v)
}

func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func encodeBool(v any) (any, error) {
	switch x := v.(type) {
	case bool:
		return strconv.FormatBool(x), nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "t", "yes", "y", "1":
			return "true", nil
		case "false", "f", "no", "n", "0":
			return "false", nil
		}
		return nil, fmt.Errorf("invalid boolean %q", x)
	}
	return nil, fmt.Errorf("cannot convert %T to BOOLEAN", v)
}

// timestampLayouts are the text forms of a TIMESTAMP that loads and streaming inserts accept.
var timestampLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 Z07:00",
	"2006-01-02 15:04:05.999999999 MST",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
}

func encodeTimestamp(v any) (any, error) {
	switch x := v.(type) {
	case time.Time:
		return x.UnixMicro(), nil
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return nil, fmt.Errorf("invalid timestamp %q", x)
		}
		return int64(math.Round(f * 1e6)), nil
	case string:
		s := strings.TrimSpace(x)
		for _, layout := range timestampLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UnixMicro(), nil
			}
		}
		return nil, fmt.Errorf("invalid timestamp %q", x)
	}
	return nil, fmt.Errorf("cannot convert %T to TIMESTAMP", v)
}

// encodeRow converts the values of one row in schema order.
func encodeRow(schema *bqapi.TableSchema, values []any) (row, error) {
	if len(values) != len(schema.Fields) {
		return nil, fmt.Errorf("row has %d values, the schema %d columns", len(values), len(schema.Fields))
	}
	out := make(row, len(values))
	for i, f := range schema.Fields {
		c, err := encode(f.Type, values[i])
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", f.Name, err)
		}
		if c == nil && f.Mode == "REQUIRED" {
			return nil, fmt.Errorf("required field %s cannot be null", f.Name)
		}
		out[i] = c
	}
	return out, nil
}

// restRow is one row as the REST API sends it: {"f": [{"v": ...}, ...]}.
type restRow struct {
	F []restCell `json:"f"`
}

type restCell struct {
	V any `json:"v"`
}

// tableRows formats stored rows the way tabledata.list and getQueryResults answer: every cell a string
// (or null), timestamps as microseconds when the caller asked for int64 timestamps and as floating-point
// seconds otherwise.
func tableRows(rows []row, int64Timestamps bool) []restRow {
	out := make([]restRow, 0, len(rows))
	for _, r := range rows {
		jr := restRow{F: make([]restCell, len(r))}
		for i, c := range r {
			if us, ok := c.(int64); ok {
				if int64Timestamps {
					c = strconv.FormatInt(us, 10)
				} else {
					c = strconv.FormatFloat(float64(us)/1e6, 'E', -1, 64)
				}
			}
			jr.F[i] = restCell{V: c}
		}
		out = append(out, jr)
	}
	return out
}

// withRows is an answer (a REST type, without rows) with rows added. The REST types' generic JSON
// encoding is slow for large pages; rows are encoded directly.
func withRows(resp any, rows []restRow) (any, error) {
	b, err := json.Marshal(resp)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if len(rows) > 0 {
		if m["rows"], err = json.Marshal(rows); err != nil {
			return nil, err
		}
	}
	return m, nil
}
