package bigquery

import (
	"context"
	"fmt"

	gbq "cloud.google.com/go/bigquery"
	"google.golang.org/api/googleapi"

	"github.com/pltv/pltv/warehouse"
)

// Load uploads CSV data into a table with a load job (jobs.insert on the upload endpoint) and waits for it.
func (w *Warehouse) Load(ctx context.Context, job warehouse.LoadJob) (warehouse.JobResult, error) {
	res, err := w.load(ctx, job)
	if err != nil {
		src := job.SourceName
		if src == "" {
			src = "CSV data"
		}
		return warehouse.JobResult{}, fmt.Errorf("bigquery: load %s into %s: %w", src, w.resolve(job.Destination), err)
	}
	return res, nil
}

func (w *Warehouse) load(ctx context.Context, job warehouse.LoadJob) (warehouse.JobResult, error) {
	if job.Source == nil {
		return warehouse.JobResult{}, fmt.Errorf("no source")
	}
	data, digest, cleanup, err := digestSource(ctx, job.Source)
	if err != nil {
		return warehouse.JobResult{}, err
	}
	defer cleanup()
	src := gbq.NewReaderSource(data)
	src.SourceFormat = gbq.CSV
	src.SkipLeadingRows = int64(job.SkipLeadingRows)
	src.Schema = toBQSchema(job.Schema)
	l := w.table(job.Destination).LoaderFrom(src)
	if l.WriteDisposition, err = writeDisposition(job.Write); err != nil {
		return warehouse.JobResult{}, err
	}
	l.CreateDisposition = gbq.CreateIfNeeded
	l.Labels = job.Labels
	if w.opts.UploadChunkSize > 0 {
		l.MediaOptions = []googleapi.MediaOption{googleapi.ChunkSize(w.opts.UploadChunkSize)}
	}
	id := w.jobID(ctx, job.Labels, "load", w.resolve(job.Destination).String(), string(l.WriteDisposition),
		fmt.Sprint(job.Schema, job.SkipLeadingRows), digest)
	j, err := w.startJob(ctx, id, func(id string) (*gbq.Job, error) {
		l.JobID = id
		return l.Run(ctx)
	})
	if err != nil {
		return warehouse.JobResult{}, callError(err, "load job")
	}
	dst := job.Destination
	return w.finish(ctx, j, &dst, job.Labels)
}
