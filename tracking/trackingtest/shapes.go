package trackingtest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/tracking"
)

// testUnknownShapes writes documents of unknown shapes straight into the collections, as an older version or
// a hand edit would, and checks that every operation reports them with their path and goes on.
func testUnknownShapes(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx, s, tr := context.Background(), e.store, e.tr
	tasks := e.names.Of(tracking.KindTasks)
	prepares := e.names.Of(tracking.KindPrepare)
	predictions := e.names.Of(tracking.KindPrediction)
	events := e.names.Of(tracking.KindEvents)
	table := "p.d.predictions_20200511"
	traces := e.names.Trace(table)
	past := start.Add(-time.Minute)

	good := enqueue(t, e, tracking.TaskSpec{Kind: "prepare"})
	raw := []struct {
		coll, id string
		fields   tracking.Fields
	}{
		// Due now by their visible field, but otherwise broken: Poll meets them.
		{tasks, "bad-inserted", tracking.Fields{"kind": "prepare", "status": "pending", "attempts": int64(0),
			"inserted": "yesterday", "due": past, "visible": past}},
		{tasks, "bad-missing", tracking.Fields{"visible": past}},
		{tasks, "bad-payload", tracking.Fields{"kind": "prepare", "status": "pending", "attempts": "0",
			"inserted": past, "due": past, "visible": past, "payload": 42, "on_error": "pltv-errors"}},
		{tasks, "bad-status", tracking.Fields{"kind": "prepare", "status": "waiting", "attempts": int64(0),
			"inserted": past, "due": past, "visible": past}},
		// Its visible field is not a time: no poll query matches it, only listing sees it.
		{tasks, "bad-visible", tracking.Fields{"kind": "prepare", "status": "pending", "attempts": int64(0),
			"inserted": past, "due": past, "visible": "now"}},
		{prepares, "20200101", tracking.Fields{"date": "20200101", "status": int64(1), "pending": "20200101"}},
		{prepares, "20200102", tracking.Fields{"date": "2020-01-02", "status": "pending", "started": past, "pending": "20200102"}},
		{predictions, "old", tracking.Fields{"status": "running", "running": past, "activity": past}},
		{events, "hand-made", tracking.Fields{"source": "s", "event_id": "1", "seen": past, "expires": past}},
		{traces, "row", tracking.Fields{"row_id": int64(7), "status": "sent"}},
	}
	for _, r := range raw {
		if err := s.Set(ctx, r.coll, r.id, r.fields); err != nil {
			t.Fatalf("write %s/%s: %v", r.coll, r.id, err)
		}
	}
	path := func(coll, id string) string { return coll + "/" + id }

	res := poll(t, e, 10)
	if got := taskIDs(res.Claimed); !cmp.Equal(got, []string{good.ID}) {
		t.Errorf("claimed %v, want the sound task %s", got, good.ID)
	}
	wantPoll := []string{path(tasks, "bad-inserted"), path(tasks, "bad-missing"), path(tasks, "bad-payload"),
		path(tasks, "bad-status")}
	if diff := cmp.Diff(wantPoll, problemPaths(res.Problems)); diff != "" {
		t.Errorf("Poll problems (-want +got):\n%s", diff)
	}
	for _, p := range wantPoll {
		if !strings.Contains(e.logs.String(), p) {
			t.Errorf("problem %s not logged; logs:\n%s", p, e.logs.String())
		}
	}
	for _, p := range res.Problems {
		if p.Reason == "" {
			t.Errorf("problem %s without a reason", p.Path)
		}
	}
	// Taken out of the queue: the next poll neither claims nor reports them again.
	if res := poll(t, e, 10); len(res.Claimed)+len(res.Expired)+len(res.Problems) != 0 {
		t.Errorf("second poll: %+v", res)
	}

	checks := []struct {
		name string
		run  func() ([]tracking.Problem, error)
		want []string
	}{
		{name: "Tasks", run: func() ([]tracking.Problem, error) { _, p, err := tr.Tasks(ctx); return p, err },
			want: append(slices.Clone(wantPoll), path(tasks, "bad-visible"))},
		{name: "PendingPrepares", run: func() ([]tracking.Problem, error) { _, p, err := tr.PendingPrepares(ctx, "20201231"); return p, err },
			want: []string{path(prepares, "20200101"), path(prepares, "20200102")}},
		{name: "Prepares", run: func() ([]tracking.Problem, error) { _, p, err := tr.Prepares(ctx); return p, err },
			want: []string{path(prepares, "20200101"), path(prepares, "20200102")}},
		{name: "PredictionActivity", run: func() ([]tracking.Problem, error) { _, p, err := tr.PredictionActivity(ctx); return p, err },
			want: []string{path(predictions, "old")}},
		{name: "Traces", run: func() ([]tracking.Problem, error) { _, p, err := tr.Traces(ctx, table); return p, err },
			want: []string{path(traces, "row")}},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			problems, err := c.run()
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			got := problemPaths(problems)
			slices.Sort(got)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}

	act, _, err := tr.PredictionActivity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if act.InFlight != 0 || !act.Last.Equal(past) {
		t.Errorf("activity %+v: the malformed prediction is not in flight, its activity still counts", act)
	}

	// A hand-made ledger entry (its id is not derived from its source and id) does not block an event.
	if first, err := tr.FirstSeen(ctx, "s", "1"); err != nil || !first {
		t.Errorf("FirstSeen(s, 1) = %v, %v; want true", first, err)
	}

	inv, err := tr.Inventory(ctx, tracking.ListOptions{Documents: true})
	if err != nil {
		t.Fatalf("Inventory: %v", err)
	}
	wantAll := []string{path(events, "hand-made"), path(tasks, "bad-inserted"), path(tasks, "bad-missing"),
		path(tasks, "bad-payload"), path(tasks, "bad-status"), path(tasks, "bad-visible"),
		path(predictions, "old"), path(prepares, "20200101"), path(prepares, "20200102"), path(traces, "row")}
	slices.Sort(wantAll)
	got := problemPaths(inv.Problems)
	slices.Sort(got)
	if diff := cmp.Diff(wantAll, got); diff != "" {
		t.Errorf("Inventory problems (-want +got):\n%s", diff)
	}

	rep, err := tr.Cleanup(ctx, tracking.CleanOptions{})
	if err != nil {
		t.Fatalf("Cleanup: %v", err)
	}
	got = problemPaths(rep.Problems)
	slices.Sort(got)
	if diff := cmp.Diff(wantAll, got); diff != "" {
		t.Errorf("Cleanup problems (-want +got):\n%s", diff)
	}
	for _, p := range wantAll {
		coll, id, _ := strings.Cut(p, "/")
		if _, err := s.Get(ctx, coll, id); err != nil {
			t.Errorf("Cleanup touched %s: %v", p, err)
		}
	}
}

func problemPaths(problems []tracking.Problem) []string {
	out := []string{}
	for _, p := range problems {
		out = append(out, p.Path)
	}
	return out
}
