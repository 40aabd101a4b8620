package duckdb

import (
	"context"
	"fmt"
	"strings"

	"github.com/pltv/pltv/warehouse"
)

// Copy copies a table over another (WriteTruncate), after it (WriteAppend), or into it when it is empty or
// missing (WriteEmpty). A missing source wraps warehouse.ErrNotFound.
func (w *Warehouse) Copy(ctx context.Context, job warehouse.CopyJob) (warehouse.JobResult, error) {
	res, err := w.runJob(ctx, "copy", job.Destination, job.Labels, []string{job.Source.String(), string(job.Write)}, true, func(t *jobTx) (int64, error) {
		c := t.Conn
		if err := w.cat.ensure(ctx, c); err != nil {
			return 0, err
		}
		src, ok := w.cat.lookup(job.Source)
		if !ok {
			return 0, notFound(job.Source.String())
		}
		src, err := w.complete(ctx, c, src)
		if err != nil {
			return 0, err
		}
		existing, err := w.rowCount(ctx, c, job.Destination)
		if err != nil {
			return 0, err
		}
		if err := checkWrite(job.Write, job.Destination, existing); err != nil {
			return 0, err
		}
		appending := job.Write == warehouse.WriteAppend && existing >= 0
		pl := w.place(job.Destination, src.columns, src.rows, !appending)
		var rows int64
		err = func() error {
			if err := w.ensureDataset(ctx, c, job.Destination.Dataset); err != nil {
				return err
			}
			from := "SELECT * FROM " + tableSQL(job.Source)
			switch {
			case appending:
				target := tableSQL(job.Destination)
				if pl.inFamily() {
					target, from = pl.familySQL(), "SELECT *, "+sqlString(pl.shard)+" AS "+shardColumn+" FROM "+tableSQL(job.Source)
				}
				n, err := execCount(ctx, c, "INSERT INTO "+target+" BY NAME "+from)
				rows = existing + n
				return err
			case pl.inFamily():
				if strings.EqualFold(job.Source.Dataset, job.Destination.Dataset) && strings.EqualFold(job.Source.Table, job.Destination.Table) {
					rows = src.rows // a table copied over itself
					return nil
				}
				if err := w.makeRoom(ctx, c, pl); err != nil {
					return err
				}
				rows, err = execCount(ctx, c, "INSERT INTO "+pl.familySQL()+" SELECT "+sqlString(pl.shard)+", * FROM "+tableSQL(job.Source))
				return err
			default:
				if err := w.makeRoom(ctx, c, pl); err != nil {
					return err
				}
				if _, err := c.ExecContext(ctx, "CREATE OR REPLACE TABLE "+tableSQL(job.Destination)+" AS "+from); err != nil {
					return err
				}
				return c.QueryRowContext(ctx, "SELECT count(*) FROM "+tableSQL(job.Destination)).Scan(&rows)
			}
		}()
		if err != nil {
			return 0, err
		}
		t.afterCommit(func() { w.record(pl, rows) })
		return rows, nil
	})
	if err != nil {
		return res, fmt.Errorf("copy %s to %s: %w", job.Source, job.Destination, err)
	}
	return res, nil
}
