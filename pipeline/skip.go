package pipeline

import (
	"context"
	"fmt"

	"github.com/pltv/pltv/warehouse"
)

// skipUnlessRows returns a skipped Result, logged, when the stage's input table is missing or empty.
func (p *Pipeline) skipUnlessRows(ctx context.Context, stage, date string, in warehouse.Ref) (*Result, error) {
	info, err := p.WH.Table(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", stage, date, err)
	}
	if info.State == warehouse.HasRows {
		return nil, nil
	}
	reason := fmt.Sprintf("input %s is %s", in.Table, info.State)
	p.Log.InfoContext(ctx, "skipped", "stage", stage, "date", date, "reason", reason)
	return &Result{Stage: stage, Date: date, Skipped: reason}, nil
}

func (p *Pipeline) requireTable(ctx context.Context, t warehouse.Ref, what string) error {
	info, err := p.WH.Table(ctx, t)
	if err != nil {
		return err
	}
	if info.State == warehouse.Missing {
		return fmt.Errorf("%s: table %s is missing", what, t)
	}
	return nil
}

func derefResult(r *Result) Result {
	if r == nil {
		return Result{}
	}
	return *r
}
