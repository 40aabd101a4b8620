package duckdb

import (
	"database/sql/driver"

	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	duckdb "github.com/duckdb/duckdb-go/v2"
	"regexp"
	"time"

	"github.com/pltv/pltv/warehouse"
)

// Job is one entry of the job log: a query, load or copy job, finished or failed.
type Job struct {
	ID          string
	Kind        string // query, load or copy
	Destination warehouse.Ref
	Rows        int64
	Labels      warehouse.Labels
	Error       string // empty when the job succeeded
	Started     time.Time
	Finished    time.Time
}

// jobSchema holds the job log; it is not a dataset.
const jobSchema = "_pltv"

func (w *Warehouse) initJobLog(ctx context.Context) error {
	_, err := w.db.ExecContext(ctx, `
		CREATE SCHEMA IF NOT EXISTS `+jobSchema+`;
		CREATE TABLE IF NOT EXISTS `+jobSchema+`.jobs (
			seq BIGINT, id VARCHAR, kind VARCHAR, destination VARCHAR, rows BIGINT, labels VARCHAR,
			error VARCHAR, started TIMESTAMP, finished TIMESTAMP);
		`+registryDDL)
	if err == nil {
		err = w.db.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM "+jobSchema+".jobs").Scan(&w.seq)
	}
	if err != nil {
		return fmt.Errorf("create job log: %w", err)
	}
	return nil
}

// Jobs returns the newest jobs of the log, newest first, at most limit (all when limit <= 0).
func (w *Warehouse) Jobs(ctx context.Context, limit int) ([]Job, error) {
	q := `SELECT id, kind, destination, rows, labels, error, started, finished FROM ` + jobSchema + `.jobs ORDER BY seq DESC`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	return w.listJobs(ctx, q)
}

