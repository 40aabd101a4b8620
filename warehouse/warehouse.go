// Package warehouse is the port through which pltv reads and writes tables: query jobs with a destination
// and a write disposition, date-sharded tables, batched streaming reads, row inserts, CSV loads and copies.
//
// The pipeline talks only to the Warehouse interface. Drivers live in sub-packages (duckdb for the embedded
// default, bigquery for Google Cloud) and every driver runs the shared conformance suite in warehousetest.
// SQL handed to a driver is GoogleSQL; tables are named in it as `project.dataset.table` (see Ref.SQL).
package warehouse

import (
	"context"
	"io"
)

// Warehouse is what the pipeline needs of BigQuery or of its embedded stand-in.
type Warehouse interface {
	// Query runs one GoogleSQL job. With a Destination, the result replaces (WriteTruncate, the default),
	// extends (WriteAppend) or fills only an empty (WriteEmpty) table. Without one it runs for its effect.
	Query(ctx context.Context, job QueryJob) (JobResult, error)
	// Load loads a CSV stream into a table with the given schema.
	Load(ctx context.Context, job LoadJob) (JobResult, error)
	// Copy copies one table over another (a copy job with WriteTruncate by default).
	Copy(ctx context.Context, job CopyJob) (JobResult, error)
	// Read streams the rows of a table or of a query in batches; fn never sees more than BatchSize rows,
	// and the driver never holds the whole result in memory.
	Read(ctx context.Context, req ReadRequest, fn func(Batch) error) error
	// Insert appends rows to a table, creating it with the schema when it is missing (BigQuery insertAll).
	Insert(ctx context.Context, table Ref, schema Schema, rows []Row) error
	// Table reports a table's state: missing, empty or with rows, with its schema when it exists.
	Table(ctx context.Context, table Ref) (TableInfo, error)
	// Tables lists the tables of a dataset whose name starts with prefix, sorted by name.
	Tables(ctx context.Context, dataset Dataset, prefix string) ([]TableInfo, error)
	// Drop deletes a table; a missing table is not an error.
	Drop(ctx context.Context, table Ref) error
	// Close releases the driver's resources.
	Close() error
}

// QueryJob is one query job.
type QueryJob struct {
	SQL         string
	Params      map[string]any // named parameters, @name in the SQL (string, int64, float64, bool, Date, time.Time)
	Destination *Ref           // nil: no destination table
	Write       WriteDisposition
	Labels      Labels
}

// LoadJob loads CSV data into a table.
type LoadJob struct {
	Source          io.Reader
	SourceName      string // the file the data came from, named in errors
	Destination     Ref
	Schema          Schema
	SkipLeadingRows int
	Write           WriteDisposition
	Labels          Labels
}

// CopyJob copies Source over Destination.
type CopyJob struct {
	Source      Ref
	Destination Ref
	Write       WriteDisposition
	Labels      Labels
}

// JobResult describes a finished job.
type JobResult struct {
	ID          string // the job id, unique per job
	Destination Ref    // zero when the job had none
	Rows        int64  // rows in the destination after the job (or affected by DML)
	Labels      Labels
}

// ReadRequest names what to read: a whole table, or the result of a query.
type ReadRequest struct {
	Table     *Ref
	SQL       string
	Params    map[string]any
	BatchSize int // rows per batch; 0 means 1000
}

// Batch is a slice of rows with the schema they follow.
type Batch struct {
	Schema Schema
	Rows   []Row
}

// Row is one row, its values in schema order. Values are nil, string, int64, float64, bool, Date or time.Time.
type Row []any

// WriteDisposition says what a job does to an existing destination table.
type WriteDisposition string

const (
	WriteTruncate WriteDisposition = "WRITE_TRUNCATE" // the default: replace
	WriteAppend   WriteDisposition = "WRITE_APPEND"
	WriteEmpty    WriteDisposition = "WRITE_EMPTY"
)

// State is a table's state as the pipeline sees it.
type State int

const (
	Missing State = iota
	Empty
	HasRows
)

func (s State) String() string {
	switch s {
	case Missing:
		return "missing"
	case Empty:
		return "empty"
	default:
		return "rows"
	}
}

// Versioned is implemented by a warehouse that is the only writer of its tables while it is open, and so
// can say when each changed: Version returns a number that differs after every write or drop of the table
// (0 when there is no such table), and ok false when it cannot say. It lets a reader keep what it computed of
// a table until the table changes.
type Versioned interface {
	Version(table Ref) (version uint64, ok bool)
}

// TableInfo describes one table.
type TableInfo struct {
	Ref    Ref
	State  State
	Rows   int64
	Schema Schema
}
