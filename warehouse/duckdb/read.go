package duckdb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb/internal/googlesql"
)

// Read streams a table, or the result of a GoogleSQL query, to fn in batches of req.BatchSize rows, in
// order. Rows are converted as they are read: only one batch is held in Go memory. (DuckDB itself
// materialises a query's result before the first row is read, in its buffer pool, which spills to disk.)
func (w *Warehouse) Read(ctx context.Context, req warehouse.ReadRequest, fn func(warehouse.Batch) error) error {
	size := req.BatchSize
	if size <= 0 {
		size = 1000
	}
	what := "query"
	if req.Table != nil {
		what = req.Table.String()
	}
	err := w.conn(ctx, func(c *sql.Conn) error {
		q, args, tr, err := w.readQuery(ctx, c, req)
		if err != nil {
			return err
		}
		rows, err := c.QueryContext(ctx, q, args...)
		if err != nil {
			return sqlError(err, tr)
		}
		defer rows.Close()
		return readBatches(rows, size, fn)
	})
	if err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	return nil
}

// readQuery returns the DuckDB query for a read request.
func (w *Warehouse) readQuery(ctx context.Context, c *sql.Conn, req warehouse.ReadRequest) (string, []any, *googlesql.Result, error) {
	if req.Table != nil {
		if err := w.cat.ensure(ctx, c); err != nil {
			return "", nil, nil, err
		}
		if _, ok := w.cat.lookup(*req.Table); !ok {
			return "", nil, nil, notFound(req.Table.String())
		}
		return "SELECT * FROM " + tableSQL(*req.Table), nil, nil, nil
	}
	p, err := newParams(req.Params, w.now())
	if err != nil {
		return "", nil, nil, err
	}
	tr, err := googlesql.Translate(req.SQL, googlesql.Options{Params: p.types})
	if err != nil {
		return "", nil, nil, err
	}
	if len(tr.Statements) != 1 || !tr.Statements[0].IsQuery() {
		return "", nil, nil, &warehouse.SQLError{Line: 1, Message: "a read runs exactly one SELECT"}
	}
	if err := w.expandWildcards(ctx, c, tr, p); err != nil {
		return "", nil, nil, err
	}
	st := tr.Statements[0]
	return st.SQL, p.args(st.Params), tr, nil
}

// readBatches converts the rows and hands them to fn, size at a time.
func readBatches(rows *sql.Rows, size int, fn func(warehouse.Batch) error) error {
	cols, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	raw := make([]string, len(cols))
	for i, c := range cols {
		raw[i] = c.Name()
	}
	names := columnNames(raw)
	schema := make(warehouse.Schema, len(cols))
	for i, c := range cols {
		schema[i].Name = names[i]
		schema[i].Type, schema[i].Mode = fieldType(c.DatabaseTypeName())
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	batch := warehouse.Batch{Schema: schema, Rows: make([]warehouse.Row, 0, size)}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		row := make(warehouse.Row, len(cols))
		for i, v := range vals {
			if row[i], err = value(v, schema[i].Type); err != nil {
				return fmt.Errorf("column %s: %w", schema[i].Name, err)
			}
		}
		batch.Rows = append(batch.Rows, row)
		if len(batch.Rows) == size {
			if err := fn(batch); err != nil {
				return err
			}
			batch.Rows = make([]warehouse.Row, 0, size)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(batch.Rows) > 0 {
		return fn(batch)
	}
	return nil
}
