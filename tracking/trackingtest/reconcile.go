package trackingtest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/tracking"
)

// testReconcile leaves what a process that died leaves (a pending prepare, a claimed event) beside what a
// live one holds after it started, and checks that Reconcile settles the first and leaves the second.
func testReconcile(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx := context.Background()
	const src = "//pubsub.googleapis.com/projects/p/topics/t"
	if err := e.tr.StartPrepare(ctx, "20200510"); err != nil {
		t.Fatal(err)
	}
	if err := e.tr.StartPrepare(ctx, "20200509"); err != nil {
		t.Fatal(err)
	}
	if err := e.tr.FinishPrepare(ctx, "20200509", nil); err != nil {
		t.Fatal(err)
	}
	if c, err := e.tr.ClaimEvent(ctx, src, "dead"); err != nil || c != tracking.Claimed {
		t.Fatalf("claim = %v, %v", c, err)
	}
	e.clock.Advance(time.Second)
	since := e.clock.Now()
	e.clock.Advance(time.Second)
	if err := e.tr.StartPrepare(ctx, "20200511"); err != nil {
		t.Fatal(err)
	}
	if c, err := e.tr.ClaimEvent(ctx, src, "live"); err != nil || c != tracking.Claimed {
		t.Fatalf("claim = %v, %v", c, err)
	}

	dry, err := e.tr.Reconcile(ctx, since, true)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.tr.Reconcile(ctx, since, false)
	if err != nil {
		t.Fatal(err)
	}
	want := tracking.Leftovers{Prepares: []string{"20200510"}, Leases: 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Reconcile (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, dry); diff != "" {
		t.Errorf("Reconcile's dry run (-want +got):\n%s", diff)
	}
	pending, _, err := e.tr.PendingPrepares(ctx, "20200531")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"20200511"}, pending); diff != "" {
		t.Errorf("pending after Reconcile (-want +got):\n%s", diff)
	}
	prepares, _, err := e.tr.Prepares(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prepares {
		if p.Date == "20200510" && (p.Status != tracking.StatusFailed || !strings.HasPrefix(p.Error, tracking.Interrupted)) {
			t.Errorf("the dead prepare is %s %q, want failed %q", p.Status, p.Error, tracking.Interrupted)
		}
	}
	if c, _ := e.tr.ClaimEvent(ctx, src, "dead"); c != tracking.Claimed {
		t.Errorf("the dead process's event: %v, want Claimed again", c)
	}
	if c, _ := e.tr.ClaimEvent(ctx, src, "live"); c != tracking.ClaimHeld {
		t.Errorf("the live process's event: %v, want still held", c)
	}
	if _, err := e.tr.Reconcile(ctx, since, false); err != nil && !errors.Is(err, tracking.ErrConflict) {
		t.Errorf("second Reconcile: %v", err)
	}
}
