package pipeline

import (
	"context"
	"fmt"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/warehouse"
)

// Extract runs the extract hook for the run date, the way a scheduled query runs: @run_date is the logical date
// and @run_time its start, and the result replaces all_daily_transactions_D.
func (p *Pipeline) Extract(ctx context.Context, date string) (Result, error) {
	return p.extract(ctx, StageExtract, date)
}

// extract is Extract with the stage its job is labelled with.
func (p *Pipeline) extract(ctx context.Context, stage, date string) (Result, error) {
	t, err := ParseDate(date)
	if err != nil {
		return Result{}, fmt.Errorf("extract: %w", err)
	}
	dest := p.ltv().Shard(AllDailyTransactions, date)
	params := map[string]any{"run_date": warehouse.DateOf(t), "run_time": t}
	res, err := p.runTemplate(ctx, stage, hooks.Extract, p.vars(date), params, dest)
	if err != nil {
		return Result{}, fmt.Errorf("extract %s: %w", date, err)
	}
	p.Log.InfoContext(ctx, "extracted", "stage", StageExtract, "date", date, "table", dest.String(), "rows", res.Rows)
	return Result{Stage: StageExtract, Date: date, Table: dest, Rows: res.Rows, JobID: res.ID}, nil
}
