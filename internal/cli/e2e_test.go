package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/tracking"
)

// backfillJSON is what backfill --json prints.
type backfillJSON struct {
	Dates   []backfillRow `json:"dates"`
	Summary struct {
		Predictions    int64          `json:"predictions"`
		PredictedValue float64        `json:"predicted_value"`
		Model          local.ModelUse `json:"model"`
		Failed         []string       `json:"failed_dates"`
	} `json:"summary"`
}

func backfillOnce(t *testing.T, state, from, to string) backfillJSON {
	t.Helper()
	out, err := execute(t, context.Background(), "backfill", "--state", state, "--from", from, "--to", to, "--json")
	if err != nil {
		t.Fatalf("backfill %s..%s: %v\n%s", from, to, err, out)
	}
	var b backfillJSON
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("backfill --json: %v\n%s", err, out)
	}
	return b
}

// TestE2EThirtyDayBackfill backfills 30 dates of the shipped Online Retail data through the local Eventarc,
// services and daily workflow, after training the local model, and checks the end state; then backfills
// the same dates again and checks that nothing changed.
func TestE2EThirtyDayBackfill(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: a 30-date backfill on the shipped data")
	}
	ctx := context.Background()
	state := filepath.Join(t.TempDir(), "state")
	for _, args := range [][]string{{"init"}, {"train"}} {
		if out, err := execute(t, ctx, append(args, "--state", state)...); err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, out)
		}
	}
	const from, to = "20110601", "20110630"
	first := backfillOnce(t, state, from, to)
	if len(first.Dates) != 30 || len(first.Summary.Failed) > 0 {
		t.Fatalf("first backfill: %d dates, failed %v; want 30 dates, none failed", len(first.Dates), first.Summary.Failed)
	}
	if m := first.Summary.Model; m.Deploys != 1 || m.Deployed {
		t.Errorf("model: %+v; want exactly one deploy, undeployed at the end", m)
	}
	if first.Summary.Predictions == 0 {
		t.Error("no predictions written")
	}

	done := 0
	for _, d := range statusOf(t, state, from, to) {
		switch d.State {
		case local.DateDone: // every stage's table, and predictions for every new-customer row
			done++
		case local.DateSkipped:
			if d.Reason == "" {
				t.Errorf("%s skipped without a reason", d.Date)
			}
		default:
			t.Errorf("%s is %s: %s", d.Date, d.State, d.Reason)
		}
	}
	if done < 20 {
		t.Errorf("%d of 30 dates done; want every trading day", done)
	}
	checkNoTrackingLeftovers(t, state)

	tables := func() string {
		out, err := execute(t, ctx, "tables", "ls", "--state", state, "--json")
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := tables()
	second := backfillOnce(t, state, from, to)
	if diff := cmp.Diff(before, tables()); diff != "" {
		t.Errorf("a second backfill changed the tables (-before +after):\n%s", diff)
	}
	if second.Summary.Predictions != first.Summary.Predictions || second.Summary.PredictedValue != first.Summary.PredictedValue {
		t.Errorf("second backfill: %d predictions worth %.4f; first: %d worth %.4f", second.Summary.Predictions,
			second.Summary.PredictedValue, first.Summary.Predictions, first.Summary.PredictedValue)
	}
	checkNoTrackingLeftovers(t, state)
}

// checkNoTrackingLeftovers fails on prepares, predictions or tasks still pending or running.
func checkNoTrackingLeftovers(t *testing.T, state string) {
	t.Helper()
	rt, err := local.Open(context.Background(), config.Default(), local.Options{StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx := context.Background()
	prepares, _, err := rt.Tracker.Prepares(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prepares {
		if p.Status == tracking.StatusPending {
			t.Errorf("prepare of %s still pending", p.Date)
		}
	}
	preds, _, err := rt.Tracker.Predictions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range preds {
		if p.Status == tracking.StatusRunning {
			t.Errorf("prediction %s still running", p.ID)
		}
	}
	tasks, _, err := rt.Tracker.Tasks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range tasks {
		if x.Status == tracking.StatusPending || x.Status == tracking.StatusClaimed {
			t.Errorf("task %s (%s %s) left %s", x.ID, x.Kind, x.Date, x.Status)
		}
	}
}
