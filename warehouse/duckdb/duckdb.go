package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb/internal/googlesql"
)

// Warehouse is the embedded warehouse: one DuckDB database, a schema per dataset.
type Warehouse struct {
	db        *sql.DB
	connector *duckdb.Connector
	log       *slog.Logger
	now       func() time.Time
	hooks     []func(context.Context, Job)
	jobPrefix string
	jobLog    int

	// write serialises the jobs that change tables: DuckDB lets one transaction at a time change the
	// catalog safely, and a writer never waits long (appends and table swaps are fast).
	write  sync.Mutex
	logMu  sync.Mutex // guards seq and logged
	seq    int64      // the newest job's number in the log
	logged int        // jobs logged since Open; the log is trimmed every 64

	cat    catalog      // the tables of the database, kept up to date by the writers
	staged atomic.Int64 // names the jobs' temporary result tables
}

var _ warehouse.Warehouse = (*Warehouse)(nil)

// Option configures a Warehouse.
type Option func(*Warehouse)

// WithLogger sets the logger (the default discards).
func WithLogger(l *slog.Logger) Option { return func(w *Warehouse) { w.log = l } }

// WithClock sets the clock for job times and for CURRENT_DATE, CURRENT_TIMESTAMP and CURRENT_DATETIME.
func WithClock(now func() time.Time) Option { return func(w *Warehouse) { w.now = now } }

// WithJobHook calls fn after every job (query, load, copy), failed ones included, once the job's changes
// are committed. The local runtime emits BigQuery's "job done" audit-log events from it.
func WithJobHook(fn func(context.Context, Job)) Option {
	return func(w *Warehouse) { w.hooks = append(w.hooks, fn) }
}

// WithJobLogSize sets how many jobs the job log keeps (default 10000).
func WithJobLogSize(n int) Option { return func(w *Warehouse) { w.jobLog = n } }

// Open opens (or creates) the warehouse in the DuckDB file at path; "" or ":memory:" is a database in
// memory, gone when closed.
func Open(path string, opts ...Option) (*Warehouse, error) {
	w := &Warehouse{log: slog.New(slog.DiscardHandler), now: time.Now, jobLog: 10000}
	for _, o := range opts {
		o(w)
	}
	if path == ":memory:" {
		path = ""
	}
	c, err := duckdb.NewConnector(path, initConn)
	if err != nil {
		return nil, fmt.Errorf("open warehouse %q: %w", path, err)
	}
	w.connector = c
	w.db = sql.OpenDB(c)
	// Keep connections: a new one costs the macros' definitions.
	w.db.SetMaxIdleConns(16)
	if err := w.registerFunctions(context.Background()); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("open warehouse %q: %w", path, err)
	}
	if err := w.initJobLog(context.Background()); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("open warehouse %q: %w", path, err)
	}
	return w, nil
}

// connSettings make DuckDB behave as BigQuery: timestamps in UTC, NULLs first in ascending order.
var connSettings = []string{
	"SET TimeZone = 'UTC'",
	"SET default_null_order = 'nulls_first_on_asc_last_on_desc'",
}

// initConn prepares every new connection: its settings and the macros the translated SQL calls.
func initConn(execer driver.ExecerContext) error {
	for _, m := range append(connSettings, googlesql.Macros...) {
		if _, err := execer.ExecContext(context.Background(), m, nil); err != nil {
			return fmt.Errorf("define macro: %w", err)
		}
	}
	return nil
}

// Close closes the database.
func (w *Warehouse) Close() error {
	return errors.Join(w.db.Close(), w.connector.Close())
}

// conn runs fn on one connection of the pool.
func (w *Warehouse) conn(ctx context.Context, fn func(*sql.Conn) error) error {
	c, err := w.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return fn(c)
}

// inTx runs fn in a transaction on one connection, committing when it returns nil.
func inTx(ctx context.Context, c *sql.Conn, fn func() error) (err error) {
	if _, err := c.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			if _, rbErr := c.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rbErr != nil {
				err = errors.Join(err, rbErr)
			}
		}
	}()
	if err := fn(); err != nil {
		return err
	}
	_, err = c.ExecContext(ctx, "COMMIT")
	return err
}

// tableSQL names a table for DuckDB: its dataset is the schema, its project is dropped.
func tableSQL(r warehouse.Ref) string {
	return quote(r.Dataset) + "." + quote(r.Table)
}

func quote(s string) string {
	b := []byte{'"'}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return string(append(b, '"'))
}

// ensureDataset creates the schema of a dataset if it is missing (BigQuery needs the dataset to exist; the
// embedded warehouse creates it on first write).
func ensureDataset(ctx context.Context, c *sql.Conn, dataset string) error {
	_, err := c.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+quote(dataset))
	return err
}

// ensureDataset creates the schema of a dataset when the catalog does not know it, in the write's transaction.
func (w *Warehouse) ensureDataset(ctx context.Context, c *sql.Conn, dataset string) error {
	if w.cat.hasDataset(dataset) {
		return nil
	}
	return ensureDataset(ctx, c, dataset)
}
