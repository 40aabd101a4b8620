package bigquery

import (
	"context"
	"fmt"

	gbq "cloud.google.com/go/bigquery"

	"github.com/pltv/pltv/warehouse"
)

// wait polls a job with jobs.get until it is DONE, and returns its final status or its failure.
func (w *Warehouse) wait(ctx context.Context, job *gbq.Job) (*gbq.JobStatus, error) {
	delay := w.opts.PollInitial
	st := job.LastStatus()
	for st == nil || !st.Done() {
		if st != nil {
			if err := w.opts.Sleep(ctx, delay); err != nil {
				return nil, fmt.Errorf("wait for job %s: %w", job.ID(), err)
			}
			delay = min(delay+delay/2, w.opts.PollMax)
		}
		var err error
		if st, err = job.Status(ctx); err != nil {
			return nil, fmt.Errorf("status of job %s: %w", job.ID(), callError(err, "job "+job.ID()))
		}
	}
	if st.Err() != nil {
		return nil, jobFailure(job.ID(), st)
	}
	w.log.DebugContext(ctx, "bigquery job done", "job", job.ID(), "location", job.Location())
	return st, nil
}

// finish waits for a job and describes it; with a destination, Rows counts the destination's rows after
// the job (tables.get), since a WRITE_APPEND job's own statistics count only what it added.
func (w *Warehouse) finish(ctx context.Context, job *gbq.Job, dst *warehouse.Ref, labels warehouse.Labels) (warehouse.JobResult, error) {
	st, err := w.wait(ctx, job)
	if err != nil {
		return warehouse.JobResult{}, err
	}
	res := warehouse.JobResult{ID: job.ID(), Labels: labels}
	if dst == nil {
		if qs, ok := st.Statistics.Details.(*gbq.QueryStatistics); ok {
			res.Rows = qs.NumDMLAffectedRows
		}
		return res, nil
	}
	res.Destination = *dst
	info, err := w.tableInfo(ctx, *dst)
	if err != nil {
		return warehouse.JobResult{}, fmt.Errorf("after job %s: %w", job.ID(), err)
	}
	res.Rows = info.Rows
	return res, nil
}

// writeDisposition maps the port's disposition (empty means WRITE_TRUNCATE) to the client's.
func writeDisposition(d warehouse.WriteDisposition) (gbq.TableWriteDisposition, error) {
	switch d {
	case "", warehouse.WriteTruncate:
		return gbq.WriteTruncate, nil
	case warehouse.WriteAppend:
		return gbq.WriteAppend, nil
	case warehouse.WriteEmpty:
		return gbq.WriteEmpty, nil
	}
	return "", fmt.Errorf("unknown write disposition %q", d)
}
