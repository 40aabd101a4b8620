package duckdb_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

func open(t *testing.T, path string, opts ...duckdb.Option) *duckdb.Warehouse {
	t.Helper()
	w, err := duckdb.Open(path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	return w
}

var ds = warehouse.Dataset{Project: "my-project", Dataset: "pltv"}

func TestUnsupportedConstruct(t *testing.T) {
	w := open(t, "")
	_, err := w.Query(context.Background(), warehouse.QueryJob{SQL: "SELECT *\nFROM ML.PREDICT(MODEL `p.d.m`, TABLE `p.d.t`)"})
	var ue *warehouse.UnsupportedError
	if !errors.As(err, &ue) || ue.Line != 2 || !strings.Contains(ue.Error(), "ML.PREDICT") {
		t.Fatalf("ML.PREDICT: %v, want an UnsupportedError naming ML.PREDICT at line 2", err)
	}
	jobs, err := w.Jobs(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || !strings.Contains(jobs[0].Error, "ML.PREDICT") {
		t.Errorf("job log: %+v, want the failed job with its error", jobs)
	}
}

func TestJobLogAndHook(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2020, 7, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	var hooked []duckdb.Job
	w := open(t, "", duckdb.WithClock(func() time.Time { return clock }), duckdb.WithJobHook(func(_ context.Context, j duckdb.Job) {
		mu.Lock()
		defer mu.Unlock()
		hooked = append(hooked, j)
	}))
	dest := ds.Shard("prepared_daily_transactions", "20200630")
	labels := warehouse.JobLabels("demo", "prepare", "20200630")
	res, err := w.Query(ctx, warehouse.QueryJob{SQL: "SELECT CURRENT_DATE() AS today, 1 AS n", Destination: &dest, Labels: labels})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.Query(ctx, warehouse.QueryJob{SQL: "SELECT 1", Labels: warehouse.Labels{"Bad Key": "x"}})
	if err == nil {
		t.Error("a job with an invalid label succeeded")
	}
	jobs, err := w.Jobs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []duckdb.Job{
		{Kind: "query", Labels: warehouse.Labels{"Bad Key": "x"}, Started: clock, Finished: clock},
		{ID: res.ID, Kind: "query", Destination: dest, Rows: 1, Labels: labels, Started: clock, Finished: clock},
	}
	if len(jobs) > 0 {
		want[0].ID = jobs[0].ID // the failed job's id is known only from the log
	}
	if d := cmp.Diff(want, jobs, cmpopts.IgnoreFields(duckdb.Job{}, "Error")); d != "" {
		t.Errorf("job log mismatch (-want +got):\n%s", d)
	}
	if !strings.Contains(jobs[0].Error, "Bad Key") {
		t.Errorf("failed job error %q, want it to name the label", jobs[0].Error)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hooked) != 2 || hooked[0].ID != res.ID || hooked[1].Error == "" {
		t.Errorf("hook saw %+v, want the two jobs in order", hooked)
	}
	var today any
	err = w.Read(ctx, warehouse.ReadRequest{Table: &dest}, func(b warehouse.Batch) error {
		today = b.Rows[0][0]
		return nil
	})
	if err != nil || today != (warehouse.Date{Year: 2020, Month: 7, Day: 1}) {
		t.Errorf("CURRENT_DATE() from the clock: %v, %v; want 2020-07-01", today, err)
	}
}

// TestHookMayStartJobs checks that a hook can run a job (the local runtime delivers the job's completion event
// to a service that starts the next stage).
func TestHookMayStartJobs(t *testing.T) {
	ctx := context.Background()
	var w *duckdb.Warehouse
	var next warehouse.JobResult
	var nextErr error
	w = open(t, "", duckdb.WithJobHook(func(ctx context.Context, j duckdb.Job) {
		if j.Labels[warehouse.LabelStage] != "prepare" {
			return
		}
		dest := ds.Table("filtered")
		next, nextErr = w.Query(ctx, warehouse.QueryJob{SQL: "SELECT * FROM `my-project.pltv.prepared`", Destination: &dest,
			Labels: warehouse.JobLabels("demo", "filter", "20200101")})
	}))
	dest := ds.Table("prepared")
	if _, err := w.Query(ctx, warehouse.QueryJob{SQL: "SELECT 1 AS n", Destination: &dest,
		Labels: warehouse.JobLabels("demo", "prepare", "20200101")}); err != nil {
		t.Fatal(err)
	}
	if nextErr != nil || next.Rows != 1 {
		t.Errorf("job started by the hook: %+v, %v; want one row", next, nextErr)
	}
}

func TestPersistence(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "warehouse.duckdb")
	w, err := duckdb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	schema := warehouse.Schema{{Name: "n", Type: warehouse.Integer}}
	if err := w.Insert(ctx, ds.Table("kept"), schema, []warehouse.Row{{int64(42)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Copy(ctx, warehouse.CopyJob{Source: ds.Table("kept"), Destination: ds.Table("copied")}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w = open(t, path)
	info, err := w.Table(ctx, ds.Table("copied"))
	if err != nil || info.Rows != 1 {
		t.Errorf("after reopening: %+v, %v; want the copied table with its row", info, err)
	}
	jobs, err := w.Jobs(ctx, 0)
	if err != nil || len(jobs) != 1 || jobs[0].Kind != "copy" {
		t.Errorf("job log after reopening: %+v, %v; want the copy job", jobs, err)
	}
}

func TestDestinationTakesOneSelect(t *testing.T) {
	w := open(t, "")
	dest := ds.Table("out")
	_, err := w.Query(context.Background(), warehouse.QueryJob{SQL: "SELECT 1; SELECT 2", Destination: &dest})
	var se *warehouse.SQLError
	if !errors.As(err, &se) {
		t.Errorf("two statements into a destination: %v, want a SQLError", err)
	}
}

func TestMissingTableInScriptNamesIt(t *testing.T) {
	w := open(t, "")
	_, err := w.Query(context.Background(), warehouse.QueryJob{SQL: "INSERT INTO `my-project.pltv.absent` (n)\nSELECT 1"})
	if !errors.Is(err, warehouse.ErrNotFound) || !strings.Contains(err.Error(), "my-project.pltv.absent") {
		t.Errorf("insert into a missing table: %v, want ErrNotFound naming my-project.pltv.absent", err)
	}
}

func TestDatasetIsCreatedOnWrite(t *testing.T) {
	w := open(t, "")
	_, err := w.Query(context.Background(), warehouse.QueryJob{SQL: "CREATE OR REPLACE TABLE `p.fresh.t` AS SELECT 1 AS n"})
	if err != nil {
		t.Fatal(err)
	}
	infos, err := w.Tables(context.Background(), warehouse.Dataset{Project: "p", Dataset: "fresh"}, "")
	if err != nil || len(infos) != 1 {
		t.Errorf("tables of the new dataset: %+v, %v", infos, err)
	}
}
