package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/warehouse"
)

// Models opens the model the metadata table selected; the embedded runtime and the cloud wire their own.
type Models interface {
	Open(ctx context.Context, m Model) (model.Model, error)
}

// PredictTracker is what the predict stage reports: predictions in flight (read by the model stopper) and a
// per-row trace for the forensics of a failed run. *tracking.Tracker implements it.
type PredictTracker interface {
	StartPrediction(ctx context.Context, id, date string) error
	FinishPrediction(ctx context.Context, id string, failure error) error
	TraceRows(ctx context.Context, table string, rows []tracking.RowTrace) error
}

// Predictor holds what the predict stages need besides the warehouse.
type Predictor struct {
	Models           Models
	Tracker          PredictTracker // nil: nothing is tracked
	Concurrency      int            // model requests in flight per batch (PREDICT_CONCURRENCY)
	RowsPerRequest   int            // rows per model request; 0 means 100
	BatchConcurrency int            // batches predicted at a time by Predict (PREDICT_BATCH_CONCURRENCY)
	Retry            Backoff
	Wait             model.WaitOptions // how Predict waits for a deployment
}

// Plan says how a date's prediction splits into batches.
type Plan struct {
	Date    string `json:"date"`
	Rows    int64  `json:"rows"`
	Batches int    `json:"batches"`
	Model   string `json:"model,omitempty"`
}

// PlanPredictions counts the new-customer rows of a date and the batches of MAX_PREDICTION_BATCH_SIZE they
// make. A date without new customers has no batches.
func (p *Pipeline) PlanPredictions(ctx context.Context, date string) (Plan, error) {
	if _, err := ParseDate(date); err != nil {
		return Plan{}, fmt.Errorf("predict: %w", err)
	}
	info, err := p.WH.Table(ctx, p.ltv().Shard(NewCustomersTransactions, date))
	if err != nil {
		return Plan{}, fmt.Errorf("predict %s: %w", date, err)
	}
	plan := Plan{Date: date, Rows: info.Rows}
	if size := int64(max(p.Settings.BatchSize, 1)); info.Rows > 0 {
		plan.Batches = int((info.Rows + size - 1) / size)
	}
	return plan, nil
}

// BatchResult says what one prediction batch wrote.
type BatchResult struct {
	Date      string `json:"date"`
	Batch     int    `json:"batch"`
	Rows      int    `json:"rows"`
	Predicted int    `json:"predicted"`
	Failed    int    `json:"failed"`
}

// PredictBatch predicts batch number batch (from 0) of a date's new customers with the model the metadata
// table selects, and stages its rows in predictions_D__batch_NNNNN (and the refused rows in
// prediction_errors_D__batch_NNNNN), replacing an earlier attempt of the same batch. FinishPredictions then
// swaps the staged batches into predictions_D.
func (p *Pipeline) PredictBatch(ctx context.Context, date string, batch int) (BatchResult, error) {
	res, err := p.predictBatch(ctx, date, batch)
	if err != nil {
		return res, fmt.Errorf("predict %s batch %d: %w", date, batch, err)
	}
	return res, nil
}

