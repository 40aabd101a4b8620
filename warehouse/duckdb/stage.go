package duckdb

import (
	"context"
	"database/sql"
	"fmt"
)

// A job that writes holds the write lock for its transaction, so jobs write one at a time. What a query job
// or a load job writes is computed before, without the lock, into a temporary table of the job's connection
// (its "result"): the query of one job then runs while another job commits, and the lock is held only to move
// the rows into place. The result is what the query read when it ran, as in BigQuery, where a job reads a
// snapshot taken when it starts; and a query that reads the table it replaces reads it before it is replaced.

// result is a job's result, staged in a temporary table.
type result struct {
	table   string // the temporary table, quoted
	columns []column
	rows    int64
}

// stageResult runs query into a new temporary table of the connection.
func (w *Warehouse) stageResult(ctx context.Context, c *sql.Conn, query string, cols []column, args ...any) (result, error) {
	r := result{table: quote(fmt.Sprintf("pltv_result_%d", w.staged.Add(1))), columns: cols}
	if _, err := c.ExecContext(ctx, "CREATE TEMP TABLE "+r.table+" AS "+query, args...); err != nil {
		return r, err
	}
	return r, c.QueryRowContext(ctx, "SELECT count(*) FROM "+r.table).Scan(&r.rows)
}

// drop drops the temporary table, if the result was staged.
func (r result) drop(ctx context.Context, c *sql.Conn) {
	if r.table != "" {
		_, _ = c.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS temp."+r.table)
	}
}
