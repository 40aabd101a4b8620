package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb/internal/googlesql"
)

// Query runs a GoogleSQL query job. With a destination, the query (one SELECT) replaces the table
// (WriteTruncate), is appended to it (WriteAppend), or fills it only when it is empty or missing (WriteEmpty),
// in one transaction: a failed query leaves the table as it was. Without one, the SQL may be a script of
// statements (DDL, DML, queries), run in one transaction.
func (w *Warehouse) Query(ctx context.Context, job warehouse.QueryJob) (warehouse.JobResult, error) {
	var dest warehouse.Ref
	if job.Destination != nil {
		dest = *job.Destination
	}
	p, perr := newParams(job.Params, w.now())
	var tr *googlesql.Result
	terr := perr
	if perr == nil {
		tr, terr = googlesql.Translate(job.SQL, googlesql.Options{Params: p.types})
	}
	write := job.Destination != nil || tr == nil || len(tr.Statements) != 1 || !tr.Statements[0].IsQuery()
	var staged result
	var stage func(c *sql.Conn) (result, error)
	if job.Destination != nil {
		stage = func(c *sql.Conn) (result, error) {
			var err error
			staged, err = w.stageQuery(ctx, c, tr, terr, p)
			return staged, sqlError(err, tr)
		}
	}
	key := []string{string(job.Write), job.SQL, fmt.Sprint(job.Params)}
	res, err := w.runStagedJob(ctx, "query", dest, job.Labels, key, write, stage, func(t *jobTx) (int64, error) {
		if job.Destination != nil {
			rows, err := w.queryInto(ctx, t, staged, dest, job.Write)
			return rows, sqlError(err, tr)
		}
		if terr != nil {
			return 0, terr
		}
		if err := w.expandWildcards(ctx, t.Conn, tr, p); err != nil {
			return 0, err
		}
		rows, err := w.script(ctx, t, tr, p)
		return rows, sqlError(err, tr)
	})
	if err != nil {
		return res, fmt.Errorf("query job: %w", err)
	}
	return res, nil
}

// stageQuery runs the query of a job with a destination into a temporary table (see result).
func (w *Warehouse) stageQuery(ctx context.Context, c *sql.Conn, tr *googlesql.Result, terr error, p params) (result, error) {
	if terr != nil {
		return result{}, terr
	}
	if len(tr.Statements) != 1 || !tr.Statements[0].IsQuery() {
		return result{}, &warehouse.SQLError{Line: 1, Message: "a query job with a destination table runs exactly one SELECT"}
	}
	if err := w.expandWildcards(ctx, c, tr, p); err != nil {
		return result{}, err
	}
	st := tr.Statements[0]
	args := p.args(st.Params)
	stored, cols, err := storedQuery(ctx, c, st.SQL, args)
	if err != nil {
		return result{}, err
	}
	return w.stageResult(ctx, c, stored, cols, args...)
}

// queryInto writes a query's staged result into its destination table.
func (w *Warehouse) queryInto(ctx context.Context, t *jobTx, r result, dest warehouse.Ref, write warehouse.WriteDisposition) (int64, error) {
	c := t.Conn
	existing, err := w.rowCount(ctx, c, dest)
	if err != nil {
		return 0, err
	}
	if err := checkWrite(write, dest, existing); err != nil {
		return 0, err
	}
	appending := write == warehouse.WriteAppend && existing >= 0
	if err := w.ensureDataset(ctx, c, dest.Dataset); err != nil {
		return 0, err
	}
	pl := w.place(dest, r.columns, r.rows, !appending)
	var rows int64
	switch {
	case appending:
		target, from := tableSQL(dest), "SELECT * FROM "+r.table
		if pl.inFamily() {
			target, from = pl.familySQL(), "SELECT *, "+sqlString(pl.shard)+" AS "+shardColumn+" FROM "+r.table
		}
		n, err := execCount(ctx, c, "INSERT INTO "+target+" BY NAME "+from)
		if err != nil {
			return 0, err
		}
		rows = existing + n
	case pl.inFamily():
		if err := w.makeRoom(ctx, c, pl); err != nil {
			return 0, err
		}
		if rows, err = execCount(ctx, c, "INSERT INTO "+pl.familySQL()+" SELECT "+sqlString(pl.shard)+", * FROM "+r.table); err != nil {
			return 0, err
		}
	default:
		if err := w.makeRoom(ctx, c, pl); err != nil {
			return 0, err
		}
		if _, err := c.ExecContext(ctx, "CREATE OR REPLACE TABLE "+tableSQL(dest)+" AS SELECT * FROM "+r.table); err != nil {
			return 0, err
		}
		if err := c.QueryRowContext(ctx, "SELECT count(*) FROM "+tableSQL(dest)).Scan(&rows); err != nil {
			return 0, err
		}
	}
	t.afterCommit(func() { w.record(pl, rows) })
	return rows, nil
}