func (w *Warehouse) listJobs(ctx context.Context, q string, args ...any) ([]Job, error) {
	rows, err := w.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	defer rows.Close()
	var jobs []Job
	for rows.Next() {
		var j Job
		var dest, labels, errText sql.NullString
		if err := rows.Scan(&j.ID, &j.Kind, &dest, &j.Rows, &labels, &errText, &j.Started, &j.Finished); err != nil {
			return nil, fmt.Errorf("list jobs: %w", err)
		}
		if dest.String != "" {
			j.Destination, _ = warehouse.ParseRef(dest.String)
		}
		if labels.String != "" {
			if err := json.Unmarshal([]byte(labels.String), &j.Labels); err != nil {
				return nil, fmt.Errorf("list jobs: labels of %s: %w", j.ID, err)
			}
		}
		j.Error = errText.String
		jobs = append(jobs, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return jobs, nil
}

// jobTx is the connection of a job, in the job's transaction when the job writes.
type jobTx struct {
	*sql.Conn
	committed []func()
}

// afterCommit calls fn once the job's transaction is committed: the catalog records only committed changes.
func (t *jobTx) afterCommit(fn func()) { t.committed = append(t.committed, fn) }

// runJob runs one job: it checks the labels and runs fn. A job that writes (write is true) holds the write
// lock and runs in one transaction, which also records the job in the log, so that a job costs one commit.
// A job that fails, or only reads, is recorded on its own. Then the hooks are called.
//
// The job's id is warehouse.NewJobID of its labels and of key, what identifies the job within its attempt.
// As in BigQuery, where a job id is unique, a job whose id the log holds already is not run again: a
// retried attempt that asks for a job that succeeded gets that job's result, and one that asks for a job
// that failed runs under the next retry id.
func (w *Warehouse) runJob(ctx context.Context, kind string, dest warehouse.Ref, labels warehouse.Labels, key []string, write bool,
	fn func(t *jobTx) (int64, error)) (warehouse.JobResult, error) {
	return w.runStagedJob(ctx, kind, dest, labels, key, write, nil, fn)
}

// runStagedJob is runJob with a first step: stage runs on the job's connection before the write lock is
// taken, and returns what fn then writes (see result).
func (w *Warehouse) runStagedJob(ctx context.Context, kind string, dest warehouse.Ref, labels warehouse.Labels, key []string, write bool,
	stage func(c *sql.Conn) (result, error), fn func(t *jobTx) (int64, error)) (warehouse.JobResult, error) {
	id, done, err := w.jobID(ctx, kind, dest, labels, key)
	if err != nil {
		return warehouse.JobResult{}, err
	}
	if done != nil {
		return *done, nil
	}
	job := Job{ID: id, Kind: kind, Destination: dest, Labels: labels, Started: w.now().UTC()}
	logged := false
	err = validateLabels(labels)
	if err == nil {
		err = w.conn(ctx, func(c *sql.Conn) error {
			if stage != nil {
				r, err := stage(c)
				defer r.drop(ctx, c)
				if err != nil {
					return err
				}
			}
			return w.locked(write, func() error {
				t := &jobTx{Conn: c}
				if !write {
					var err error
					job.Rows, err = fn(t)
					return err
				}
				err := inTx(ctx, c, func() error {
					rows, err := fn(t)
					if err != nil {
						return err
					}
					job.Rows, job.Finished = rows, w.now().UTC()
					return w.logJob(ctx, c, job)
				})
				if err != nil {
					return err
				}
				logged = true
				for _, f := range t.committed {
					f()
				}
				return nil
			})
		})
	}
	if !logged {
		job.Finished = w.now().UTC()
		if err != nil {
			job.Error = err.Error()
		}
		logErr := w.conn(context.WithoutCancel(ctx), func(c *sql.Conn) error { return w.logJob(context.WithoutCancel(ctx), c, job) })
		if logErr != nil {
			w.log.Warn("record job", "job", job.ID, "err", logErr)
		}
	}
	w.trimJobLog(context.WithoutCancel(ctx))
	// The hooks run without the write lock: they may start other jobs.
	w.log.Debug("job done", "job", job.ID, "kind", kind, "destination", dest.String(), "rows", job.Rows, "err", err)
	for _, h := range w.hooks {
		h(ctx, job)
	}
	if err != nil {
		return warehouse.JobResult{}, err
	}
	return warehouse.JobResult{ID: job.ID, Destination: dest, Rows: job.Rows, Labels: labels}, nil
}

// locked runs fn holding the write lock when write is true.
func (w *Warehouse) locked(write bool, fn func() error) error {
	if write {
		w.write.Lock()
		defer w.write.Unlock()
	}
	return fn()
}

// logJob appends a job to the log, in the connection's transaction if it has one.
func (w *Warehouse) logJob(ctx context.Context, c *sql.Conn, j Job) error {
	labels, err := json.Marshal(j.Labels)
	if err != nil {
		return err
	}
	dest := ""
	if !j.Destination.IsZero() {
		dest = j.Destination.String()
	}
	w.logMu.Lock()
	w.seq++
	seq := w.seq
	w.logMu.Unlock()
	return c.Raw(func(dc any) error {
		a, err := duckdb.NewAppender(dc.(driver.Conn), "", jobSchema, "jobs")
		if err != nil {
			return err
		}
		if err := a.AppendRow(seq, j.ID, j.Kind, dest, j.Rows, string(labels), j.Error, j.Started, j.Finished); err != nil {
			_ = a.Close()
			return err
		}
		return a.CloseWithCancel(ctx)
	})
}

// trimJobLog keeps the newest jobs of the log, every 64 jobs.
func (w *Warehouse) trimJobLog(ctx context.Context) {
	w.logMu.Lock()
	defer w.logMu.Unlock()
	if w.logged++; w.logged%64 != 0 {
		return
	}
	if _, err := w.db.ExecContext(ctx, `DELETE FROM `+jobSchema+`.jobs WHERE seq <= ?`, w.seq-int64(w.jobLog)); err != nil {
		w.log.Warn("trim job log", "err", err)
	}
}

var (
	labelKeyRE   = regexp.MustCompile(`^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$`)
	labelValueRE = regexp.MustCompile(`^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$`)
)

// validateLabels applies BigQuery's rules for job labels, so that a label the cloud would refuse fails here
// too.
func validateLabels(l warehouse.Labels) error {
	if len(l) > 64 {
		return fmt.Errorf("job labels: %d labels, at most 64 allowed", len(l))
	}
	for k, v := range l {
		if !labelKeyRE.MatchString(k) {
			return fmt.Errorf("job label key %q: want lowercase letters, digits, _ and -, starting with a letter, at most 63", k)
		}
		if !labelValueRE.MatchString(v) {
			return fmt.Errorf("job label %s value %q: want lowercase letters, digits, _ and -, at most 63", k, v)
		}
	}
	return nil
}