func (p *Pipeline) predictBatch(ctx context.Context, date string, batch int) (res BatchResult, err error) {
	res = BatchResult{Date: date, Batch: batch}
	if _, err := ParseDate(date); err != nil {
		return res, err
	}
	if batch < 0 {
		return res, fmt.Errorf("batch %d: want 0 or more", batch)
	}
	if p.Predictor == nil || p.Predictor.Models == nil {
		return res, errors.New("no model is wired")
	}
	sel, err := SelectModel(ctx, p.WH, p.ltv(), date)
	if err != nil {
		return res, err
	}
	m, err := p.Predictor.Models.Open(ctx, sel)
	if err != nil {
		return res, err
	}
	in, err := p.readBatch(ctx, date, batch)
	if err != nil {
		return res, err
	}
	res.Rows = len(in.Rows)
	id := fmt.Sprintf("%s-%05d", date, batch)
	if err := p.track(func(t PredictTracker) error { return t.StartPrediction(ctx, id, date) }); err != nil {
		return res, err
	}
	defer func() {
		if terr := p.track(func(t PredictTracker) error { return t.FinishPrediction(ctx, id, err) }); terr != nil && err == nil {
			err = terr
		}
	}()
	pr := p.Predictor
	s, err := score(ctx, m, in, cmpOr(pr.RowsPerRequest, 100), cmpOr(pr.Concurrency, 1), pr.Retry)
	if errors.Is(err, model.ErrNotDeployed) {
		// Another date's idle stop took the model down after this date deployed it: ask for it again, so
		// that the caller's retry finds it back.
		if derr := m.Deploy(ctx); derr != nil && !model.IsRetryable(derr) {
			return res, fmt.Errorf("%w (redeploy: %w)", err, derr)
		}
	}
	if err != nil {
		return res, err
	}
	rows, failed, err := p.predictionRows(ctx, date, batch, in, s)
	if err != nil {
		return res, err
	}
	res.Predicted, res.Failed = len(rows), len(failed)
	if err := p.stageBatch(ctx, p.batchTable(Predictions, date, batch), p.Hooks.PredictionsSchema(), rows); err != nil {
		return res, err
	}
	if err := p.stageBatch(ctx, p.batchTable(ErrorsTable, date, batch), ErrorsSchema(), failed); err != nil {
		return res, err
	}
	if err := p.traceRows(ctx, date, in, s); err != nil {
		return res, err
	}
	p.Log.InfoContext(ctx, "predicted batch", "stage", StagePredict, "date", date, "batch", batch,
		"rows", res.Rows, "failed", res.Failed, "model", sel.Name)
	return res, nil
}

// readBatch reads one batch through the batch query hook.
func (p *Pipeline) readBatch(ctx context.Context, date string, batch int) (warehouse.Batch, error) {
	v := p.vars(date)
	v.BatchOffset = batch * max(p.Settings.BatchSize, 1)
	q, err := p.SQL.Render(hooks.BatchQuery, v)
	if err != nil {
		return warehouse.Batch{}, err
	}
	var in warehouse.Batch
	err = p.WH.Read(ctx, warehouse.ReadRequest{SQL: q.Text, BatchSize: max(p.Settings.BatchSize, 1)}, func(b warehouse.Batch) error {
		in.Schema = b.Schema
		in.Rows = append(in.Rows, b.Rows...)
		return nil
	})
	if err != nil {
		return in, templateError(q, err)
	}
	return in, nil
}

// stageBatch replaces a batch's staging table with rows; with no rows it leaves none.
func (p *Pipeline) stageBatch(ctx context.Context, t warehouse.Ref, schema warehouse.Schema, rows []warehouse.Row) error {
	if err := p.WH.Drop(ctx, t); err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	return p.WH.Insert(ctx, t, schema, rows)
}

func (p *Pipeline) batchTable(name, date string, batch int) warehouse.Ref {
	return p.ltv().Table(fmt.Sprintf("%s_%s__batch_%05d", name, date, batch))
}

func (p *Pipeline) track(fn func(PredictTracker) error) error {
	if p.Predictor == nil || p.Predictor.Tracker == nil {
		return nil
	}
	return fn(p.Predictor.Tracker)
}

// traceRows records every row's outcome, keyed by orderId, in the unitary prediction tracking collection.
func (p *Pipeline) traceRows(ctx context.Context, date string, in warehouse.Batch, s []scored) error {
	col := in.Schema.Index("orderId")
	if col < 0 {
		return nil
	}
	traces := make([]tracking.RowTrace, len(s))
	for i, sc := range s {
		traces[i] = tracking.RowTrace{RowID: str(in.Rows[i][col]), Status: tracking.TracePredicted}
		if sc.reason != nil {
			traces[i].Status, traces[i].Error = tracking.TraceFailed, sc.reason.Error()
		}
	}
	table := p.ltv().Shard(Predictions, date).String()
	return p.track(func(t PredictTracker) error { return t.TraceRows(ctx, table, traces) })
}

