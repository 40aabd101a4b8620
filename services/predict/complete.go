package predict

import (
	"context"
	"fmt"

	"github.com/pltv/pltv/internal/tablesum"
	"github.com/pltv/pltv/services"
)

// completeSource is the ledger source of completions.
const completeSource = "complete"

// complete runs the completion hook of date once for each content of its predictions: a second daily
// workflow for a date already completed (a queued task of a killed process, a workflow retried after its
// completion) finds the same predictions and answers without running the hook again, so that an upload
// the hook starts is not made twice. Predictions computed again with other values complete again.
func (s *Service) complete(ctx context.Context, date string) (CompleteAnswer, error) {
	c, err := s.p.Completion(ctx, date)
	answer := CompleteAnswer{Date: c.Date, Table: c.Predictions.String(), Rows: c.Rows, Errors: c.Errors}
	if err != nil || s.ledger == nil {
		if err == nil {
			err = s.p.RunCompletion(ctx, c)
		}
		return answer, err
	}
	key := date + " empty"
	if c.Rows > 0 {
		sum, err := tablesum.Table(ctx, s.p.WH, c.Predictions)
		if err != nil {
			return answer, fmt.Errorf("complete %s: %w", date, err)
		}
		key = fmt.Sprintf("%s %d:%s", date, sum.Rows, sum.Checksum)
	}
	key = fmt.Sprintf("%s errors:%d", key, c.Errors)
	ran, err := services.Once(ctx, s.ledger, completeSource, key, func() error { return s.p.RunCompletion(ctx, c) })
	if err == nil && !ran {
		s.log.InfoContext(ctx, "already completed with these predictions: the completion hook does not run again",
			"date", date, "rows", c.Rows)
	}
	return answer, err
}
