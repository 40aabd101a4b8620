package bigquery

import (
	"context"
	"fmt"

	gbq "cloud.google.com/go/bigquery"

	"github.com/pltv/pltv/warehouse"
)

// Copy copies one table over another with a copy job (jobs.insert) and waits for it.
func (w *Warehouse) Copy(ctx context.Context, job warehouse.CopyJob) (warehouse.JobResult, error) {
	res, err := w.copy(ctx, job)
	if err != nil {
		return warehouse.JobResult{}, fmt.Errorf("bigquery: copy %s to %s: %w", w.resolve(job.Source), w.resolve(job.Destination), err)
	}
	return res, nil
}

func (w *Warehouse) copy(ctx context.Context, job warehouse.CopyJob) (warehouse.JobResult, error) {
	c := w.table(job.Destination).CopierFrom(w.table(job.Source))
	var err error
	if c.WriteDisposition, err = writeDisposition(job.Write); err != nil {
		return warehouse.JobResult{}, err
	}
	c.CreateDisposition = gbq.CreateIfNeeded
	c.Labels = job.Labels
	id := w.jobID(ctx, job.Labels, "copy", w.resolve(job.Source).String(), w.resolve(job.Destination).String(), string(c.WriteDisposition))
	j, err := w.startJob(ctx, id, func(id string) (*gbq.Job, error) {
		c.JobID = id
		return c.Run(ctx)
	})
	if err != nil {
		return warehouse.JobResult{}, callError(err, "copy job")
	}
	dst := job.Destination
	return w.finish(ctx, j, &dst, job.Labels)
}
