package trackingtest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/tracking"
)

func testLedger(t *testing.T, newStore NewStore) {
	e := setup(t, newStore, func(o *tracking.Options) { o.EventTTL, o.EventLease = time.Hour, 10*time.Minute })
	ctx := context.Background()
	const src = "//bigquery.googleapis.com/projects/p/datasets/d"
	seen := func(source, id string) bool {
		t.Helper()
		first, err := e.tr.FirstSeen(ctx, source, id)
		if err != nil {
			t.Fatalf("FirstSeen(%s, %s): %v", source, id, err)
		}
		return first
	}
	steps := []struct {
		name    string
		advance time.Duration
		forget  bool
		source  string
		id      string
		want    bool
	}{
		{name: "first delivery", source: src, id: "1", want: true},
		{name: "redelivery", source: src, id: "1", want: false},
		{name: "same id, other source", source: src + "/x", id: "1", want: true},
		{name: "other id", source: src, id: "2", want: true},
		{name: "redelivery before expiry", advance: time.Hour - time.Microsecond, source: src, id: "1", want: false},
		{name: "redelivery at expiry counts as unseen", advance: time.Microsecond, source: src, id: "1", want: true},
		{name: "then remembered again", source: src, id: "1", want: false},
		{name: "forgotten after a failure", forget: true, source: src, id: "1", want: true},
		{name: "empty-looking ids are ids", source: src, id: "%7E", want: true},
	}
	for _, s := range steps {
		e.clock.Advance(s.advance)
		if s.forget {
			if err := e.tr.ForgetEvent(ctx, s.source, s.id); err != nil {
				t.Fatalf("%s: ForgetEvent: %v", s.name, err)
			}
		}
		if got := seen(s.source, s.id); got != s.want {
			t.Errorf("%s: FirstSeen = %v, want %v", s.name, got, s.want)
		}
	}
	if _, err := e.tr.FirstSeen(ctx, "", "1"); err == nil {
		t.Error("FirstSeen without a source: no error")
	}
	testLease(t, e)

	// Clean removes the expired entries only: at start+2h, those seen before start+1h.
	e.clock.Advance(time.Hour)
	if !seen(src, "3") {
		t.Fatal("event 3 not first")
	}
	rep, err := e.tr.Cleanup(ctx, tracking.CleanOptions{})
	if err != nil {
		t.Fatalf("Cleanup: %v", err)
	}
	got := map[string]bool{}
	for _, d := range rep.Deleted {
		got[d.Path] = true
	}
	n, err := e.store.Count(ctx, e.names.Of(tracking.KindEvents))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 || n != 1 {
		t.Errorf("Cleanup deleted %v and left %d entries, want 6 deleted (two of them leases) and event 3 left", rep.Deleted, n)
	}
	if seen(src, "3") {
		t.Error("event 3 forgotten by Cleanup")
	}
	if !seen(src, "2") {
		t.Error("cleaned event 2 not first again")
	}
	if diff := cmp.Diff(0, len(rep.Problems)); diff != "" {
		t.Errorf("problems: %v", rep.Problems)
	}
}

// testLease walks an event through the lease: claimed, held while its handler runs, taken over once the lease
// of a handler that died expires, done, and remembered until the TTL.
func testLease(t *testing.T, e *env) {
	ctx := context.Background()
	const src = "//pubsub.googleapis.com/projects/p/topics/lease"
	claim := func(id string) tracking.Claim {
		t.Helper()
		c, err := e.tr.ClaimEvent(ctx, src, id)
		if err != nil {
			t.Fatalf("ClaimEvent(%s): %v", id, err)
		}
		return c
	}
	steps := []struct {
		name    string
		advance time.Duration
		done    bool // EventDone before claiming
		id      string
		want    tracking.Claim
	}{
		{name: "first delivery takes the lease", id: "a", want: tracking.Claimed},
		{name: "redelivery while handled is held", id: "a", want: tracking.ClaimHeld},
		{name: "still held just before the lease ends", advance: 10*time.Minute - time.Microsecond, id: "a", want: tracking.ClaimHeld},
		{name: "the handler died: its lease expires and a redelivery takes over", advance: time.Microsecond, id: "a", want: tracking.Claimed},
		{name: "the new holder finished: a redelivery is a duplicate", done: true, id: "a", want: tracking.ClaimDone},
		{name: "done is remembered past the lease", advance: 30 * time.Minute, id: "a", want: tracking.ClaimDone},
		{name: "and forgotten after the TTL", advance: 30 * time.Minute, id: "a", want: tracking.Claimed},
		{name: "a second event is leased on its own", id: "b", want: tracking.Claimed},
	}
	for _, s := range steps {
		e.clock.Advance(s.advance)
		if s.done {
			if err := e.tr.EventDone(ctx, src, s.id); err != nil {
				t.Fatalf("%s: EventDone: %v", s.name, err)
			}
		}
		if got := claim(s.id); got != s.want {
			t.Errorf("%s: ClaimEvent = %v, want %v", s.name, got, s.want)
		}
	}
	docs, err := e.store.Query(ctx, tracking.Query{Collection: e.names.Of(tracking.KindEvents),
		Filters: []tracking.Filter{{Field: "state", Op: tracking.OpEq, Value: string(tracking.EventInProgress)}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if _, ok := d.Fields[tracking.EventExpiryField].(time.Time); !ok {
			t.Errorf("%s: %s is %T, want a timestamp for the TTL policy", d.Path(), tracking.EventExpiryField, d.Fields[tracking.EventExpiryField])
		}
	}
	if len(docs) != 2 {
		t.Errorf("%d events in progress, want a and b", len(docs))
	}
}
