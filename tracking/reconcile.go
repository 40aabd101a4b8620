package tracking

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Interrupted is the reason recorded for work that a process left unfinished when it died.
const Interrupted = "interrupted"

// Leftovers is what Reconcile settled.
type Leftovers struct {
	Prepares []string // dates whose prepare was pending, now failed "interrupted"
	Leases   int      // events in progress whose leases were released
}

// Reconcile settles what processes that died left in the tracking, for a runtime that knows it is the only
// one working on the store (the embedded runtime as it starts): every pending prepare started before since
// fails with the reason "interrupted", so it no longer holds the filter barrier and a rerun prepares the date
// again, and the leases on events claimed before since are released, so that the same event delivered again
// runs instead of waiting for a lease of the dead. With dryRun it only says what it would settle.
func (t *Tracker) Reconcile(ctx context.Context, since time.Time, dryRun bool) (Leftovers, error) {
	var out Leftovers
	dry := dryRun
	prepares, _, err := t.Prepares(ctx)
	if err != nil {
		return out, fmt.Errorf("reconcile: %w", err)
	}
	for _, p := range prepares {
		if p.Status != StatusPending || p.Started.After(since) {
			continue
		}
		if !dry {
			reason := errors.New(Interrupted + ": the process preparing it ended before the prepare did")
			if err := t.FinishPrepare(ctx, p.Date, reason); err != nil {
				return out, fmt.Errorf("reconcile: %w", err)
			}
		}
		out.Prepares = append(out.Prepares, p.Date)
	}
	docs, err := t.store.Query(ctx, Query{Collection: t.names.Of(KindEvents),
		Filters: []Filter{{Field: fState, Op: OpEq, Value: string(EventInProgress)}}})
	if err != nil {
		return out, fmt.Errorf("reconcile event leases: %w", err)
	}
	for _, d := range docs {
		ev, prob := decodeEvent(d)
		if prob != nil || ev.Claimed.After(since) {
			continue
		}
		if dry {
			out.Leases++
			continue
		}
		switch err := t.store.Remove(ctx, d); {
		case err == nil:
			out.Leases++
		case !errors.Is(err, ErrConflict): // one that changed meanwhile is no leftover
			return out, fmt.Errorf("reconcile event leases: %w", err)
		}
	}
	return out, nil
}
