package prepare_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/tracking"
)

func TestThrottle(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 2)
	// Two prepares already pending (say, running in other instances): the third one queues.
	for _, d := range []string{"20101130", "20101201"} {
		if err := f.tracker.StartPrepare(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.send(t, "m1", run(t, "20101202", "r1", nil)); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if runs := f.stage.Runs(); len(runs) != 0 {
		t.Fatalf("ran above the limit: %v", runs)
	}
	pending, _, err := f.tracker.PendingPrepares(ctx, "99991231")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"20101130", "20101201", "20101202"}, pending); diff != "" {
		t.Errorf("a queued prepare holds the barrier too (-want +got):\n%s", diff)
	}
	list, _, err := f.tracker.Tasks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Kind != "prepare" || list[0].Date != "20101202" || list[0].Status != tracking.StatusPending {
		t.Fatalf("tasks %+v, want one pending prepare of 20101202", list)
	}
	if got := f.send(t, "m1", run(t, "20101202", "r1", nil)); got != http.StatusOK {
		t.Fatalf("redelivery: status %d", got)
	}
	if list, _, _ := f.tracker.Tasks(ctx); len(list) != 1 {
		t.Errorf("a redelivery queued it again: %d tasks", len(list))
	}

	// The poller runs it.
	if err := f.service.RunTask(ctx, list[0]); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"20101202"}, f.stage.Runs()); diff != "" {
		t.Errorf("prepare runs (-want +got):\n%s", diff)
	}
	steps := f.progress.Steps()
	if steps[0].Outcome != services.Queued || steps[len(steps)-1].Outcome != services.Done {
		t.Errorf("progress %+v, want queued then done", steps)
	}
}

func TestExpiredTaskReleasesTheBarrier(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	if err := f.tracker.StartPrepare(ctx, "20101201"); err != nil {
		t.Fatal(err)
	}
	if got := f.send(t, "m1", run(t, "20101202", "r1", nil)); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	list, _, err := f.tracker.Tasks(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("tasks %v %v", list, err)
	}
	task := list[0]
	task.Error = "expired: inserted long ago"
	if err := f.service.ExpireTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	pending, _, err := f.tracker.PendingPrepares(ctx, "99991231")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"20101201"}, pending); diff != "" {
		t.Errorf("pending (-want +got):\n%s", diff)
	}
	if f.released.calls != 1 {
		t.Errorf("released %d times, want 1", f.released.calls)
	}
}