// FinishPredictions swaps the staged batches of a date into predictions_D and prediction_errors_D in one job
// each, then drops the staged batches. It refuses to swap while a batch of the
// plan is missing, so predictions_D never holds part of a date.
func (p *Pipeline) FinishPredictions(ctx context.Context, date string, batches int) (Result, error) {
	res, err := p.finishPredictions(ctx, date, batches)
	if err != nil {
		return res, fmt.Errorf("finish predictions %s: %w", date, err)
	}
	return res, nil
}

func (p *Pipeline) finishPredictions(ctx context.Context, date string, batches int) (Result, error) {
	if _, err := ParseDate(date); err != nil {
		return Result{}, err
	}
	dest := p.ltv().Shard(Predictions, date)
	res := Result{Stage: StagePredict, Date: date, Table: dest}
	staged, err := p.WH.Tables(ctx, p.ltv(), Predictions+"_"+date+"__batch_")
	if err != nil {
		return res, err
	}
	errs, err := p.WH.Tables(ctx, p.ltv(), ErrorsTable+"_"+date+"__batch_")
	if err != nil {
		return res, err
	}
	staged, stale := inPlan(staged, batches)
	errs, staleErrs := inPlan(errs, batches)
	if err := p.dropAll(ctx, stale, staleErrs); err != nil {
		return res, err
	}
	if batches > 0 && len(staged) == 0 && len(errs) == 0 {
		// Nothing staged for a plan with batches: this finish ran before (its answer was lost and the workflow
		// retried), swapping the batches in and dropping them. The tables it wrote are the result.
		if written, err := p.finished(ctx, date); written || err != nil {
			info, ierr := p.WH.Table(ctx, dest)
			res.Rows = info.Rows
			p.Log.InfoContext(ctx, "predictions already finished", "stage", StagePredict, "date", date, "rows", res.Rows)
			return res, errors.Join(err, ierr)
		}
	}
	if missing := missingBatches(staged, errs, batches); len(missing) > 0 {
		return res, fmt.Errorf("batches %v of %d have not been predicted", missing, batches)
	}
	failed, err := p.swap(ctx, errs, p.ltv().Shard(ErrorsTable, date), date)
	if err != nil {
		return res, err
	}
	if len(staged) == 0 {
		res.Skipped = "no new customers to predict"
		if failed > 0 {
			res.Skipped = fmt.Sprintf("the model refused all %d rows", failed)
		}
		p.Log.InfoContext(ctx, "skipped", "stage", StagePredict, "date", date, "reason", res.Skipped)
		if err := p.WH.Drop(ctx, dest); err != nil {
			return res, err
		}
		return res, p.dropAll(ctx, staged, errs)
	}
	n, err := p.swap(ctx, staged, dest, date)
	if err != nil {
		return res, err
	}
	res.Rows = n
	if err := p.dropAll(ctx, staged, errs); err != nil {
		return res, err
	}
	p.Log.InfoContext(ctx, "predicted", "stage", StagePredict, "date", date, "table", dest.String(), "rows", res.Rows, "failed", failed)
	return res, nil
}

// Complete runs the completion hook for a date whose predictions are written (e.g. to start an upload). A date
// without predictions completes with zero rows.
func (p *Pipeline) Complete(ctx context.Context, date string) (hooks.Completion, error) {
	c, err := p.Completion(ctx, date)
	if err != nil {
		return c, err
	}
	return c, p.RunCompletion(ctx, c)
}

