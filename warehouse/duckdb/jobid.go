package duckdb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/pltv/pltv/warehouse"
)

// WithJobPrefix sets the prefix of every job id (warehouse.JobPrefix of the deployment); without it, ids
// start with pltv_<the job's deployment label>.
func WithJobPrefix(prefix string) Option { return func(w *Warehouse) { w.jobPrefix = prefix } }

// maxRetryIDs bounds the ids tried for one job whose earlier attempts failed.
const maxRetryIDs = 50

// jobID returns the id to run a job under, or, when an earlier attempt ran the job under that id
// successfully, that job's result. Only a job started under an attempt key (warehouse.WithAttempt) can meet
// an id the log holds: the others have random ids.
func (w *Warehouse) jobID(ctx context.Context, kind string, dest warehouse.Ref, labels warehouse.Labels, key []string) (string, *warehouse.JobResult, error) {
	id := warehouse.NewJobID(ctx, w.jobPrefix, labels, append([]string{kind, dest.String()}, key...)...)
	if _, ok := warehouse.AttemptOf(ctx); !ok {
		return id, nil, nil
	}
	try := id
	for n := 2; n <= maxRetryIDs; n++ {
		prev, err := w.listJobs(ctx, `SELECT id, kind, destination, rows, labels, error, started, finished FROM `+
			jobSchema+`.jobs WHERE id = ? ORDER BY seq DESC LIMIT 1`, try)
		if err != nil {
			return "", nil, err
		}
		if len(prev) == 0 {
			return try, nil, nil
		}
		if p := prev[0]; p.Error == "" {
			w.log.Debug("job exists, not run again", "job", try)
			return try, &warehouse.JobResult{ID: p.ID, Destination: p.Destination, Rows: p.Rows, Labels: p.Labels}, nil
		}
		try = warehouse.RetryJobID(id, n)
	}
	return "", nil, fmt.Errorf("job %s and %d retries of it failed", id, maxRetryIDs-1)
}

// attemptDigest is the digest of a load's canonical data, which names what the load loads in its job id, when
// the job runs under an attempt key; "" otherwise (or when there is no data).
func attemptDigest(ctx context.Context, path string) string {
	if _, ok := warehouse.AttemptOf(ctx); !ok || path == "" {
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}
