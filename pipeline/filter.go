package pipeline

import (
	"context"
	"fmt"

	"github.com/pltv/pltv/hooks"
)

// Filter keeps the prepared rows of D whose customers are new: by default, those with no transaction in the
// MODEL_NEW_CLIENT_DAYS run dates before D. The caller makes sure no prepare of a date ≤ D is still pending
// (see WaitingOn). A missing or empty prepared table is skipped. Days of the window with source data that were
// never prepared are prepared first (see prepareWindow), so the result does not depend on the order of runs;
// what the filter read is recorded (see FilterReads), so that a window rewritten later is found stale.
func (p *Pipeline) Filter(ctx context.Context, date string) (Result, error) {
	if _, err := ParseDate(date); err != nil {
		return Result{}, fmt.Errorf("filter: %w", err)
	}
	src := p.ltv().Shard(PreparedDailyTransactions, date)
	if skip, err := p.skipUnlessRows(ctx, StageFilter, date, src); skip != nil || err != nil {
		return derefResult(skip), err
	}
	v := p.vars(date)
	var err error
	if v.WindowStart, err = AddDays(date, -p.Settings.NewClientDays); err != nil {
		return Result{}, err
	}
	if v.WindowEnd, err = AddDays(date, -1); err != nil {
		return Result{}, err
	}
	if _, err := p.prepareWindow(ctx, date, v.WindowStart, v.WindowEnd); err != nil {
		p.recordBlocked(ctx, date, v.WindowStart, v.WindowEnd, err)
		return Result{}, fmt.Errorf("filter %s: %w", date, err)
	}
	read, err := p.beginRead(ctx, date, v.WindowStart, v.WindowEnd)
	if err != nil {
		return Result{}, fmt.Errorf("filter %s: %w", date, err)
	}
	dest := p.ltv().Shard(NewCustomersTransactions, date)
	res, err := p.runTemplate(ctx, StageFilter, hooks.NewCustomers, v, nil, dest)
	if err != nil {
		return Result{}, fmt.Errorf("filter %s: %w", date, err)
	}
	if err := p.endRead(ctx, read, res.ID); err != nil {
		return Result{}, fmt.Errorf("filter %s: %w", date, err)
	}
	p.Log.InfoContext(ctx, "filtered", "stage", StageFilter, "date", date, "table", dest.String(), "rows", res.Rows,
		"window", v.WindowStart+".."+v.WindowEnd)
	return Result{Stage: StageFilter, Date: date, Table: dest, Rows: res.Rows, JobID: res.ID}, nil
}
