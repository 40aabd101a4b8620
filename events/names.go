package events

import (
	"fmt"
	"strings"
	"time"

	"github.com/pltv/pltv/warehouse"
)

// parseJobName splits projects/P/jobs/ID.
func parseJobName(field, s string) (project, id string, err error) {
	if project, id, err = requireName("job", s, "jobs"); err != nil {
		return "", "", &DecodeError{Field: field, Err: err}
	}
	return project, id, nil
}

// parseTableName splits projects/P/datasets/D/tables/T.
func parseTableName(field, s string) (warehouse.Ref, error) {
	p := strings.Split(s, "/")
	if len(p) != 6 || p[0] != "projects" || p[2] != "datasets" || p[4] != "tables" ||
		p[1] == "" || p[3] == "" || p[5] == "" {
		return warehouse.Ref{}, malformed(field, "want projects/{project}/datasets/{dataset}/tables/{table}, got %q", s)
	}
	return warehouse.Ref{Project: p[1], Dataset: p[3], Table: p[5]}, nil
}

// tableName returns projects/P/datasets/D/tables/T; "" for the zero ref.
func tableName(r warehouse.Ref) string {
	if r.IsZero() {
		return ""
	}
	return "projects/" + r.Project + "/datasets/" + r.Dataset + "/tables/" + r.Table
}

// parseTime parses an RFC 3339 timestamp as protobuf JSON writes it; "" is the zero time.
func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, malformed(field, "timestamp: %w", err)
	}
	return t, nil
}

// formatTime writes a timestamp as protobuf JSON does (UTC, trailing zeros dropped); "" for the zero time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// requireName splits a resource name of the form projects/P/<collection>/ID.
func requireName(what, s, collection string) (project, id string, err error) {
	p := strings.Split(s, "/")
	if len(p) != 4 || p[0] != "projects" || p[2] != collection || p[1] == "" || p[3] == "" {
		return "", "", fmt.Errorf("%s: want projects/{project}/%s/{id}, got %q", what, collection, s)
	}
	return p[1], p[3], nil
}
