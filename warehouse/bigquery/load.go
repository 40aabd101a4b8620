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
	src := gbq.NewReaderSource(job.Source)
	src.SourceFormat = gbq.CSV
	src.SkipLeadingRows = int64(job.SkipLeadingRows)
	src.Schema = toBQSchema(job.Schema)
	l := w.table(job.Destination).LoaderFrom(src)
	var err error
	if l.WriteDisposition, err = writeDisposition(job.Write); err != nil {
		return warehouse.JobResult{}, err
	}
	l.CreateDisposition = gbq.CreateIfNeeded
	l.Labels = job.Labels
	if w.opts.UploadChunkSize > 0 {
		l.MediaOptions = []googleapi.MediaOption{googleapi.ChunkSize(w.opts.UploadChunkSize)}
	}
	j, err := l.Run(ctx)
	if err != nil {
		return warehouse.JobResult{}, callError(err, "load job")
	}
	dst := job.Destination
	return w.finish(ctx, j, &dst, job.Labels)
}
