package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/pltv/pltv/warehouse"
)

// Table reports a table's state and schema.
func (w *Warehouse) Table(ctx context.Context, table warehouse.Ref) (warehouse.TableInfo, error) {
	var info warehouse.TableInfo
	err := w.conn(ctx, func(c *sql.Conn) error {
		infos, err := tableInfos(ctx, c, table.DatasetOf(), table.Table, true)
		if err != nil {
			return err
		}
		info = warehouse.TableInfo{Ref: table, State: warehouse.Missing}
		if len(infos) == 1 {
			info = infos[0]
			info.Ref = table
		}
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
		var err error
		infos, err = tableInfos(ctx, c, dataset, prefix, false)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list tables of %s.%s: %w", dataset.Project, dataset.Dataset, err)
	}
	return infos, nil
}

// tableInfos describes the tables of a dataset named name (exact) or starting with name (prefix).
func tableInfos(ctx context.Context, c *sql.Conn, dataset warehouse.Dataset, name string, exact bool) ([]warehouse.TableInfo, error) {
	match := "starts_with(table_name, ?)"
	if exact {
		match = "lower(table_name) = lower(?)"
	}
	rows, err := c.QueryContext(ctx, `SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns()
		WHERE database_name = current_database() AND lower(schema_name) = lower(?) AND `+match+`
		ORDER BY table_name, column_index`, dataset.Dataset, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var infos []warehouse.TableInfo
	for rows.Next() {
		var table, col, typ string
		var nullable bool
		if err := rows.Scan(&table, &col, &typ, &nullable); err != nil {
			return nil, err
		}
		if len(infos) == 0 || infos[len(infos)-1].Ref.Table != table {
			infos = append(infos, warehouse.TableInfo{Ref: dataset.Table(table)})
		}
		f := warehouse.Field{Name: col}
		f.Type, f.Mode = fieldType(typ)
		if !nullable && f.Mode == warehouse.Nullable {
			f.Mode = warehouse.Required
		}
		info := &infos[len(infos)-1]
		info.Schema = append(info.Schema, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := countRows(ctx, c, infos); err != nil {
		return nil, err
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].Ref.Table < infos[j].Ref.Table })
	return infos, nil
}

// countRows fills in the row counts and states, in one query.
func countRows(ctx context.Context, c *sql.Conn, infos []warehouse.TableInfo) error {
	if len(infos) == 0 {
		return nil
	}
	parts := make([]string, len(infos))
	for i, info := range infos {
		parts[i] = fmt.Sprintf("SELECT %d AS i, count(*) AS n FROM %s", i, tableSQL(info.Ref))
	}
	rows, err := c.QueryContext(ctx, strings.Join(parts, " UNION ALL "))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var n int64
		if err := rows.Scan(&i, &n); err != nil {
			return err
		}
		infos[i].Rows = n
		infos[i].State = warehouse.Empty
		if n > 0 {
			infos[i].State = warehouse.HasRows
		}
	}
	return rows.Err()
}

// Drop deletes a table; a missing table is not an error.
func (w *Warehouse) Drop(ctx context.Context, table warehouse.Ref) error {
	w.write.Lock()
	defer w.write.Unlock()
	err := w.conn(ctx, func(c *sql.Conn) error {
		_, err := c.ExecContext(ctx, "DROP TABLE IF EXISTS "+tableSQL(table))
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
