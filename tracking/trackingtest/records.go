package trackingtest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/tracking"
)

func testCollectionNames(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx := context.Background()
	p := e.names.Prefix
	table := "test-ltv-deploy.ltv_ml.predictions_20200511"
	if err := e.tr.StartPrepare(ctx, "20200511"); err != nil {
		t.Fatal(err)
	}
	if err := e.tr.StartPrediction(ctx, "20200511/0", "20200511"); err != nil {
		t.Fatal(err)
	}
	if err := e.tr.TraceRows(ctx, table, []tracking.RowTrace{{RowID: "r1", Status: tracking.TraceSent}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tr.Enqueue(ctx, tracking.TaskSpec{Kind: "prepare"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tr.FirstSeen(ctx, "//pubsub.googleapis.com/projects/p/topics/t", "1"); err != nil {
		t.Fatal(err)
	}
	got, err := e.store.Collections(ctx, p+"_")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		p + "_long_running_tasks",
		p + "_prediction_tracking",
		p + "_prepare_daily_tx_tracking",
		p + "_processed_events",
		p + "_unitary_prediction_tracking_test-ltv-deploy.ltv_ml.predictions_20200511",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("collections (-want +got):\n%s", diff)
	}
}

func testPrepareBarrier(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx, tr := context.Background(), e.tr
	for _, d := range []string{"20200103", "20200101", "20200105", "20200102"} {
		if err := tr.StartPrepare(ctx, d); err != nil {
			t.Fatalf("StartPrepare %s: %v", d, err)
		}
	}
	e.clock.Advance(time.Minute)
	if err := tr.FinishPrepare(ctx, "20200102", nil); err != nil {
		t.Fatal(err)
	}
	if err := tr.FinishPrepare(ctx, "20200101", errors.New("query failed")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		upTo string
		want []string
	}{
		{upTo: "20191231", want: nil},
		{upTo: "20200102", want: nil},
		{upTo: "20200103", want: []string{"20200103"}},
		{upTo: "20200104", want: []string{"20200103"}},
		{upTo: "20200110", want: []string{"20200103", "20200105"}},
	}
	for _, tc := range tests {
		t.Run("up to "+tc.upTo, func(t *testing.T) {
			got, problems, err := tr.PendingPrepares(ctx, tc.upTo)
			if err != nil || len(problems) > 0 {
				t.Fatalf("PendingPrepares: %v %v", problems, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("pending (-want +got):\n%s", diff)
			}
		})
	}

	// A re-run makes a finished date pending again.
	if err := tr.StartPrepare(ctx, "20200102"); err != nil {
		t.Fatal(err)
	}
	got, _, err := tr.PendingPrepares(ctx, "20200102")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"20200102"}, got); diff != "" {
		t.Errorf("pending after a re-run (-want +got):\n%s", diff)
	}

	all, problems, err := tr.Prepares(ctx)
	if err != nil || len(problems) > 0 {
		t.Fatalf("Prepares: %v %v", problems, err)
	}
	t1 := start.Add(time.Minute)
	want := []tracking.Prepare{
		{Date: "20200101", Status: tracking.StatusFailed, Started: start, Finished: t1, Error: "query failed"},
		{Date: "20200102", Status: tracking.StatusPending, Started: t1},
		{Date: "20200103", Status: tracking.StatusPending, Started: start},
		{Date: "20200105", Status: tracking.StatusPending, Started: start},
	}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("Prepares (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"2020-01-01", "20201301", ""} {
		if err := tr.StartPrepare(ctx, bad); err == nil {
			t.Errorf("StartPrepare(%q): no error", bad)
		}
		if _, _, err := tr.PendingPrepares(ctx, bad); err == nil {
			t.Errorf("PendingPrepares(%q): no error", bad)
		}
	}
}

func testPredictionActivity(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx, tr := context.Background(), e.tr
	activity := func() tracking.Activity {
		t.Helper()
		a, problems, err := tr.PredictionActivity(ctx)
		if err != nil || len(problems) > 0 {
			t.Fatalf("PredictionActivity: %v %v", problems, err)
		}
		return a
	}
	if diff := cmp.Diff(tracking.Activity{}, activity()); diff != "" {
		t.Errorf("activity before any prediction (-want +got):\n%s", diff)
	}
	t0 := start
	if err := tr.StartPrediction(ctx, "20200511/0", "20200511"); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	t1 := t0.Add(time.Minute)
	if err := tr.StartPrediction(ctx, "20200511/1", "20200511"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tracking.Activity{InFlight: 2, OldestInFlight: t0, Last: t1}, activity()); diff != "" {
		t.Errorf("two in flight (-want +got):\n%s", diff)
	}
	e.clock.Advance(time.Minute)
	t2 := t1.Add(time.Minute)
	if err := tr.FinishPrediction(ctx, "20200511/0", nil); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tracking.Activity{InFlight: 1, OldestInFlight: t1, Last: t2}, activity()); diff != "" {
		t.Errorf("one finished (-want +got):\n%s", diff)
	}
	e.clock.Advance(time.Minute)
	t3 := t2.Add(time.Minute)
	if err := tr.FinishPrediction(ctx, "20200511/1", errors.New("quota")); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tracking.Activity{Last: t3}, activity()); diff != "" {
		t.Errorf("all finished (-want +got):\n%s", diff)
	}
	preds, problems, err := tr.Predictions(ctx)
	if err != nil || len(problems) > 0 {
		t.Fatalf("Predictions: %v %v", problems, err)
	}
	want := []tracking.Prediction{
		{ID: "20200511/0", Date: "20200511", Status: tracking.StatusDone, Started: t0, Finished: t2},
		{ID: "20200511/1", Date: "20200511", Status: tracking.StatusFailed, Started: t1, Finished: t3, Error: "quota"},
	}
	if diff := cmp.Diff(want, preds); diff != "" {
		t.Errorf("Predictions (-want +got):\n%s", diff)
	}
}

