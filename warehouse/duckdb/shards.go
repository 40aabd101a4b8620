package duckdb

import (
	"context"
	"database/sql"
	"strings"

	"github.com/pltv/pltv/warehouse"
)

// Date shards (name_YYYYMMDD) are not tables of their own: the shards of a family share one table,
// name__shards, whose _shard column holds each row's date, and each shard is a view of its rows under its own
// name. A wildcard table over a family is then one scan of that table, pruned by DuckDB's zone maps on _shard,
// instead of a union of hundreds of tables; and the catalog stays small. A family has the columns of its first
// shard: a shard written with other columns is a table of its own (or re-creates the family when it is its
// only shard). The registry table _pltv.shards lists the shards of every family, so that a family's shards are
// known without reading the views' definitions.

// ownTableRows is the size from which a shard is written as a table of its own: a shard of a DuckDB row group
// or more gains nothing from sharing a table (its zone maps are its own either way, and a wildcard table
// reads few such tables), while replacing it costs a delete of all its rows in the family's table instead
// of dropping a table.
const ownTableRows = 122880

// registry is the table listing the shards of the families.
const registry = jobSchema + ".shards"

const registryDDL = `CREATE TABLE IF NOT EXISTS ` + registry + ` (dataset VARCHAR, family VARCHAR, shard VARCHAR)`

// placement is where the rows written to a table go.
type placement struct {
	ref    warehouse.Ref
	old    entry // what the name stands for before the write
	exists bool

	family   string   // not empty: the rows go to this family's table, as the shard
	shard    string   // the date
	columns  []column // the family's columns
	create   bool     // create the family's table
	recreate bool     // drop the family's table first: its only shard changes columns
	orphan   bool     // the shard is registered without its view: its rows are deleted first
}

func (p placement) inFamily() bool { return p.family != "" }

// familySQL names the table of the placement's family.
func (p placement) familySQL() string {
	return quote(p.ref.Dataset) + "." + quote(familyTable(p.family))
}

// place decides where a write of rows rows (-1: not known) with the columns cols goes. With replace the write
// replaces the table's rows and columns (WRITE_TRUNCATE, WRITE_EMPTY, or a table created by the write);
// otherwise it adds rows to the table as it is. cols is nil when the columns are not known: the rows then go
// to a table of its own unless the table is a shard already.
func (w *Warehouse) place(ref warehouse.Ref, cols []column, rows int64, replace bool) placement {
	p := placement{ref: ref}
	p.old, p.exists = w.cat.lookup(ref)
	if p.exists && !replace {
		if p.old.kind == shardView {
			p.family, p.shard, p.columns = p.old.family, p.old.shard, p.old.columns
		}
		return p
	}
	if p.exists && p.old.kind == userView {
		return p
	}
	name, date, ok := warehouse.SplitShard(ref.Table)
	if !ok || cols == nil || hasColumn(cols, shardColumn) || rows >= ownTableRows {
		return p
	}
	f, found := w.cat.family(ref.Dataset, name)
	only := found && (len(f.shards) == 0 || (len(f.shards) == 1 && f.shards[date] && p.exists && p.old.kind == shardView))
	switch {
	case !found:
		p.family, p.create = name, true
	case sameColumns(f.columns, cols):
		p.family = f.name
	case only:
		p.family, p.recreate = f.name, true
	default:
		return p // other columns than the family's: a table of its own
	}
	p.shard, p.columns = date, cols
	p.orphan = found && w.cat.orphan(ref)
	return p
}

func hasColumn(cols []column, name string) bool {
	for _, c := range cols {
		if strings.EqualFold(c.Name, name) {
			return true
		}
	}
	return false
}

// makeRoom prepares a replacing write, in the write's transaction: in a family, it creates the family's table
// and the shard's view if needed, and deletes the shard's rows; for a table of its own, it takes the name out
// of its family if it was a shard (the caller then creates the table).
func (w *Warehouse) makeRoom(ctx context.Context, c *sql.Conn, p placement) error {
	if !p.inFamily() {
		if p.exists && p.old.kind == shardView {
			return w.dropShard(ctx, c, p.old)
		}
		return nil
	}
	if p.exists && p.old.kind == plainTable {
		if _, err := c.ExecContext(ctx, "DROP TABLE "+tableSQL(p.ref)); err != nil {
			return err
		}
	}
	isShard := p.exists && p.old.kind == shardView
	if p.recreate {
		if isShard {
			if err := dropView(ctx, c, p.ref.Dataset, p.old); err != nil {
				return err
			}
			isShard = false
		}
		if _, err := c.ExecContext(ctx, "DROP TABLE "+p.familySQL()); err != nil {
			return err
		}
	}
	if p.create || p.recreate {
		if _, err := c.ExecContext(ctx, createTableSQL(p.familySQL(), append([]column{{Name: shardColumn, Type: "VARCHAR"}}, p.columns...))); err != nil {
			return err
		}
	}
	if isShard || p.orphan {
		_, err := c.ExecContext(ctx, "DELETE FROM "+p.familySQL()+" WHERE "+shardColumn+" = "+sqlString(p.shard))
		if err != nil || isShard {
			return err
		}
		_, err = c.ExecContext(ctx, "DELETE FROM "+registry+" WHERE lower(dataset) = lower(?) AND lower(family) = lower(?) AND shard = ?",
			p.ref.Dataset, p.family, p.shard)
		if err != nil {
			return err
		}
	}
	return createView(ctx, c, p)
}

// createView creates the view of a shard and registers it.
func createView(ctx context.Context, c *sql.Conn, p placement) error {
	cols := make([]string, len(p.columns))
	for i, col := range p.columns {
		cols[i] = quote(col.Name)
	}
	// One statement of literals: DuckDB runs it without preparing it.
	_, err := c.ExecContext(ctx, "CREATE VIEW "+tableSQL(p.ref)+" AS SELECT "+strings.Join(cols, ", ")+" FROM "+p.familySQL()+
		" WHERE "+shardColumn+" = "+sqlString(p.shard)+";\n"+
		"INSERT INTO "+registry+" VALUES ("+sqlString(p.ref.Dataset)+", "+sqlString(p.family)+", "+sqlString(p.shard)+")")
	return err
}

// dropView drops the view of a shard and unregisters it.
func dropView(ctx context.Context, c *sql.Conn, dataset string, e entry) error {
	if _, err := c.ExecContext(ctx, "DROP VIEW "+quote(dataset)+"."+quote(e.name)); err != nil {
		return err
	}
	_, err := c.ExecContext(ctx, "DELETE FROM "+registry+" WHERE lower(dataset) = lower(?) AND lower(family) = lower(?) AND shard = ?",
		dataset, e.family, e.shard)
	return err
}

// dropShard deletes a shard: its view and its rows.
func (w *Warehouse) dropShard(ctx context.Context, c *sql.Conn, e entry) error {
	if err := dropView(ctx, c, e.dataset, e); err != nil {
		return err
	}
	return deleteShardRows(ctx, c, e)
}

// deleteShardRows deletes the rows of an unregistered shard from its family's table, or the table when no
// shard of the family is left.
func deleteShardRows(ctx context.Context, c *sql.Conn, e entry) error {
	fam := quote(e.dataset) + "." + quote(familyTable(e.family))
	var left int64
	err := c.QueryRowContext(ctx, "SELECT count(*) FROM "+registry+" WHERE lower(dataset) = lower(?) AND lower(family) = lower(?)",
		e.dataset, e.family).Scan(&left)
	if err != nil {
		return err
	}
	if left == 0 {
		_, err = c.ExecContext(ctx, "DROP TABLE "+fam)
		return err
	}
	_, err = c.ExecContext(ctx, "DELETE FROM "+fam+" WHERE "+shardColumn+" = "+sqlString(e.shard))
	return err
}

// unshard turns a shard into a table of its own, with the same name, columns and rows: the statements of a
// script may change it as a table.
func (w *Warehouse) unshard(ctx context.Context, c *sql.Conn, e entry) error {
	if err := dropView(ctx, c, e.dataset, e); err != nil {
		return err
	}
	t := quote(e.dataset) + "." + quote(e.name)
	if _, err := c.ExecContext(ctx, createTableSQL(t, e.columns)); err != nil {
		return err
	}
	cols := make([]string, len(e.columns))
	for i, col := range e.columns {
		cols[i] = quote(col.Name)
	}
	_, err := c.ExecContext(ctx, "INSERT INTO "+t+" SELECT "+strings.Join(cols, ", ")+" FROM "+
		quote(e.dataset)+"."+quote(familyTable(e.family))+" WHERE "+shardColumn+" = "+sqlString(e.shard))
	if err != nil {
		return err
	}
	return deleteShardRows(ctx, c, e)
}

// createTableSQL is the statement creating the table t (a quoted name) with the columns.
func createTableSQL(t string, cols []column) string {
	defs := make([]string, len(cols))
	for i, col := range cols {
		defs[i] = quote(col.Name) + " " + col.Type
		if col.NotNull {
			defs[i] += " NOT NULL"
		}
	}
	return "CREATE TABLE " + t + " (" + strings.Join(defs, ", ") + ")"
}

// record records a committed write in the catalog: the table now holds rows rows (-1: not known).
func (w *Warehouse) record(p placement, rows int64) {
	name := p.ref.Table
	if p.exists {
		name = p.old.name
	}
	if p.inFamily() {
		w.cat.setShard(p.ref.Dataset, name, p.family, p.columns, p.shard, rows)
		return
	}
	k := plainTable
	if p.exists && p.old.kind == userView {
		k = userView
	}
	w.cat.setTable(p.ref.Dataset, name, k, nil, rows)
}
