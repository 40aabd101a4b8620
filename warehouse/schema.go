package warehouse

import (
	"fmt"
	"strings"
	"time"
)

// FieldType is a BigQuery column type (legacy names, as the REST API and bq load schemas spell them).
type FieldType string

const (
	String    FieldType = "STRING"
	Integer   FieldType = "INTEGER"
	Float     FieldType = "FLOAT"
	Boolean   FieldType = "BOOLEAN"
	DateType  FieldType = "DATE"
	Timestamp FieldType = "TIMESTAMP"
	Bytes     FieldType = "BYTES" // values are []byte
)

// Mode is a column's mode.
type Mode string

const (
	Nullable Mode = "NULLABLE"
	Required Mode = "REQUIRED"
	Repeated Mode = "REPEATED" // an array: the value is a []any of the field type's values
)

// Field is one column.
type Field struct {
	Name string
	Type FieldType
	Mode Mode // empty means NULLABLE
}

// Schema is an ordered list of columns.
type Schema []Field

// Index returns the position of the named column (case-insensitive, like BigQuery), or -1.
func (s Schema) Index(name string) int {
	for i, f := range s {
		if strings.EqualFold(f.Name, name) {
			return i
		}
	}
	return -1
}

// ParseFieldType accepts the legacy and the GoogleSQL spellings of a type.
func ParseFieldType(s string) (FieldType, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "STRING":
		return String, nil
	case "INTEGER", "INT64", "INT":
		return Integer, nil
	case "FLOAT", "FLOAT64", "NUMERIC", "BIGNUMERIC":
		return Float, nil
	case "BOOLEAN", "BOOL":
		return Boolean, nil
	case "DATE":
		return DateType, nil
	case "BYTES":
		return Bytes, nil
	case "TIMESTAMP", "DATETIME":
		return Timestamp, nil
	}
	return "", fmt.Errorf("unknown column type %q", s)
}

// ParseSchema parses the bq command-line form "name:TYPE,name:TYPE" (TYPE defaults to STRING).
func ParseSchema(s string) (Schema, error) {
	var out Schema
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, typ, _ := strings.Cut(part, ":")
		if typ == "" {
			typ = "STRING"
		}
		t, err := ParseFieldType(typ)
		if err != nil {
			return nil, fmt.Errorf("schema field %q: %w", name, err)
		}
		out = append(out, Field{Name: strings.TrimSpace(name), Type: t})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty schema %q", s)
	}
	return out, nil
}

// Date is a calendar date without a time zone, the value of a DATE column.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// In returns midnight of the date in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }
