package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/pltv/pltv/warehouse"
)

// Table reports a table's state and schema.
func (w *Warehouse) Table(ctx context.Context, table warehouse.Ref) (warehouse.TableInfo, error) {
	var info warehouse.TableInfo
	err := w.conn(ctx, func(c *sql.Conn) error {
		if err := w.cat.ensure(ctx, c); err != nil {
			return err
		}
		info = warehouse.TableInfo{Ref: table, State: warehouse.Missing}
		e, ok := w.cat.lookup(table)
		if !ok {
			return nil
		}
		e, err := w.complete(ctx, c, e)
		if err != nil {
			return err
		}
		info = tableInfo(e)
		info.Ref = table
		return nil
	})
	if err != nil {
		return warehouse.TableInfo{}, fmt.Errorf("table %s: %w", table, err)
	}
	return info, nil
}

// Tables lists the tables of a dataset whose name starts with prefix, sorted by name.
func (w *Warehouse) Tables(ctx context.Context, dataset warehouse.Dataset, prefix string) ([]warehouse.TableInfo, error) {
	var infos []warehouse.TableInfo
	err := w.conn(ctx, func(c *sql.Conn) error {
		if err := w.cat.ensure(ctx, c); err != nil {
			return err
		}
		entries := w.cat.list(dataset.Dataset, prefix)
		if err := w.countFamilies(ctx, c, entries); err != nil {
			return err
		}
		for _, e := range w.cat.list(dataset.Dataset, prefix) {
			e, err := w.complete(ctx, c, e)
			if err != nil {
				return err
			}
			info := tableInfo(e)
			info.Ref = dataset.Table(e.name)
			infos = append(infos, info)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list tables of %s.%s: %w", dataset.Project, dataset.Dataset, err)
	}
	return infos, nil
}

func tableInfo(e entry) warehouse.TableInfo {
	info := warehouse.TableInfo{State: warehouse.Empty, Rows: e.rows, Schema: schemaOf(e.columns)}
	if e.rows > 0 {
		info.State = warehouse.HasRows
	}
	return info
}

// complete fills in the columns and the row count of an entry when the catalog does not know them, and
// records them.
func (w *Warehouse) complete(ctx context.Context, c *sql.Conn, e entry) (entry, error) {
	if e.columns != nil && e.rows >= 0 {
		return e, nil
	}
	version := w.cat.snapshotVersion()
	found := e
	if e.columns == nil {
		cols, err := describe(ctx, c, quote(e.dataset)+"."+quote(e.name), e.kind == userView)
		if err != nil {
			return e, err
		}
		e.columns, found.columns = cols, cols
	}
	if e.rows < 0 {
		q := "SELECT count(*) FROM " + quote(e.dataset) + "." + quote(e.name)
		if e.kind == shardView {
			q = "SELECT count(*) FROM " + quote(e.dataset) + "." + quote(familyTable(e.family)) +
				" WHERE " + shardColumn + " = " + sqlString(e.shard)
		}
		if err := c.QueryRowContext(ctx, q).Scan(&e.rows); err != nil {
			return e, err
		}
		found.rows = e.rows
	}
	w.cat.remember(found, version)
	return e, nil
}

// countFamilies counts the rows of every shard of the entries whose count is not known, one query per family.
func (w *Warehouse) countFamilies(ctx context.Context, c *sql.Conn, entries []entry) error {
	families := map[string][]entry{}
	for _, e := range entries {
		if e.kind == shardView && e.rows < 0 {
			k := strings.ToLower(e.dataset + "." + e.family)
			families[k] = append(families[k], e)
		}
	}
	for _, shards := range families {
		if len(shards) < 2 {
			continue
		}
		version := w.cat.snapshotVersion()
		e := shards[0]
		rows, err := c.QueryContext(ctx, "SELECT "+shardColumn+", count(*) FROM "+quote(e.dataset)+"."+quote(familyTable(e.family))+
			" GROUP BY ALL")
		if err != nil {
			return err
		}
		counts := map[string]int64{}
		err = scanRows(rows, func() error {
			var shard string
			var n int64
			if err := rows.Scan(&shard, &n); err != nil {
				return err
			}
			counts[shard] = n
			return nil
		})
		if err != nil {
			return err
		}
		for _, s := range shards {
			s.rows = counts[s.shard]
			w.cat.remember(entry{dataset: s.dataset, name: s.name, rows: s.rows}, version)
		}
	}
	return nil
}

// describe reads the columns of a table or view. A view's columns are all nullable, as DuckDB's catalog
// reports them.
func describe(ctx context.Context, c *sql.Conn, table string, view bool) ([]column, error) {
	rows, err := c.QueryContext(ctx, "DESCRIBE "+table)
	if err != nil {
		return nil, err
	}
	cols := []column{}
	err = scanRows(rows, func() error {
		var col column
		var null string
		var key, def, extra sql.NullString
		if err := rows.Scan(&col.Name, &col.Type, &null, &key, &def, &extra); err != nil {
			return err
		}
		col.NotNull = null == "NO" && !view
		cols = append(cols, col)
		return nil
	})
	return cols, err
}

// Version implements warehouse.Versioned: the warehouse is the only writer of its file, and its catalog
// records every write and drop it commits (a script, which may change any table, changes every version).
func (w *Warehouse) Version(table warehouse.Ref) (uint64, bool) {
	return w.cat.tableVersion(table)
}

// Drop deletes a table; a missing table is not an error.
func (w *Warehouse) Drop(ctx context.Context, table warehouse.Ref) error {
	w.write.Lock()
	defer w.write.Unlock()
	err := w.conn(ctx, func(c *sql.Conn) error {
		if err := w.cat.ensure(ctx, c); err != nil {
			return err
		}
		e, ok := w.cat.lookup(table)
		if ok && e.kind == shardView {
			if err := inTx(ctx, c, func() error { return w.dropShard(ctx, c, e) }); err != nil {
				w.cat.invalidate()
				return err
			}
			w.cat.remove(table.Dataset, table.Table)
			return nil
		}
		_, err := c.ExecContext(ctx, "DROP TABLE IF EXISTS "+tableSQL(table))
		if err == nil {
			w.cat.remove(table.Dataset, table.Table)
		}
		return err
	})
	var de *duckdb.Error
	if errors.As(err, &de) && de.Type == duckdb.ErrorTypeCatalog {
		return nil // the dataset does not exist, so neither does the table
	}
	if err != nil {
		return fmt.Errorf("drop %s: %w", table, err)
	}
	return nil
}