// Completion describes what the completion hook of date would be given: its predictions and errors tables
// and their rows.
func (p *Pipeline) Completion(ctx context.Context, date string) (hooks.Completion, error) {
	if _, err := ParseDate(date); err != nil {
		return hooks.Completion{Date: date}, fmt.Errorf("complete: %w", err)
	}
	c := hooks.Completion{Date: date, Predictions: p.ltv().Shard(Predictions, date)}
	for _, t := range []struct {
		ref warehouse.Ref
		n   *int64
	}{{c.Predictions, &c.Rows}, {p.ltv().Shard(ErrorsTable, date), &c.Errors}} {
		info, err := p.WH.Table(ctx, t.ref)
		if err != nil {
			return c, fmt.Errorf("complete %s: %w", date, err)
		}
		*t.n = info.Rows
	}
	return c, nil
}

// RunCompletion runs the completion hook with c.
func (p *Pipeline) RunCompletion(ctx context.Context, c hooks.Completion) error {
	if err := p.Hooks.OnCompletion(ctx, c); err != nil {
		return fmt.Errorf("complete %s: completion hook: %w", c.Date, err)
	}
	p.Log.InfoContext(ctx, "completed", "stage", StagePredict, "date", c.Date, "rows", c.Rows, "errors", c.Errors)
	return nil
}

// swap replaces dest with the union of the staged tables, or drops it when there are none, and returns its rows.
func (p *Pipeline) swap(ctx context.Context, staged []warehouse.TableInfo, dest warehouse.Ref, date string) (int64, error) {
	if len(staged) == 0 {
		return 0, p.WH.Drop(ctx, dest)
	}
	job, err := p.WH.Query(ctx, warehouse.QueryJob{
		SQL: unionAll(staged), Destination: &dest, Write: warehouse.WriteTruncate, Labels: p.labels(StagePredict, date),
	})
	return job.Rows, err
}

// finished says whether a finish step of date wrote its tables: predictions_D or prediction_errors_D exists.
func (p *Pipeline) finished(ctx context.Context, date string) (bool, error) {
	for _, t := range []warehouse.Ref{p.ltv().Shard(Predictions, date), p.ltv().Shard(ErrorsTable, date)} {
		info, err := p.WH.Table(ctx, t)
		if err != nil || info.State != warehouse.Missing {
			return err == nil, err
		}
	}
	return false, nil
}

// missingBatches lists the batches of 0..batches-1 with neither staged predictions nor staged errors.
func missingBatches(staged, errs []warehouse.TableInfo, batches int) []int {
	have := map[string]bool{}
	for _, list := range [][]warehouse.TableInfo{staged, errs} {
		for _, t := range list {
			_, n, _ := strings.Cut(t.Ref.Table, "__batch_")
			have[n] = true
		}
	}
	var missing []int
	for b := range batches {
		if !have[fmt.Sprintf("%05d", b)] {
			missing = append(missing, b)
		}
	}
	return missing
}

// inPlan splits staged batch tables into those of batches 0..batches-1 and those left by an earlier plan.
func inPlan(tables []warehouse.TableInfo, batches int) (in, stale []warehouse.TableInfo) {
	for _, t := range tables {
		_, n, _ := strings.Cut(t.Ref.Table, "__batch_")
		if b, err := strconv.Atoi(n); err == nil && b < batches {
			in = append(in, t)
		} else {
			stale = append(stale, t)
		}
	}
	return in, stale
}

func unionAll(tables []warehouse.TableInfo) string {
	refs := make([]string, len(tables))
	for i, t := range tables {
		refs[i] = t.Ref.SQL()
	}
	sort.Strings(refs)
	return "SELECT * FROM " + strings.Join(refs, "\nUNION ALL\nSELECT * FROM ")
}

func (p *Pipeline) dropAll(ctx context.Context, lists ...[]warehouse.TableInfo) error {
	for _, l := range lists {
		for _, t := range l {
			if err := p.WH.Drop(ctx, t.Ref); err != nil {
				return err
			}
		}
	}
	return nil
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
