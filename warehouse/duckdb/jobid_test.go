package duckdb_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

func TestRetriedAttemptDoesNotRunAJobTwice(t *testing.T) {
	var hooked atomic.Int32
	w := open(t, "", duckdb.WithJobPrefix("pltv_demo_pltv"), duckdb.WithJobHook(func(context.Context, duckdb.Job) { hooked.Add(1) }))
	ctx := warehouse.WithAttempt(context.Background(), "projects/p/jobs/pltv_demo_pltv_prepare_20110301_x")
	dst := warehouse.Ref{Dataset: "pltv", Table: "out_20110301"}
	job := warehouse.QueryJob{SQL: "SELECT 1 AS x UNION ALL SELECT 2", Destination: &dst,
		Labels: warehouse.JobLabels("demo", "filter", "20110301")}
	first, err := w.Query(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(first.ID, "pltv_demo_pltv_filter_20110301_") {
		t.Errorf("job id %q does not name the deployment, stage and date", first.ID)
	}
	again, err := w.Query(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID || again.Rows != 2 || hooked.Load() != 1 {
		t.Errorf("retry: job %s, %d rows, %d job events; want %s, 2 rows, one event", again.ID, again.Rows, hooked.Load(), first.ID)
	}

	schema := warehouse.Schema{{Name: "x", Type: warehouse.Integer}}
	load := func(data string) warehouse.JobResult {
		t.Helper()
		res, err := w.Load(ctx, warehouse.LoadJob{Source: strings.NewReader(data), Destination: dst, Schema: schema,
			Write: warehouse.WriteAppend, Labels: job.Labels})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b := load("3\n"), load("4\n5\n")
	if a.ID == b.ID {
		t.Errorf("two loads of other data in one attempt shared the job %s", a.ID)
	}
	load("4\n5\n")
	if info, err := w.Table(ctx, dst); err != nil || info.Rows != 5 {
		t.Errorf("table after a retried load: %d rows, %v; want 5", info.Rows, err)
	}
}

func TestRetriedAttemptRunsAFailedJobAgain(t *testing.T) {
	w := open(t, "", duckdb.WithJobPrefix("pltv_demo_pltv"))
	ctx := warehouse.WithAttempt(context.Background(), "run-1")
	dst := warehouse.Ref{Dataset: "pltv", Table: "out_20110301"}
	job := warehouse.CopyJob{Source: warehouse.Ref{Dataset: "pltv", Table: "src"}, Destination: dst,
		Labels: warehouse.JobLabels("demo", "prepare", "20110301")}
	if _, err := w.Copy(ctx, job); err == nil {
		t.Fatal("copy of a missing table succeeded")
	}
	if _, err := w.Query(context.Background(), warehouse.QueryJob{SQL: "SELECT 1 AS x", Destination: &job.Source}); err != nil {
		t.Fatal(err)
	}
	res, err := w.Copy(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(res.ID, "_r2") || res.Rows != 1 {
		t.Errorf("retried copy: job %s, %d rows; want the retry id _r2 and 1 row", res.ID, res.Rows)
	}
}
