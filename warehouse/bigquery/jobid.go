package bigquery

import (
	"context"
	"fmt"

	gbq "cloud.google.com/go/bigquery"

	"github.com/pltv/pltv/warehouse"
)

// maxRetryIDs bounds the ids tried for one job whose earlier attempts failed (id, id_r2, ... id_rN).
const maxRetryIDs = 50

// jobID is the id of a job the driver starts: warehouse.NewJobID with the driver's prefix.
func (w *Warehouse) jobID(ctx context.Context, labels warehouse.Labels, parts ...string) string {
	return warehouse.NewJobID(ctx, w.opts.JobPrefix, labels, parts...)
}

// startJob starts a job under id with start (jobs.insert). A job id is unique in a project: when BigQuery
// answers 409 Already Exists, an earlier attempt of the same work (a retried handler, or a retry of an
// insert whose answer was lost) asked for this job already, and that job is returned to be waited for
// instead of a second one. If that job failed, nothing of it took effect, and the job is started again under
// the next retry id (warehouse.RetryJobID), so that every retry of the attempt converges on the same one.
func (w *Warehouse) startJob(ctx context.Context, id string, start func(id string) (*gbq.Job, error)) (*gbq.Job, error) {
	try := id
	for n := 2; ; n++ {
		j, err := start(try)
		if err == nil || !isDuplicate(err) {
			return j, err
		}
		j, err = w.client.JobFromIDLocation(ctx, try, w.client.Location)
		if err != nil {
			return nil, fmt.Errorf("job %s exists: %w", try, callError(err, "job "+try))
		}
		st := j.LastStatus()
		if st == nil || !st.Done() || st.Err() == nil {
			w.log.InfoContext(ctx, "bigquery job exists, waiting for it", "job", try)
			return j, nil
		}
		if n > maxRetryIDs {
			return nil, fmt.Errorf("job %s and %d retries of it failed; the last: %w", id, n-2, jobFailure(try, st))
		}
		w.log.InfoContext(ctx, "bigquery job exists and failed, starting it again", "job", try, "error", st.Err().Error())
		try = warehouse.RetryJobID(id, n)
	}
}
