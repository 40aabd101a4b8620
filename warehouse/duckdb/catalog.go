package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pltv/pltv/warehouse"
)

// The catalog is the warehouse's own record of the tables of its file: their kind, columns and row counts.
// DuckDB's catalog functions (duckdb_tables(), duckdb_columns()) scan every table of the database, which
// costs tens of milliseconds with a thousand date shards; the warehouse is the only writer of its file, so it
// reads them once and then keeps its record up to date with its own writes. A script (which may create or
// drop anything) makes it read them again.

// column is a column as DuckDB stores it.
type column struct {
	Name    string
	Type    string // as DuckDB prints it: VARCHAR, BIGINT, DECIMAL(38,9), VARCHAR[], ...
	NotNull bool
}

// sameColumns reports whether two tables have the same columns, in the same order.
func sameColumns(a, b []column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].NotNull != b[i].NotNull ||
			!strings.EqualFold(strings.ReplaceAll(a[i].Type, " ", ""), strings.ReplaceAll(b[i].Type, " ", "")) {
			return false
		}
	}
	return true
}

// schemaOf returns the warehouse schema of columns.
func schemaOf(cols []column) warehouse.Schema {
	s := make(warehouse.Schema, len(cols))
	for i, c := range cols {
		s[i] = warehouse.Field{Name: c.Name}
		s[i].Type, s[i].Mode = fieldType(c.Type)
		if c.NotNull && s[i].Mode == warehouse.Nullable {
			s[i].Mode = warehouse.Required
		}
	}
	return s
}

// columnsOf returns the DuckDB columns of a warehouse schema.
func columnsOf(schema warehouse.Schema) ([]column, error) {
	if len(schema) == 0 {
		return nil, fmt.Errorf("empty schema")
	}
	cols := make([]column, len(schema))
	for i, f := range schema {
		t, err := columnType(warehouse.Field{Name: f.Name, Type: f.Type, Mode: f.Mode})
		if err != nil {
			return nil, err
		}
		t, notNull := strings.CutSuffix(t, " NOT NULL")
		cols[i] = column{Name: f.Name, Type: t, NotNull: notNull}
	}
	return cols, nil
}

// kind is what a name of a dataset stands for.
type kind int

const (
	plainTable kind = iota // a table of its own
	userView               // a view created by a script
	shardView              // a date shard stored in its family's table, seen through a view
)

// entry is one name of a dataset. Entries are values: the catalog hands out copies.
type entry struct {
	dataset string // the schema's name as DuckDB knows it
	name    string
	kind    kind
	columns []column // nil when not known yet; never changed in place
	family  string   // shardView: the family's logical name
	shard   string   // shardView: the date
	rows    int64    // -1 when not counted yet
	version uint64   // the catalog's version when the entry last changed
}

// family is a date-sharded family: the shards name_YYYYMMDD of a dataset, stored as the rows of one table
// name__shards whose _shard column holds the date.
type family struct {
	name    string
	columns []column // the shards' columns, without _shard; never changed in place
	shards  map[string]bool
}

// familyTable is the name of the table that holds a family's rows.
func familyTable(name string) string { return name + shardsSuffix }

const (
	shardsSuffix = "__shards"
	shardColumn  = "_shard"
)

type datasetCatalog struct {
	name     string
	entries  map[string]*entry  // by lower-cased name
	families map[string]*family // by lower-cased name
	orphans  map[string]bool    // lower-cased names of registered shards whose view is missing
}

// catalog is the record of the tables. Its methods are safe for concurrent use.
type catalog struct {
	mu       sync.Mutex
	loaded   bool
	version  uint64
	loadedAt uint64                     // the version the catalog was last read at: the version of the entries read then
	datasets map[string]*datasetCatalog // by lower-cased name
}

// ensure reads the catalog from the database when it is not loaded.
func (cat *catalog) ensure(ctx context.Context, c *sql.Conn) error {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	if cat.loaded {
		return nil
	}
	datasets, err := readCatalog(ctx, c)
	if err != nil {
		return fmt.Errorf("read catalog: %w", err)
	}
	cat.datasets, cat.loaded = datasets, true
	cat.version++
	cat.loadedAt = cat.version
	return nil
}

// tableVersion is the version of a table (see Warehouse.Version): the catalog's version when its entry last
// changed, or when the catalog was read for an entry unchanged since; 0 when there is no such table. ok is
// false while the catalog is not loaded.
func (cat *catalog) tableVersion(r warehouse.Ref) (v uint64, ok bool) {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	if !cat.loaded {
		return 0, false
	}
	e := cat.find(r)
	if e == nil {
		return 0, true
	}
	if e.version == 0 {
		return cat.loadedAt, true
	}
	return e.version, true
}

// invalidate makes the next use read the catalog again.
func (cat *catalog) invalidate() {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	cat.loaded, cat.datasets = false, nil
	cat.version++
}

// lookup returns the entry of a table, or false.
func (cat *catalog) lookup(r warehouse.Ref) (entry, bool) {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	e := cat.find(r)
	if e == nil {
		return entry{}, false
	}
	return *e, true
}

// find returns the entry of a table, or nil; the caller holds cat.mu.
func (cat *catalog) find(r warehouse.Ref) *entry {
	d := cat.datasets[strings.ToLower(r.Dataset)]
	if d == nil {
		return nil
	}
	return d.entries[strings.ToLower(r.Table)]
}

// family returns a family of a dataset, or false.
func (cat *catalog) family(dataset, name string) (family, bool) {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	d := cat.datasets[strings.ToLower(dataset)]
	if d == nil {
		return family{}, false
	}
	f := d.families[strings.ToLower(name)]
	if f == nil {
		return family{}, false
	}
	return *f, true
}

// orphan reports whether a shard is registered without its view (see readCatalog).
func (cat *catalog) orphan(r warehouse.Ref) bool {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	d := cat.datasets[strings.ToLower(r.Dataset)]
	return d != nil && d.orphans[strings.ToLower(r.Table)]
}

// hasDataset reports whether the dataset's schema exists.
func (cat *catalog) hasDataset(name string) bool {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	return cat.datasets[strings.ToLower(name)] != nil
}

// list returns the entries of a dataset whose name starts with prefix (case-sensitively), sorted by name.
func (cat *catalog) list(dataset, prefix string, kinds ...kind) []entry {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	d := cat.datasets[strings.ToLower(dataset)]
	if d == nil {
		return nil
	}
	var out []entry
	for _, e := range d.entries {
		if strings.HasPrefix(e.name, prefix) && (len(kinds) == 0 || containsKind(kinds, e.kind)) {
			out = append(out, *e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func containsKind(ks []kind, k kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// remember records what an entry was found to hold (its columns or its row count), unless the entry changed
// since version.
func (cat *catalog) remember(e entry, version uint64) {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	d := cat.datasets[strings.ToLower(e.dataset)]
	if d == nil {
		return
	}
	cur := d.entries[strings.ToLower(e.name)]
	if cur == nil || cur.version > version {
		return
	}
	if e.columns != nil {
		cur.columns = e.columns
	}
	if e.rows >= 0 {
		cur.rows = e.rows
	}
}

// snapshotVersion returns the catalog's version, to pass to remember.
func (cat *catalog) snapshotVersion() uint64 {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	return cat.version
}
