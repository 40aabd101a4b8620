package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// fakeModel predicts basket_value × 2, refuses orders listed in refuse, and fails with a retryable error the
// first transient calls.
type fakeModel struct {
	mu        sync.Mutex
	deployed  bool
	refuse    map[string]bool
	transient int
	calls     int
	failAfter int // fail every call after this many (0: never), as a model that dies half-way
}

func (m *fakeModel) Deploy(context.Context) error {
	m.mu.Lock()
	m.deployed = true
	m.mu.Unlock()
	return nil
}
func (m *fakeModel) State(context.Context) (model.Status, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.deployed {
		return model.Status{State: model.Deployed}, nil
	}
	return model.Status{State: model.Undeployed}, nil
}
func (m *fakeModel) Undeploy(context.Context) error { return nil }
func (m *fakeModel) Close() error                   { return nil }
func (m *fakeModel) BatchPredict(context.Context, model.BatchJob) (model.BatchResult, error) {
	return model.BatchResult{}, model.ErrUnsupported
}

func (m *fakeModel) Predict(_ context.Context, in model.Instances) ([]model.Prediction, error) {
	m.mu.Lock()
	m.calls++
	calls := m.calls
	if m.transient > 0 {
		m.transient--
		m.mu.Unlock()
		return nil, model.Retryable(errors.New("503 unavailable"))
	}
	m.mu.Unlock()
	if m.failAfter > 0 && calls > m.failAfter {
		return nil, errors.New("connection reset")
	}
	order, value := in.Schema.Index("orderId"), in.Schema.Index("basket_value")
	var bad []*model.RowError
	out := make([]model.Prediction, len(in.Rows))
	for i, r := range in.Rows {
		if m.refuse[r[order].(string)] {
			bad = append(bad, model.RowErrorf(i, "feature basket_value: out of range"))
			continue
		}
		out[i] = model.Prediction{Value: r[value].(float64) * 2, Fields: map[string]any{"p_return": 0.5}}
	}
	if len(bad) > 0 {
		return nil, model.JoinRowErrors(bad)
	}
	return out, nil
}

type oneModel struct{ m model.Model }

func (o oneModel) Open(context.Context, pipeline.Model) (model.Model, error) { return o.m, nil }

type recordingTracker struct {
	mu       sync.Mutex
	started  []string
	finished map[string]error
	traces   map[string]tracking.TraceStatus
}

func (t *recordingTracker) StartPrediction(_ context.Context, id, _ string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.started = append(t.started, id)
	return nil
}
func (t *recordingTracker) FinishPrediction(_ context.Context, id string, failure error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.finished == nil {
		t.finished = map[string]error{}
	}
	t.finished[id] = failure
	return nil
}
func (t *recordingTracker) TraceRows(_ context.Context, _ string, rows []tracking.RowTrace) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.traces == nil {
		t.traces = map[string]tracking.TraceStatus{}
	}
	for _, r := range rows {
		t.traces[r.RowID] = r.Status
	}
	return nil
}

const day = "20110301"

