package bigquery_test

import (
	"context"
	"strings"
	"testing"

	bqapi "google.golang.org/api/bigquery/v2"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/bigquery"
	"github.com/pltv/pltv/warehouse/bigquery/internal/fakebq"
)

const jobPrefix = "pltv_acme_pltv"

func withPrefix(o *bigquery.Options) { o.JobPrefix = jobPrefix }

// insertedIDs returns the job ids of every jobs.insert request, answered or refused.
func insertedIDs(t *testing.T, fake *fakebq.Server) []string {
	t.Helper()
	var ids []string
	for _, r := range fake.Find("jobs.insert") {
		var j bqapi.Job
		if err := r.Decode(&j); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, j.JobReference.JobId)
	}
	return ids
}

func TestEveryJobIDNamesTheDeploymentStageAndDate(t *testing.T) {
	e := setup(t, withPrefix)
	e.answer(fakebq.Answer{Schema: apiSchema("x:INT64"), Rows: [][]any{{int64(1)}}})
	ctx := context.Background()
	labels := warehouse.JobLabels("acme", "prepare", "20240301")
	if _, err := e.w.Query(ctx, warehouse.QueryJob{SQL: "SELECT 1", Destination: refp("p_20240301"), Labels: labels}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.w.Load(ctx, warehouse.LoadJob{Source: strings.NewReader("1\n"), Destination: ref("l_20240301"),
		Schema: warehouse.Schema{{Name: "x", Type: warehouse.Integer}}, Labels: labels}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.w.Copy(ctx, warehouse.CopyJob{Source: ref("l_20240301"), Destination: ref("c_20240301"), Labels: labels}); err != nil {
		t.Fatal(err)
	}
	ids := insertedIDs(t, e.fake)
	if len(ids) != 3 {
		t.Fatalf("jobs inserted: %v", ids)
	}
	for _, id := range ids {
		if !strings.HasPrefix(id, "pltv_acme_pltv_prepare_20240301_") {
			t.Errorf("job id %q does not name the deployment, stage and date", id)
		}
	}
}

func TestRetriedAttemptWaitsForTheJobItStarted(t *testing.T) {
	e := setup(t, withPrefix)
	runs := 0
	e.fake.OnQuery(func(fakebq.Query) fakebq.Answer {
		runs++
		return fakebq.Answer{Schema: apiSchema("x:INT64"), Rows: [][]any{{int64(1)}, {int64(2)}}}
	})
	ctx := warehouse.WithAttempt(context.Background(), "projects/p/jobs/pltv_acme_pltv_prepare_20240301_upstream")
	job := warehouse.QueryJob{SQL: "SELECT x", Destination: refp("f_20240301"), Labels: warehouse.JobLabels("acme", "filter", "20240301")}
	first, err := e.w.Query(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.w.Query(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	if runs != 1 {
		t.Errorf("the query ran %d times, want once", runs)
	}
	if again.ID != first.ID || again.Rows != 2 {
		t.Errorf("retry got job %s with %d rows, want %s with 2", again.ID, again.Rows, first.ID)
	}
	ids := insertedIDs(t, e.fake)
	if len(ids) != 2 || ids[0] != ids[1] {
		t.Errorf("jobs.insert ids %v, want the same id twice (the second refused with 409)", ids)
	}
	if gets := e.fake.Find("jobs.get"); len(gets) == 0 || !strings.HasSuffix(gets[len(gets)-1].Path, "/jobs/"+first.ID) {
		t.Errorf("the existing job was not read: %v", e.fake.Calls())
	}

	other := warehouse.WithAttempt(context.Background(), "projects/p/jobs/pltv_acme_pltv_prepare_20240301_later")
	if res, err := e.w.Query(other, job); err != nil || res.ID == first.ID {
		t.Errorf("another attempt: job %s, %v; want a job of its own", res.ID, err)
	}
	if runs != 2 {
		t.Errorf("another attempt did not run the query")
	}
}

func TestRetriedAttemptRunsAgainAfterAFailedJob(t *testing.T) {
	e := setup(t, withPrefix)
	fail := true
	e.fake.OnQuery(func(fakebq.Query) fakebq.Answer {
		if fail {
			fail = false
			return fakebq.Answer{Error: &bqapi.ErrorProto{Reason: "backendError", Message: "try again"}}
		}
		return fakebq.Answer{Schema: apiSchema("x:INT64"), Rows: [][]any{{int64(1)}}}
	})
	ctx := warehouse.WithAttempt(context.Background(), "run-1")
	job := warehouse.QueryJob{SQL: "SELECT x", Destination: refp("f_20240301"), Labels: warehouse.JobLabels("acme", "filter", "20240301")}
	if _, err := e.w.Query(ctx, job); !bigquery.IsRetryable(err) {
		t.Fatalf("first attempt: %v, want a retryable failure", err)
	}
	for range 2 {
		res, err := e.w.Query(ctx, job)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(res.ID, "_r2") {
			t.Errorf("retry ran as %s, want the failed id with _r2", res.ID)
		}
	}
}

func TestRetriedLoadIsOneJobAndTwoLoadsAreTwo(t *testing.T) {
	e := setup(t, withPrefix)
	ctx := warehouse.WithAttempt(context.Background(), "run-1")
	schema := warehouse.Schema{{Name: "x", Type: warehouse.Integer}}
	load := func(data string, write warehouse.WriteDisposition) warehouse.JobResult {
		t.Helper()
		res, err := e.w.Load(ctx, warehouse.LoadJob{Source: strings.NewReader(data), Destination: ref("out_20240301"),
			Schema: schema, Write: write, Labels: warehouse.JobLabels("acme", "predict", "20240301")})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a := load("1\n2\n", warehouse.WriteTruncate)
	b := load("3\n", warehouse.WriteAppend)
	if a.ID == b.ID || b.Rows != 3 {
		t.Errorf("two loads of one attempt: jobs %s and %s, %d rows; want two jobs and 3 rows", a.ID, b.ID, b.Rows)
	}
	if again := load("3\n", warehouse.WriteAppend); again.ID != b.ID || again.Rows != 3 {
		t.Errorf("a retried load appended again: job %s, %d rows", again.ID, again.Rows)
	}
}