// execCount runs a statement and returns the rows it changed.
func execCount(ctx context.Context, c *sql.Conn, q string, args ...any) (int64, error) {
	res, err := c.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// checkWrite applies a write disposition to a destination with existing rows (-1: missing).
func checkWrite(write warehouse.WriteDisposition, dest warehouse.Ref, existing int64) error {
	switch write {
	case "", warehouse.WriteTruncate, warehouse.WriteAppend:
		return nil
	case warehouse.WriteEmpty:
		if existing > 0 {
			return fmt.Errorf("WRITE_EMPTY: table %s already has %d rows", dest, existing)
		}
		return nil
	}
	return fmt.Errorf("unknown write disposition %q", write)
}

// storedQuery wraps a query so that its columns have the types and names a BigQuery table would have:
// integers as BIGINT (a SUM is a HUGEINT in DuckDB), unnamed expressions as f0_, f1_, ...
func storedQuery(ctx context.Context, c *sql.Conn, q string, args []any) (string, []column, error) {
	rows, err := c.QueryContext(ctx, "SELECT * FROM ("+q+"\n) LIMIT 0", args...)
	if err != nil {
		return "", nil, err
	}
	defer rows.Close()
	cols, err := rows.ColumnTypes()
	if err != nil {
		return "", nil, err
	}
	raw := make([]string, len(cols))
	for i, col := range cols {
		raw[i] = col.Name()
	}
	names := columnNames(raw)
	seen := map[string]bool{}
	sel := make([]string, len(cols))
	stored := make([]column, len(cols))
	for i, col := range cols {
		lower := strings.ToLower(names[i])
		if seen[lower] {
			return "", nil, &warehouse.SQLError{Message: fmt.Sprintf("duplicate column name %s in the result", names[i])}
		}
		seen[lower] = true
		// Columns are selected by position: a DuckDB name may hold any character.
		src := fmt.Sprintf("#%d", i+1)
		stored[i] = column{Name: names[i], Type: col.DatabaseTypeName()}
		if t := storedType(col.DatabaseTypeName()); t != "" {
			src = "CAST(" + src + " AS " + t + ")"
			stored[i].Type = t
		}
		sel[i] = src + " AS " + quote(names[i])
	}
	return "SELECT " + strings.Join(sel, ", ") + " FROM (" + q + "\n)", stored, rows.Err()
}

// script runs the statements of a job without a destination, in the job's transaction. The row count is that
// of the last statement: the rows a query returns or those a DML statement changed.
func (w *Warehouse) script(ctx context.Context, t *jobTx, tr *googlesql.Result, p params) (int64, error) {
	c := t.Conn
	if len(tr.Statements) == 1 && tr.Statements[0].IsQuery() {
		st := tr.Statements[0]
		var n int64
		err := c.QueryRowContext(ctx, "SELECT count(*) FROM ("+st.SQL+"\n)", p.args(st.Params)...).Scan(&n)
		return n, err
	}
	// The statements may create, change or drop any table: the catalog is read again after them, and the
	// shards they name become tables of their own, which statements can change.
	if err := w.cat.ensure(ctx, c); err != nil {
		return 0, err
	}
	t.afterCommit(w.cat.invalidate)
	var rows int64
	err := func() error {
		unsharded := map[string]bool{}
		for _, tb := range tr.Tables {
			key := strings.ToLower(tb.Dataset + "." + tb.Name)
			if e, ok := w.cat.lookup(warehouse.Ref{Dataset: tb.Dataset, Table: tb.Name}); ok && e.kind == shardView && !unsharded[key] {
				if err := w.unshard(ctx, c, e); err != nil {
					return err
				}
				unsharded[key] = true
			}
			if tb.Created {
				if err := ensureDataset(ctx, c, tb.Dataset); err != nil {
					return err
				}
			}
		}
		for _, st := range tr.Statements {
			args := p.args(st.Params)
			if st.IsQuery() {
				if err := c.QueryRowContext(ctx, "SELECT count(*) FROM ("+st.SQL+"\n)", args...).Scan(&rows); err != nil {
					return err
				}
				continue
			}
			res, err := c.ExecContext(ctx, st.SQL, args...)
			if err != nil {
				return err
			}
			if rows, err = res.RowsAffected(); err != nil {
				rows = 0
			}
		}
		return nil
	}()
	return rows, err
}

// rowCount returns the number of rows of a table, or -1 when it does not exist.
func (w *Warehouse) rowCount(ctx context.Context, c *sql.Conn, r warehouse.Ref) (int64, error) {
	if err := w.cat.ensure(ctx, c); err != nil {
		return 0, err
	}
	e, ok := w.cat.lookup(r)
	if !ok {
		return -1, nil
	}
	e, err := w.complete(ctx, c, e)
	return e.rows, err
}
