package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/pltv/pltv/warehouse"
)

// Insert appends rows to a table, creating it with the schema when it is missing. The rows are written
// together or not at all.
func (w *Warehouse) Insert(ctx context.Context, table warehouse.Ref, schema warehouse.Schema, rows []warehouse.Row) error {
	w.write.Lock()
	defer w.write.Unlock()
	err := w.conn(ctx, func(c *sql.Conn) error {
		for i, r := range rows {
			if len(r) != len(schema) {
				return fmt.Errorf("row %d: %d values for %d columns", i, len(r), len(schema))
			}
		}
		cols, err := columnsOf(schema)
		if err != nil {
			return err
		}
		existing, err := w.rowCount(ctx, c, table)
		if err != nil {
			return err
		}
		pl := w.place(table, cols, int64(len(rows)), existing < 0)
		err = inTx(ctx, c, func() error {
			if err := w.ensureDataset(ctx, c, table.Dataset); err != nil {
				return err
			}
			target, names := table, make([]string, 0, len(schema)+1)
			var lead []any
			if pl.inFamily() {
				target = warehouse.Ref{Dataset: table.Dataset, Table: familyTable(pl.family)}
				names, lead = append(names, shardColumn), []any{pl.shard}
			}
			if existing < 0 {
				if err := w.makeRoom(ctx, c, pl); err != nil {
					return err
				}
				if !pl.inFamily() {
					if err := createTable(ctx, c, table, schema, false); err != nil {
						return err
					}
				}
			}
			for _, f := range schema {
				names = append(names, f.Name)
			}
			return appendRows(ctx, c, target, names, func(add func(...any) error) error {
				for i, r := range rows {
					if err := add(append(lead, r...)...); err != nil {
						return fmt.Errorf("row %d: %w", i, err)
					}
				}
				return nil
			})
		})
		if err != nil {
			return err
		}
		w.record(pl, max(existing, 0)+int64(len(rows)))
		return nil
	})
	if err != nil {
		return fmt.Errorf("insert into %s: %w", table, err)
	}
	return nil
}

// createTable creates a table with the schema: if it is missing, or in any case when replace is true.
func createTable(ctx context.Context, c *sql.Conn, table warehouse.Ref, schema warehouse.Schema, replace bool) error {
	if len(schema) == 0 {
		return fmt.Errorf("empty schema")
	}
	if err := ensureDataset(ctx, c, table.Dataset); err != nil {
		return err
	}
	cols := make([]string, len(schema))
	for i, f := range schema {
		t, err := columnType(f)
		if err != nil {
			return err
		}
		cols[i] = quote(f.Name) + " " + t
	}
	verb := "CREATE TABLE IF NOT EXISTS "
	if replace {
		verb = "CREATE OR REPLACE TABLE "
	}
	_, err := c.ExecContext(ctx, verb+tableSQL(table)+" ("+strings.Join(cols, ", ")+")")
	return err
}

// appendRows appends the rows that produce hands to add to the columns names of the table, through DuckDB's
// appender, in the connection's transaction.
func appendRows(ctx context.Context, c *sql.Conn, table warehouse.Ref, names []string,
	produce func(add func(...any) error) error) error {
	return c.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderWithColumns(dc.(driver.Conn), "", table.Dataset, table.Table, names)
		if err != nil {
			return err
		}
		vals := make([]driver.Value, len(names))
		err = produce(func(r ...any) error {
			for i, v := range r {
				vals[i] = dbValue(v)
			}
			return a.AppendRow(vals...)
		})
		if err != nil {
			_ = a.Clear()
			_ = a.Close()
			return err
		}
		return a.CloseWithCancel(ctx)
	})
}
