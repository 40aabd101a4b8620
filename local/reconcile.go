package local

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/warehouse"
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
// intermediate tables of a prepare with a row hook, and the staging tables of a load (init).
var stagingMarks = []string{"__batch_", "__sql", "__rows", loadMark}

// reconcileState settles, before any new work starts, what processes that died on this state left in it:
// their pending prepares fail "interrupted" (so they no longer hold the filter barrier), their event leases
// are released, and the staging tables of stages that never finished are dropped. Queued tasks need nothing:
// they are in the queue, and the task poller runs them (a task a dead poller had claimed is due again when
// its lease ends). The state lock makes this process the only writer of the state, so whatever is
// unfinished when it starts is a leftover.
func (r *Runtime) reconcileState(ctx context.Context, since time.Time) (Reconciled, error) {
	var out Reconciled
	var err error
	if out.Leftovers, err = r.Tracker.Reconcile(ctx, since, false); err != nil {
		return out, err
	}
	var tables []warehouse.TableInfo
	for _, ds := range []warehouse.Dataset{r.Config.LTVDataset(), r.Config.SourceDataset()} {
		list, err := r.WH.Tables(ctx, ds, "")
		if err != nil {
			return out, fmt.Errorf("reconcile staging tables: %w", err)
		}
		tables = append(tables, list...)
	}
	for _, t := range tables {
		if !isStaging(t.Ref.Table) {
			continue
		}
		if err := r.WH.Drop(ctx, t.Ref); err != nil {
			return out, fmt.Errorf("reconcile staging tables: %w", err)
		}
		out.Staged = append(out.Staged, t.Ref.Table)
	}
	return out, nil
}

// reconcileRunning settles, once the services run, what needs them: the executions a dead process left
// ACTIVE fail "interrupted", and the filters that its pending prepares held run.
func (e *Embedded) reconcileRunning(ctx context.Context, r *Reconciled) error {
	if e.Executions != nil {
		ended, err := e.Executions.Reconcile(ctx, e.Clock.Now())
		if err != nil {
			return err
		}
		for _, x := range ended {
			r.Executions = append(r.Executions, x.ID)
		}
	}
	if len(r.Prepares) > 0 && e.Server != nil && e.Server.App != nil && e.Server.App.Filter != nil {
		var err error
		if r.Released, err = e.Server.App.Filter.Release(ctx); err != nil {
			return fmt.Errorf("reconcile: release waiting filters: %w", err)
		}
	}
	if !r.Empty() {
		e.Log.WarnContext(ctx, "reconciled the work of a process that died", "executions_interrupted", len(r.Executions),
			"prepares_interrupted", len(r.Prepares), "event_leases_released", r.Leases, "filters_released", len(r.Released),
			"staging_tables_dropped", len(r.Staged))
	}
	return nil
}

func isStaging(table string) bool {
	for _, m := range stagingMarks {
		if strings.Contains(table, m) {
			return true
		}
	}
	return false
}