func testRowTraces(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx, tr := context.Background(), e.tr
	table := "test-ltv-deploy.ltv_ml.predictions_20200511"
	rowIDs := []string{"536365/85123A", "..", "__init__", "C536379 ñ", "a%2Fb", string(make([]byte, 3000))}
	var rows []tracking.RowTrace
	for _, id := range rowIDs {
		rows = append(rows, tracking.RowTrace{RowID: id, Status: tracking.TraceSent})
	}
	// More rows than one commit takes.
	for i := range 600 {
		rows = append(rows, tracking.RowTrace{RowID: fmt.Sprintf("bulk-%03d", i), Status: tracking.TraceSent})
	}
	if err := tr.TraceRows(ctx, table, rows); err != nil {
		t.Fatalf("TraceRows: %v", err)
	}
	e.clock.Advance(time.Second)
	at := start.Add(-time.Hour)
	update := []tracking.RowTrace{
		{RowID: rowIDs[0], Status: tracking.TracePredicted},
		{RowID: rowIDs[1], Status: tracking.TraceFailed, Error: "INVALID_ARGUMENT: bad row", At: at},
	}
	if err := tr.TraceRows(ctx, table, update); err != nil {
		t.Fatalf("TraceRows update: %v", err)
	}
	got, problems, err := tr.Traces(ctx, table)
	if err != nil || len(problems) > 0 {
		t.Fatalf("Traces: %v %v", problems, err)
	}
	if len(got) != len(rows) {
		t.Fatalf("Traces returned %d rows, want %d", len(got), len(rows))
	}
	byID := map[string]tracking.RowTrace{}
	for _, r := range got {
		byID[r.RowID] = r
	}
	want := map[string]tracking.RowTrace{
		rowIDs[0]: {RowID: rowIDs[0], Status: tracking.TracePredicted, At: start.Add(time.Second)},
		rowIDs[1]: {RowID: rowIDs[1], Status: tracking.TraceFailed, Error: "INVALID_ARGUMENT: bad row", At: at},
		rowIDs[5]: {RowID: rowIDs[5], Status: tracking.TraceSent, At: start},
	}
	for id, w := range want {
		if diff := cmp.Diff(w, byID[id]); diff != "" {
			t.Errorf("trace of %.20q (-want +got):\n%s", id, diff)
		}
	}
	for _, bad := range []tracking.RowTrace{{RowID: "", Status: tracking.TraceSent}, {RowID: "x", Status: "lost"}} {
		if err := tr.TraceRows(ctx, table, []tracking.RowTrace{bad}); err == nil {
			t.Errorf("TraceRows(%+v): no error", bad)
		}
	}
}
