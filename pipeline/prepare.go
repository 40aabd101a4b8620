package pipeline

import (
	"context"
	"fmt"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/warehouse"
)

// Prepare turns all_daily_transactions_D into prepared_daily_transactions_D with the prepare hook, using the
// features of the model the metadata table selects for D. An empty or missing extract is skipped: the transfer
// service creates the table even for a day without data.
func (p *Pipeline) Prepare(ctx context.Context, date string) (Result, error) {
	return p.prepare(ctx, StagePrepare, date)
}

// prepare is Prepare with the stage its jobs are labelled with.
func (p *Pipeline) prepare(ctx context.Context, stage, date string) (Result, error) {
	if _, err := ParseDate(date); err != nil {
		return Result{}, fmt.Errorf("prepare: %w", err)
	}
	src := p.ltv().Shard(AllDailyTransactions, date)
	if skip, err := p.skipUnlessRows(ctx, StagePrepare, date, src); skip != nil || err != nil {
		return derefResult(skip), err
	}
	m, err := SelectModel(ctx, p.WH, p.ltv(), date)
	if err != nil {
		return Result{}, fmt.Errorf("prepare %s: %w", date, err)
	}
	if err := p.requireTable(ctx, p.ltv().Shard(TrainingDataFeatures, m.ModelDate), "features of model "+m.ModelDate); err != nil {
		return Result{}, fmt.Errorf("prepare %s: %w", date, err)
	}
	v := p.vars(date)
	v.ModelDate = m.ModelDate
	dropped, err := p.countDropped(ctx, v)
	if err != nil {
		return Result{}, fmt.Errorf("prepare %s: %w", date, err)
	}
	dest := p.ltv().Shard(PreparedDailyTransactions, date)
	rp, custom := p.Hooks.(hooks.RowPreparer)
	target := dest
	if custom {
		target = p.ltv().Table(dest.Table + "__sql")
	}
	res, err := p.runTemplate(ctx, stage, hooks.Prepare, v, nil, target)
	if err != nil {
		return Result{}, fmt.Errorf("prepare %s: %w", date, err)
	}
	if custom {
		if res, err = p.prepareRows(ctx, rp, stage, date, target, dest); err != nil {
			return Result{}, fmt.Errorf("prepare %s: row hook: %w", date, err)
		}
	}
	attrs := []any{"stage", StagePrepare, "date", date, "table", dest.String(), "rows", res.Rows, "model_date", m.ModelDate}
	if dropped >= 0 {
		attrs = append(attrs, "dropped_lines", dropped)
	}
	p.Log.InfoContext(ctx, "prepared", attrs...)
	return Result{Stage: StagePrepare, Date: date, Table: dest, Rows: res.Rows, JobID: res.ID}, nil
}

// countDropped runs the prepare template's "dropped" part, the count of source lines prepare leaves out, or
// returns -1 when the template has none. The source's columns are the template's business, not the stage's.
func (p *Pipeline) countDropped(ctx context.Context, v hooks.Vars) (int64, error) {
	q, ok, err := p.SQL.RenderPart(hooks.Prepare, hooks.PrepareDropped, v)
	if err != nil || !ok {
		return -1, err
	}
	var n int64
	err = p.WH.Read(ctx, warehouse.ReadRequest{SQL: q.Text}, func(b warehouse.Batch) error {
		if len(b.Rows) != 1 || len(b.Rows[0]) != 1 {
			return fmt.Errorf("want one row of one column, got %d rows", len(b.Rows))
		}
		var ok bool
		if n, ok = b.Rows[0][0].(int64); !ok && b.Rows[0][0] != nil {
			return fmt.Errorf("want an integer, got %T", b.Rows[0][0])
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count the dropped lines: %w", templateError(q, err))
	}
	return n, nil
}

// prepareRows streams the prepare SQL's output through the Go row hook into dest, then drops the SQL output.
func (p *Pipeline) prepareRows(ctx context.Context, rp hooks.RowPreparer, stage, date string, from, dest warehouse.Ref) (warehouse.JobResult, error) {
	staged := p.ltv().Table(dest.Table + "__rows")
	if err := p.WH.Drop(ctx, staged); err != nil {
		return warehouse.JobResult{}, err
	}
	var schema warehouse.Schema
	err := p.WH.Read(ctx, warehouse.ReadRequest{Table: &from, BatchSize: 1000}, func(in warehouse.Batch) error {
		out, err := rp.PrepareRows(ctx, date, in)
		if err != nil {
			return err
		}
		if schema == nil {
			schema = out.Schema
		}
		return p.WH.Insert(ctx, staged, schema, out.Rows)
	})
	if err != nil {
		return warehouse.JobResult{}, err
	}
	if schema == nil { // the SQL produced no rows: keep its (empty) table
		staged = from
	}
	res, err := p.WH.Copy(ctx, warehouse.CopyJob{Source: staged, Destination: dest, Labels: p.labels(stage, date)})
	if err != nil {
		return res, err
	}
	for _, t := range []warehouse.Ref{from, staged} {
		if err := p.WH.Drop(ctx, t); err != nil {
			return res, err
		}
	}
	return res, nil
}
