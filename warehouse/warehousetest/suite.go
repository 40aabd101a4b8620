// Package warehousetest is the conformance suite of the warehouse port: every driver runs it, so that the
// pipeline sees the same behaviour from BigQuery and from the embedded warehouse.
//
//	func TestConformance(t *testing.T) {
//		warehousetest.Run(t, func(t *testing.T) warehouse.Warehouse { ... a fresh, empty warehouse ... },
//			warehousetest.Features{GoogleSQL: true, ErrorLines: true, LoadErrorLines: true, Concurrency: true})
//	}
//
// A driver declares in Features what it cannot do (a driver behind a fake that does not evaluate SQL sets
// GoogleSQL false); the tests that need it are skipped, with the reason.
package warehousetest

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/warehouse"
)

// Features says what the driver under test can do, and where the suite may write.
type Features struct {
	// Dataset is where the suite creates its tables; the default is pltv-test.warehousetest.
	Dataset warehouse.Dataset
	// GoogleSQL: the driver evaluates the GoogleSQL of queries (functions, wildcard tables, scripts).
	GoogleSQL bool
	// ErrorLines: a query the warehouse refuses is a *warehouse.SQLError carrying the line of the error.
	ErrorLines bool
	// LoadErrorLines: a failed load names the source file and the line of the malformed row.
	LoadErrorLines bool
	// Concurrency: the driver is safe for concurrent use (run the suite with -race).
	Concurrency bool
	// SnapshotReads: a Read sees the table as it was when the read began, rows written to it meanwhile
	// left out. BigQuery's tabledata.list pages give no such promise.
	SnapshotReads bool
}

// Run runs the suite. newWarehouse returns a fresh, empty warehouse for one test, closed when the test
// ends (it registers the Close with t.Cleanup).
func Run(t *testing.T, newWarehouse func(t *testing.T) warehouse.Warehouse, f Features) {
	if f.Dataset == (warehouse.Dataset{}) {
		f.Dataset = warehouse.Dataset{Project: "pltv-test", Dataset: "warehousetest"}
	}
	groups := []struct {
		name  string
		tests []test
	}{
		{"Query", queryTests},
		{"Wildcard", wildcardTests},
		{"Tables", tableTests},
		{"Load", loadTests},
		{"Read", readTests},
		{"Insert", insertTests},
		{"Copy", copyTests},
		{"Errors", errorTests},
		{"Functions", functionTests},
		{"Concurrency", concurrencyTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					if tc.needs != nil {
						if missing := tc.needs(f); missing != "" {
							t.Skipf("the driver does not declare %s", missing)
						}
					}
					tc.run(&harness{T: t, w: newWarehouse(t), ds: f.Dataset, f: f, ctx: context.Background()})
				})
			}
		})
	}
}

// test is one case of the suite.
type test struct {
	name  string
	needs func(Features) string // the missing feature's name, or ""
	run   func(h *harness)
}

func needsSQL(f Features) string {
	if !f.GoogleSQL {
		return "GoogleSQL"
	}
	return ""
}

// harness is what a test works with.
type harness struct {
	*testing.T
	w   warehouse.Warehouse
	ds  warehouse.Dataset
	f   Features
	ctx context.Context
}

// ref names a table of the suite's dataset.
func (h *harness) ref(name string) warehouse.Ref { return h.ds.Table(name) }

// sql replaces each {name} in s with the table's GoogleSQL name, `project.dataset.name`.
func (h *harness) sql(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s, '}')
		if i < 0 || j < i {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(h.ref(s[i+1 : j]).SQL())
		s = s[j+1:]
	}
}

// query runs a query job and fails the test on error.
func (h *harness) query(job warehouse.QueryJob) warehouse.JobResult {
	h.Helper()
	job.SQL = h.sql(job.SQL)
	res, err := h.w.Query(h.ctx, job)
	if err != nil {
		h.Fatalf("Query(%s): %v", job.SQL, err)
	}
	return res
}

// into runs a query into a table of the suite's dataset.
func (h *harness) into(table, sql string, write warehouse.WriteDisposition) warehouse.JobResult {
	h.Helper()
	dest := h.ref(table)
	return h.query(warehouse.QueryJob{SQL: sql, Destination: &dest, Write: write})
}

// read returns all rows of a read request.
func (h *harness) read(req warehouse.ReadRequest) (warehouse.Schema, []warehouse.Row) {
	h.Helper()
	var schema warehouse.Schema
	var rows []warehouse.Row
	if req.SQL != "" {
		req.SQL = h.sql(req.SQL)
	}
	err := h.w.Read(h.ctx, req, func(b warehouse.Batch) error {
		schema = b.Schema
		rows = append(rows, b.Rows...)
		return nil
	})
	if err != nil {
		h.Fatalf("Read(%+v): %v", req, err)
	}
	return schema, rows
}

// selectRows returns the rows of a query.
func (h *harness) selectRows(sql string, params map[string]any) []warehouse.Row {
	h.Helper()
	_, rows := h.read(warehouse.ReadRequest{SQL: sql, Params: params})
	return rows
}

// tableRows returns the rows of a table, ordered by its first column.
func (h *harness) tableRows(table string) []warehouse.Row {
	h.Helper()
	return h.selectRows("SELECT * FROM {"+table+"} ORDER BY 1", nil)
}

// insert writes rows and fails the test on error.
func (h *harness) insert(table string, schema warehouse.Schema, rows ...warehouse.Row) {
	h.Helper()
	if err := h.w.Insert(h.ctx, h.ref(table), schema, rows); err != nil {
		h.Fatalf("Insert(%s): %v", table, err)
	}
}

// state returns a table's state and row count.
func (h *harness) state(table string) (warehouse.State, int64) {
	h.Helper()
	info, err := h.w.Table(h.ctx, h.ref(table))
	if err != nil {
		h.Fatalf("Table(%s): %v", table, err)
	}
	return info.State, info.Rows
}

// diff fails the test when want and got differ.
func (h *harness) diff(what string, want, got any) {
	h.Helper()
	if d := cmp.Diff(want, got); d != "" {
		h.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// numbers is a one-column schema used by many tests.
var numbers = warehouse.Schema{{Name: "n", Type: warehouse.Integer}}

// rowsOf returns one-column rows.
func rowsOf(values ...any) []warehouse.Row {
	out := make([]warehouse.Row, len(values))
	for i, v := range values {
		out[i] = warehouse.Row{v}
	}
	return out
}

// seq returns the rows 1..n of the numbers schema.
func seq(n int) []warehouse.Row {
	out := make([]warehouse.Row, n)
	for i := range out {
		out[i] = warehouse.Row{int64(i + 1)}
	}
	return out
}
