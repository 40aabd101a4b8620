package pipeline

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/pltv/pltv/model"
)

// Predict runs the online prediction of a whole date, as the daily workflow does but in one process: it deploys
// the model the metadata table selects if needed, predicts every batch (PREDICT_BATCH_CONCURRENCY at a time),
// swaps the batches into predictions_D and runs the completion hook. The model stays deployed: stopping it is the stopper's job.
func (p *Pipeline) Predict(ctx context.Context, date string) (Result, error) {
	plan, err := p.PlanPredictions(ctx, date)
	if err != nil {
		return Result{}, err
	}
	if plan.Batches > 0 {
		if err := p.deploy(ctx, date); err != nil {
			return Result{}, fmt.Errorf("predict %s: %w", date, err)
		}
	}
	if err := p.predictBatches(ctx, date, plan.Batches); err != nil {
		return Result{}, err
	}
	res, err := p.FinishPredictions(ctx, date, plan.Batches)
	if err != nil {
		return res, err
	}
	_, err = p.Complete(ctx, date)
	return res, err
}

func (p *Pipeline) deploy(ctx context.Context, date string) error {
	if p.Predictor == nil || p.Predictor.Models == nil {
		return fmt.Errorf("no model is wired")
	}
	sel, err := SelectModel(ctx, p.WH, p.ltv(), date)
	if err != nil {
		return err
	}
	m, err := p.Predictor.Models.Open(ctx, sel)
	if err != nil {
		return err
	}
	return model.DeployAndWait(ctx, m, p.Predictor.Wait)
}

func (p *Pipeline) predictBatches(ctx context.Context, date string, batches int) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(cmpOr(p.Predictor.BatchConcurrency, 1))
	for b := range batches {
		g.Go(func() error {
			_, err := p.PredictBatch(ctx, date, b)
			return err
		})
	}
	return g.Wait()
}
