package duckdb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pltv/pltv/warehouse"
)

// Copy copies a table over another (WriteTruncate), after it (WriteAppend), or into it when it is empty or
// missing (WriteEmpty). A missing source wraps warehouse.ErrNotFound.
func (w *Warehouse) Copy(ctx context.Context, job warehouse.CopyJob) (warehouse.JobResult, error) {
	res, err := w.runJob(ctx, "copy", job.Destination, job.Labels, true, func(c *sql.Conn) (int64, error) {
		if n, err := rowCount(ctx, c, job.Source); err != nil || n < 0 {
			if err == nil {
				err = notFound(job.Source.String())
			}
			return 0, err
		}
		existing, err := rowCount(ctx, c, job.Destination)
		if err != nil {
			return 0, err
		}
		if err := checkWrite(job.Write, job.Destination, existing); err != nil {
			return 0, err
		}
		var rows int64
		err = inTx(ctx, c, func() error {
			if err := ensureDataset(ctx, c, job.Destination.Dataset); err != nil {
				return err
			}
			src := "SELECT * FROM " + tableSQL(job.Source)
			if job.Write == warehouse.WriteAppend && existing >= 0 {
				_, err = c.ExecContext(ctx, "INSERT INTO "+tableSQL(job.Destination)+" BY NAME "+src)
			} else {
				_, err = c.ExecContext(ctx, "CREATE OR REPLACE TABLE "+tableSQL(job.Destination)+" AS "+src)
			}
			if err != nil {
				return err
			}
			rows, err = rowCount(ctx, c, job.Destination)
			return err
		})
		return rows, err
	})
	if err != nil {
		return res, fmt.Errorf("copy %s to %s: %w", job.Source, job.Destination, err)
	}
	return res, nil
}
