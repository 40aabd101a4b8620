package duckdb

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pltv/pltv/warehouse"
)

// fieldParser converts one CSV field to a column value.
type fieldParser func(string) (any, error)

// parserFor returns the parser of a column, following BigQuery's CSV rules: an empty field is NULL (an
// error in a REQUIRED column), booleans are true/false/t/f/yes/no/y/n/1/0, dates YYYY-MM-DD, timestamps
// YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]] with an optional zone (UTC when absent).
func parserFor(f warehouse.Field) (fieldParser, error) {
	if f.Mode == warehouse.Repeated {
		return nil, fmt.Errorf("column %s: a REPEATED column cannot be loaded from CSV", f.Name)
	}
	var p fieldParser
	switch f.Type {
	case warehouse.String:
		p = func(s string) (any, error) { return s, nil }
	case warehouse.Integer:
		p = func(s string) (any, error) {
			v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%q is not an INTEGER", s)
			}
			return v, nil
		}
	case warehouse.Float:
		p = func(s string) (any, error) {
			v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return nil, fmt.Errorf("%q is not a FLOAT", s)
			}
			return v, nil
		}
	case warehouse.Boolean:
		p = parseBool
	case warehouse.DateType:
		p = func(s string) (any, error) {
			t, err := time.Parse("2006-01-02", strings.TrimSpace(strings.ReplaceAll(s, "/", "-")))
			if err != nil {
				return nil, fmt.Errorf("%q is not a DATE (YYYY-MM-DD)", s)
			}
			return warehouse.DateOf(t), nil
		}
	case warehouse.Timestamp:
		p = parseTimestamp
	case warehouse.Bytes:
		p = func(s string) (any, error) { return []byte(s), nil }
	default:
		return nil, fmt.Errorf("column %s: unsupported type %q", f.Name, f.Type)
	}
	required := f.Mode == warehouse.Required
	return func(s string) (any, error) {
		if s == "" {
			if required {
				return nil, fmt.Errorf("missing value for REQUIRED column")
			}
			return nil, nil
		}
		return p(s)
	}, nil
}

func parseBool(s string) (any, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "t", "yes", "y", "1":
		return true, nil
	case "false", "f", "no", "n", "0":
		return false, nil
	}
	return nil, fmt.Errorf("%q is not a BOOLEAN", s)
}

// timestampLayouts are tried in order, the commonest (no zone) first.
var timestampLayouts = []string{
	"2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999 Z07:00",
	"2006-01-02 15:04:05.999999999Z0700", "2006-01-02 15:04:05.999999999Z07", "2006-01-02 15:04", "2006-01-02 15:04Z07:00",
	"2006-01-02",
}

// parseTimestamp reads a TIMESTAMP as BigQuery's CSV loads do.
func parseTimestamp(s string) (any, error) {
	t := strings.TrimSpace(s)
	if len(t) > 10 && (t[10] == 'T' || t[10] == 't') {
		t = t[:10] + " " + t[11:]
	}
	t = strings.TrimSuffix(strings.TrimSuffix(t, " UTC"), "UTC")
	if strings.HasSuffix(t, "z") {
		t = t[:len(t)-1] + "Z"
	}
	for _, layout := range timestampLayouts {
		if v, err := time.Parse(layout, t); err == nil {
			return v.UTC(), nil
		}
	}
	return nil, fmt.Errorf("%q is not a TIMESTAMP", s)
}

// writeCanonical writes a row of parsed values as one CSV record that DuckDB reads back exactly: strings
// quoted, NULL empty, numbers in Go's shortest exact form, times in UTC.
func writeCanonical(w *bufio.Writer, row warehouse.Row) error {
	for i, v := range row {
		if i > 0 {
			w.WriteByte(',')
		}
		switch x := v.(type) {
		case nil:
		case string:
			w.WriteByte('"')
			w.WriteString(strings.ReplaceAll(x, `"`, `""`))
			w.WriteByte('"')
		case []byte:
			w.WriteByte('"')
			w.WriteString(strings.ReplaceAll(string(x), `"`, `""`))
			w.WriteByte('"')
		case int64:
			w.WriteString(strconv.FormatInt(x, 10))
		case float64:
			w.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
		case bool:
			w.WriteString(strconv.FormatBool(x))
		case warehouse.Date:
			w.WriteString(x.String())
		case time.Time:
			w.WriteString(timestampText(x))
		default:
			return fmt.Errorf("unexpected value %T", v)
		}
	}
	return w.WriteByte('\n')
}
