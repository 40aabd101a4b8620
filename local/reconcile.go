package local

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pltv/pltv/tracking"
)

// Reconciled is what the runtime settled as it started, of the work a process that died left behind.
type Reconciled struct {
	Executions []string // ACTIVE executions ended FAILED "interrupted"
	tracking.Leftovers
	Released []string // dates waiting at the filter barrier, filtered now that no dead prepare holds them
	Staged   []string // staging tables of unfinished stages, dropped (their dates are recomputed by a rerun)
}

// Empty says whether nothing was left behind.
func (r Reconciled) Empty() bool {
	return len(r.Executions)+len(r.Prepares)+r.Leases+len(r.Released)+len(r.Staged) == 0
}

// stagingMarks are what staging tables' names carry: prediction batches waiting for their finish step, and the
// intermediate tables of a prepare with a row hook.
var stagingMarks = []string{"__batch_", "__sql", "__rows"}

// reconcile settles the work of processes that died on this state, before any new work starts: their ACTIVE
// executions fail "interrupted", their pending prepares fail "interrupted" (so they no longer hold the filter
// barrier) and the filters they held run, their event leases are released, and the staging tables of
// stages that never finished are dropped. Queued tasks need nothing: they are in the queue, and the task
// poller runs them (a task a dead poller had claimed is due again when its lease ends). The embedded runtime
// is the only writer of its state while it runs, so whatever is unfinished when it starts is a leftover.
func (e *Embedded) reconcile(ctx context.Context, since time.Time) (Reconciled, error) {
	var r Reconciled
	if e.Executions != nil {
		ended, err := e.Executions.Reconcile(ctx, e.Clock.Now())
		if err != nil {
			return r, err
		}
		for _, x := range ended {
			r.Executions = append(r.Executions, x.ID)
		}
	}
	var err error
	if r.Leftovers, err = e.Tracker.Reconcile(ctx, since); err != nil {
		return r, err
	}
	if tables, err := e.WH.Tables(ctx, e.Config.LTVDataset(), ""); err != nil {
		return r, fmt.Errorf("reconcile staging tables: %w", err)
	} else {
		for _, t := range tables {
			if !isStaging(t.Ref.Table) {
				continue
			}
			if err := e.WH.Drop(ctx, t.Ref); err != nil {
				return r, fmt.Errorf("reconcile staging tables: %w", err)
			}
			r.Staged = append(r.Staged, t.Ref.Table)
		}
	}
	if len(r.Prepares) > 0 && e.Server != nil && e.Server.App != nil && e.Server.App.Filter != nil {
		if r.Released, err = e.Server.App.Filter.Release(ctx); err != nil {
			return r, fmt.Errorf("reconcile: release waiting filters: %w", err)
		}
	}
	if !r.Empty() {
		e.Log.WarnContext(ctx, "reconciled the work of a process that died", "executions_interrupted", len(r.Executions),
			"prepares_interrupted", len(r.Prepares), "event_leases_released", r.Leases, "filters_released", len(r.Released),
			"staging_tables_dropped", len(r.Staged))
	}
	return r, nil
}

func isStaging(table string) bool {
	for _, m := range stagingMarks {
		if strings.Contains(table, m) {
			return true
		}
	}
	return false
}
