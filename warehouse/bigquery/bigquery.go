// Package bigquery is the Google BigQuery driver of the warehouse port, built on cloud.google.com/go/bigquery.
//
// Query, Load and Copy are BigQuery jobs that carry the port's labels and run in Options.Location; the driver
// polls each job until it is DONE. Read streams a table through tabledata.list or a query through jobs.query
// and its result pages; Insert streams rows through insertAll. Errors wrap warehouse.ErrNotFound for missing
// tables, are a *warehouse.SQLError for queries BigQuery refused, and wrap ErrRetryable (see IsRetryable) for
// failures that a later attempt may not meet.
package bigquery

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	gbq "cloud.google.com/go/bigquery"
	"google.golang.org/api/option"

	"github.com/pltv/pltv/warehouse"
)

// Options configure the driver.
type Options struct {
	// Project runs (and pays for) the jobs, and is the project of refs that name none.
	Project string
	// Location is where jobs run, e.g. "US" or "europe-west1"; empty lets BigQuery infer it from the tables.
	Location string
	// JobPrefix starts the id of every job (warehouse.JobPrefix of the deployment); empty: pltv_<the job's
	// deployment label>.
	JobPrefix string
	// Logger receives one debug line per job; nil discards.
	Logger *slog.Logger
	// PollInitial and PollMax bound the wait between two status reads of a running job (the wait grows by
	// half each time); zero means 500ms and 10s.
	PollInitial, PollMax time.Duration
	// Sleep waits between polls; nil means a timer. Tests inject one that returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// UploadChunkSize is how many bytes of a load one upload request carries; 0 keeps the client's default
	// (16 MiB). Data that fits in one chunk goes in one multipart request, larger data in a resumable upload.
	UploadChunkSize int
}

// Warehouse is the BigQuery warehouse. It is safe for concurrent use.
type Warehouse struct {
	client *gbq.Client
	opts   Options
	log    *slog.Logger
}

var _ warehouse.Warehouse = (*Warehouse)(nil)

// New connects to BigQuery. clientOpts go to the client library (credentials, endpoint, HTTP client).
func New(ctx context.Context, opts Options, clientOpts ...option.ClientOption) (*Warehouse, error) {
	if opts.Project == "" {
		return nil, fmt.Errorf("bigquery: a project is required")
	}
	client, err := gbq.NewClient(ctx, opts.Project, clientOpts...)
	if err != nil {
		return nil, fmt.Errorf("bigquery: connect to project %s: %w", opts.Project, err)
	}
	client.Location = opts.Location
	if opts.PollInitial <= 0 {
		opts.PollInitial = 500 * time.Millisecond
	}
	if opts.PollMax <= 0 {
		opts.PollMax = 10 * time.Second
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Warehouse{client: client, opts: opts, log: log}, nil
}

// Close releases the client.
func (w *Warehouse) Close() error {
	if err := w.client.Close(); err != nil {
		return fmt.Errorf("bigquery: close: %w", err)
	}
	return nil
}

// resolve fills in the driver's project when a ref names none.
func (w *Warehouse) resolve(r warehouse.Ref) warehouse.Ref {
	if r.Project == "" {
		r.Project = w.opts.Project
	}
	return r
}

// table returns the client's handle of a table.
func (w *Warehouse) table(r warehouse.Ref) *gbq.Table {
	r = w.resolve(r)
	return w.client.DatasetInProject(r.Project, r.Dataset).Table(r.Table)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
