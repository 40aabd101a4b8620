package bigquery

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	gbq "cloud.google.com/go/bigquery"
	"cloud.google.com/go/civil"

	"github.com/pltv/pltv/warehouse"
)

// Query runs a GoogleSQL query job (jobs.insert), with a destination table when the job names one, and
// waits for it.
func (w *Warehouse) Query(ctx context.Context, job warehouse.QueryJob) (warehouse.JobResult, error) {
	op := "query"
	if job.Destination != nil {
		op = "query into " + w.resolve(*job.Destination).String()
	}
	res, err := w.query(ctx, job)
	if err != nil {
		return warehouse.JobResult{}, fmt.Errorf("bigquery: %s: %w", op, err)
	}
	return res, nil
}

func (w *Warehouse) query(ctx context.Context, job warehouse.QueryJob) (warehouse.JobResult, error) {
	q := w.client.Query(job.SQL)
	params, err := queryParams(job.Params)
	if err != nil {
		return warehouse.JobResult{}, err
	}
	q.Parameters = params
	q.Labels = job.Labels
	if job.Destination != nil {
		if q.WriteDisposition, err = writeDisposition(job.Write); err != nil {
			return warehouse.JobResult{}, err
		}
		q.Dst = w.table(*job.Destination)
		q.CreateDisposition = gbq.CreateIfNeeded
	}
	dst := ""
	if q.Dst != nil {
		dst = q.Dst.FullyQualifiedName() + " " + string(q.WriteDisposition)
	}
	id := w.jobID(ctx, job.Labels, "query", dst, job.SQL, fmt.Sprint(params))
	j, err := w.startJob(ctx, id, func(id string) (*gbq.Job, error) {
		q.JobID = id
		return q.Run(ctx)
	})
	if err != nil {
		return warehouse.JobResult{}, callError(err, "query job")
	}
	return w.finish(ctx, j, job.Destination, job.Labels)
}

// queryParams turns the port's named parameters into the client's, sorted by name. A Date becomes a DATE
// parameter and a time.Time a TIMESTAMP.
func queryParams(params map[string]any) ([]gbq.QueryParameter, error) {
	var out []gbq.QueryParameter
	for name, v := range params {
		switch x := v.(type) {
		case string, int64, float64, bool, time.Time:
		case int:
			v = int64(x)
		case warehouse.Date:
			v = civil.Date{Year: x.Year, Month: x.Month, Day: x.Day}
		case nil:
			return nil, fmt.Errorf("parameter @%s: nil has no type", name)
		default:
			return nil, fmt.Errorf("parameter @%s: unsupported type %T", name, v)
		}
		out = append(out, gbq.QueryParameter{Name: name, Value: v})
	}
	slices.SortFunc(out, func(a, b gbq.QueryParameter) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}
