package warehouse

import (
	"fmt"
	"regexp"
	"strings"
)

// Dataset names a dataset: a BigQuery project and dataset (a schema in the embedded warehouse).
type Dataset struct {
	Project string
	Dataset string
}

// Ref names one table.
type Ref struct {
	Project string
	Dataset string
	Table   string
}

// Table returns the named table of the dataset.
func (d Dataset) Table(name string) Ref { return Ref{d.Project, d.Dataset, name} }

// Shard returns the date shard name_YYYYMMDD of the dataset.
func (d Dataset) Shard(name, date string) Ref { return d.Table(name + "_" + date) }

// DatasetOf returns the dataset holding the table.
func (r Ref) DatasetOf() Dataset { return Dataset{r.Project, r.Dataset} }

// SQL returns the table as GoogleSQL names it: `project.dataset.table`.
func (r Ref) SQL() string { return "`" + r.String() + "`" }

// String returns project.dataset.table.
func (r Ref) String() string {
	if r.Project == "" {
		return r.Dataset + "." + r.Table
	}
	return r.Project + "." + r.Dataset + "." + r.Table
}

// IsZero reports whether the ref names nothing.
func (r Ref) IsZero() bool { return r == Ref{} }

var shardRE = regexp.MustCompile(`^(.+)_(\d{8})$`)

// SplitShard splits name_YYYYMMDD into name and date; ok is false when the table is not a date shard.
func SplitShard(table string) (name, date string, ok bool) {
	m := shardRE.FindStringSubmatch(table)
	if m == nil {
		return table, "", false
	}
	return m[1], m[2], true
}

var idRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ParseRef parses project.dataset.table or dataset.table (with optional backticks).
func ParseRef(s string) (Ref, error) {
	parts := strings.Split(strings.Trim(s, "`"), ".")
	var r Ref
	switch len(parts) {
	case 2:
		r = Ref{Dataset: parts[0], Table: parts[1]}
	case 3:
		r = Ref{Project: parts[0], Dataset: parts[1], Table: parts[2]}
	default:
		return Ref{}, fmt.Errorf("table %q: want dataset.table or project.dataset.table", s)
	}
	if !idRE.MatchString(r.Dataset) || len(r.Dataset) > 1024 {
		return Ref{}, fmt.Errorf("table %q: invalid dataset name %q", s, r.Dataset)
	}
	if r.Table == "" {
		return Ref{}, fmt.Errorf("table %q: empty table name", s)
	}
	return r, nil
}
