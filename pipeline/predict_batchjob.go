package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/warehouse"
)

// BatchModeStatus is where a date's batch prediction stands, as the daily workflow polls it.
type BatchModeStatus struct {
	Job    string // the batch prediction job; empty when none runs (nothing to predict, or a driver that predicts at once)
	Done   bool   // the predictions are in predictions_D (or there was nothing to predict)
	Result Result // when done
}

// StartBatchMode starts the date's batch prediction job and returns without waiting for it (MODEL_MODE
// batch from the daily workflow, which polls CheckBatchMode). A retried start finds the job already started
// for the date (model.BatchStarter). A driver without long-running jobs predicts at once, and the answer
// is done. The completion hook is not run: the workflow runs it once, after.
func (p *Pipeline) StartBatchMode(ctx context.Context, date string) (BatchModeStatus, error) {
	st, err := p.startBatchMode(ctx, date)
	if err != nil {
		return st, fmt.Errorf("batch predict %s: start: %w", date, err)
	}
	return st, nil
}

func (p *Pipeline) startBatchMode(ctx context.Context, date string) (BatchModeStatus, error) {
	if _, err := ParseDate(date); err != nil {
		return BatchModeStatus{}, err
	}
	src := p.ltv().Shard(NewCustomersTransactions, date)
	if skip, err := p.skipUnlessRows(ctx, StagePredict, date, src); skip != nil || err != nil {
		return BatchModeStatus{Done: skip != nil, Result: derefResult(skip)}, err
	}
	m, err := p.batchModel(ctx, date)
	if err != nil {
		return BatchModeStatus{}, err
	}
	job := model.BatchJob{Source: src, Destination: p.ltv(), Labels: p.labels(StagePredict, date)}
	starter, ok := m.(model.BatchStarter)
	if !ok {
		out, err := m.BatchPredict(ctx, job)
		if err != nil {
			return BatchModeStatus{}, err
		}
		res, err := p.finishBatchMode(ctx, date, out.Predictions)
		return BatchModeStatus{Done: err == nil, Result: res}, err
	}
	name, err := starter.StartBatch(ctx, job)
	if err != nil {
		return BatchModeStatus{}, err
	}
	p.Log.InfoContext(ctx, "batch prediction started", "stage", StagePredict, "date", date, "job", name)
	return BatchModeStatus{Job: name}, nil
}

// CheckBatchMode reads the date's batch prediction job; once it has succeeded, it post-processes its output
// into predictions_D (as PredictBatchMode does) and answers done. A check retried after that answers done
// again. A failed job is a permanent error: the workflow's next run starts a new one.
func (p *Pipeline) CheckBatchMode(ctx context.Context, date, job string) (BatchModeStatus, error) {
	st, err := p.checkBatchMode(ctx, date, job)
	if err != nil {
		return st, fmt.Errorf("batch predict %s: check %s: %w", date, job, err)
	}
	return st, nil
}

func (p *Pipeline) checkBatchMode(ctx context.Context, date, job string) (BatchModeStatus, error) {
	if _, err := ParseDate(date); err != nil {
		return BatchModeStatus{}, err
	}
	m, err := p.batchModel(ctx, date)
	if err != nil {
		return BatchModeStatus{}, err
	}
	starter, ok := m.(model.BatchStarter)
	if !ok {
		return BatchModeStatus{}, ErrNoBatchJobs
	}
	st, err := starter.BatchStatus(ctx, job)
	if err != nil {
		return BatchModeStatus{}, err
	}
	switch st.State {
	case model.BatchRunning:
		return BatchModeStatus{Job: job}, nil
	case model.BatchFailed:
		return BatchModeStatus{Job: job}, fmt.Errorf("%w: %s", ErrBatchJobFailed, st.Reason)
	}
	res, err := p.finishBatchMode(ctx, date, st.Result.Predictions)
	return BatchModeStatus{Job: job, Done: err == nil, Result: res}, err
}

// Errors of CheckBatchMode.
var (
	ErrBatchJobFailed = errors.New("the batch prediction job failed")
	ErrNoBatchJobs    = errors.New("the model driver runs no batch prediction jobs to check")
)

func (p *Pipeline) batchModel(ctx context.Context, date string) (model.Model, error) {
	if p.Predictor == nil || p.Predictor.Models == nil {
		return nil, errors.New("no model is wired")
	}
	sel, err := SelectModel(ctx, p.WH, p.ltv(), date)
	if err != nil {
		return nil, err
	}
	return p.Predictor.Models.Open(ctx, sel)
}

// finishBatchMode post-processes a batch prediction's output into predictions_D and drops the output. An
// output already dropped by a finish whose answer was lost is found finished.
func (p *Pipeline) finishBatchMode(ctx context.Context, date string, output warehouse.Ref) (Result, error) {
	info, err := p.WH.Table(ctx, output)
	if err != nil {
		return Result{}, err
	}
	if info.State == warehouse.Missing {
		if done, err := p.finished(ctx, date); done || err != nil {
			dest := p.ltv().Shard(Predictions, date)
			info, ierr := p.WH.Table(ctx, dest)
			p.Log.InfoContext(ctx, "batch predictions already finished", "stage", StagePredict, "date", date, "rows", info.Rows)
			return Result{Stage: StagePredict, Date: date, Table: dest, Rows: info.Rows}, errors.Join(err, ierr)
		}
		return Result{}, fmt.Errorf("the batch prediction output %s is missing", output)
	}
	if err := p.postProcess(ctx, date, output); err != nil {
		return Result{}, err
	}
	res, err := p.FinishPredictions(ctx, date, 1)
	if err != nil {
		return res, err
	}
	return res, p.WH.Drop(ctx, output)
}