// predictRuntime opens an in-memory runtime with n new-customer rows for day, batches of batchSize rows, and
// the fake model.
func predictRuntime(t *testing.T, h hooks.Hooks, m model.Model, n, batchSize int) (*local.Runtime, *recordingTracker) {
	t.Helper()
	wh, err := duckdb.Open("")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.MaxPredictionBatchSize = batchSize
	rt, err := local.Open(context.Background(), cfg, local.Options{WH: wh, Hooks: h, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	ctx := context.Background()
	ltv := cfg.LTVDataset()
	schema := warehouse.Schema{{Name: "clientId", Type: warehouse.String}, {Name: "orderId", Type: warehouse.String},
		{Name: "gclid", Type: warehouse.String}, {Name: "date", Type: warehouse.String}, {Name: "basket_value", Type: warehouse.Float}}
	rows := make([]warehouse.Row, n)
	for i := range rows {
		rows[i] = warehouse.Row{fmt.Sprint(1000 + i), fmt.Sprintf("o%04d", i), "", day, float64(i)}
	}
	if err := wh.Insert(ctx, ltv.Shard(pipeline.NewCustomersTransactions, day), schema, rows); err != nil {
		t.Fatal(err)
	}
	if err := pipeline.RecordModel(ctx, wh, ltv, pipeline.Model{ExportDate: "20110201", ModelDate: "20110201", Name: "fake"}); err != nil {
		t.Fatal(err)
	}
	tr := &recordingTracker{}
	rt.Pipeline.Predictor = &pipeline.Predictor{
		Models: oneModel{m}, Tracker: tr, Concurrency: 3, RowsPerRequest: 4, BatchConcurrency: 2,
		Retry: pipeline.Backoff{Sleep: func(context.Context, time.Duration) error { return nil }},
	}
	return rt, tr
}

func readPredictions(t *testing.T, rt *local.Runtime, table string) map[string]float64 {
	t.Helper()
	ref := rt.Config.LTVDataset().Shard(table, day)
	out := map[string]float64{}
	err := rt.WH.Read(context.Background(), warehouse.ReadRequest{Table: &ref}, func(b warehouse.Batch) error {
		for _, r := range b.Rows {
			if i := b.Schema.Index("conversionValue"); i >= 0 {
				out[r[b.Schema.Index("orderId")].(string)] = r[i].(float64)
			} else {
				out[r[b.Schema.Index("orderId")].(string)] = -1
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPredictOnline(t *testing.T) {
	m := &fakeModel{refuse: map[string]bool{"o0007": true}, transient: 2}
	rt, tr := predictRuntime(t, nil, m, 23, 10)
	ctx := context.Background()
	plan, err := rt.Pipeline.PlanPredictions(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Batches != 3 || plan.Rows != 23 {
		t.Fatalf("plan %+v, want 23 rows in 3 batches", plan)
	}
	res, err := rt.Pipeline.Predict(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 22 {
		t.Errorf("predictions_%s has %d rows, want 22 (23 less the refused one)", day, res.Rows)
	}
	got := readPredictions(t, rt, pipeline.Predictions)
	if got["o0010"] != 20 || got["o0000"] != 0 {
		t.Errorf("conversion values: o0010=%v o0000=%v, want 20 and 0", got["o0010"], got["o0000"])
	}
	if _, ok := got["o0007"]; ok {
		t.Error("the refused row was written to predictions")
	}
	if diff := cmp.Diff(map[string]float64{"o0007": -1}, readPredictions(t, rt, pipeline.ErrorsTable)); diff != "" {
		t.Errorf("errors table (-want +got):\n%s", diff)
	}
	if tr.traces["o0007"] != tracking.TraceFailed || tr.traces["o0003"] != tracking.TracePredicted || len(tr.traces) != 23 {
		t.Errorf("traces: %d rows, o0007=%s o0003=%s", len(tr.traces), tr.traces["o0007"], tr.traces["o0003"])
	}
	if len(tr.started) != 3 || len(tr.finished) != 3 {
		t.Errorf("tracked %d starts and %d finishes, want 3 each", len(tr.started), len(tr.finished))
	}
	tables, _ := rt.WH.Tables(ctx, rt.Config.LTVDataset(), pipeline.Predictions+"_"+day+"__")
	if len(tables) != 0 {
		t.Errorf("staged batches left behind: %v", tables)
	}

	// The finish step retried after its answer was lost finds its own tables and changes nothing.
	plan, perr := rt.Pipeline.PlanPredictions(ctx, day)
	if perr != nil {
		t.Fatal(perr)
	}
	if again, err := rt.Pipeline.FinishPredictions(ctx, day, plan.Batches); err != nil || again.Rows != 22 {
		t.Errorf("finish again: %d rows, %v; want the 22 rows it wrote", again.Rows, err)
	}
	if n := len(readPredictions(t, rt, pipeline.Predictions)); n != 22 {
		t.Errorf("after a second finish predictions hold %d orders, want 22", n)
	}

	// A re-run replaces the date's predictions.
	if res, err = rt.Pipeline.Predict(ctx, day); err != nil || res.Rows != 22 {
		t.Errorf("re-run: %d rows, %v; want 22 rows", res.Rows, err)
	}
}

func TestPredictDyingHalfWayLeavesNoPartialTable(t *testing.T) {
	m := &fakeModel{failAfter: 4}
	rt, _ := predictRuntime(t, nil, m, 40, 10)
	_, err := rt.Pipeline.Predict(context.Background(), day)
	if err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Fatalf("Predict: %v, want the model's failure", err)
	}
	info, _ := rt.WH.Table(context.Background(), rt.Config.LTVDataset().Shard(pipeline.Predictions, day))
	if info.State != warehouse.Missing {
		t.Errorf("predictions_%s is %s after a failed run, want missing", day, info.State)
	}
	_, err = rt.Pipeline.FinishPredictions(context.Background(), day, 4)
	if err == nil || !strings.Contains(err.Error(), "have not been predicted") {
		t.Errorf("FinishPredictions with batches missing: %v", err)
	}
}

// badSchema declares a schema the rows do not follow.
type badSchema struct{ hooks.Base }

func (badSchema) PredictionsSchema() warehouse.Schema {
	return append(hooks.DefaultPredictionsSchema(), warehouse.Field{Name: "margin", Type: warehouse.Float, Mode: warehouse.Required})
}

func TestPredictSchemaHookMismatchWritesNothing(t *testing.T) {
	rt, _ := predictRuntime(t, badSchema{}, &fakeModel{}, 5, 10)
	_, err := rt.Pipeline.Predict(context.Background(), day)
	if err == nil || !strings.Contains(err.Error(), "does not fit the predictions schema hook") {
		t.Fatalf("Predict: %v", err)
	}
	tables, _ := rt.WH.Tables(context.Background(), rt.Config.LTVDataset(), pipeline.Predictions)
	if len(tables) != 0 {
		t.Errorf("tables written despite the schema mismatch: %v", tables)
	}
}

func TestPredictRetryGivesUp(t *testing.T) {
	rt, _ := predictRuntime(t, nil, &fakeModel{transient: 100}, 5, 10)
	_, err := rt.Pipeline.Predict(context.Background(), day)
	if err == nil || !model.IsRetryable(err) || !strings.Contains(err.Error(), "after 6 attempts") {
		t.Fatalf("Predict against a model that stays unavailable: %v", err)
	}
}
