package pipeline_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/internal/testdata"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// openRuntime wires the embedded runtime on an in-memory DuckDB with the source files of the given days
// (YYYY-MM-DD prefixes of the Online Retail day files) loaded and the baseline model recorded.
func openRuntime(t *testing.T, cfg config.Config, h hooks.Hooks, days ...string) *local.Runtime {
	t.Helper()
	return openRuntimeLog(t, cfg, h, slog.New(slog.DiscardHandler), days...)
}

// openRuntimeLog is openRuntime with the given logger.
func openRuntimeLog(t *testing.T, cfg config.Config, h hooks.Hooks, log *slog.Logger, days ...string) *local.Runtime {
	t.Helper()
	src := testdata.OnlineRetail(t)
	wh, err := duckdb.Open("")
	if err != nil {
		t.Fatal(err)
	}
	rt, err := local.Open(context.Background(), cfg, local.Options{WH: wh, Hooks: h, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	dir := t.TempDir()
	for _, d := range days {
		matches, _ := filepath.Glob(filepath.Join(src, d+"*.csv"))
		for _, m := range matches {
			if err := os.Symlink(m, filepath.Join(dir, filepath.Base(m))); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := rt.Init(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	return rt
}

func run(t *testing.T, rt *local.Runtime, stages []string, from, to string) []pipeline.Result {
	t.Helper()
	dates, err := pipeline.Dates(from, to)
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.RunRange(context.Background(), rt.StageFuncs(), stages, dates, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func rows(results []pipeline.Result, stage string) map[string]int64 {
	out := map[string]int64{}
	for _, r := range results {
		if r.Stage == stage && r.Skipped == "" {
			out[r.Date] = r.Rows
		}
	}
	return out
}

// TestNewCustomersOnlineRetail runs extract → prepare → filter over December 2010 and the first week of 2011.
// The expected figures were computed straight from the CSV files, without the pipeline's SQL: invoices of a
// customer (lines with a CustomerID, not cancellations) on the data day, whose customer has no such invoice on
// any of the 365 days before.
func TestNewCustomersOnlineRetail(t *testing.T) {
	rt := openRuntime(t, config.Default(), nil, "2010-12", "2011-01-0")
	res := run(t, rt, []string{pipeline.StageExtract, pipeline.StagePrepare, pipeline.StageFilter}, "20101202", "20110109")
	want := map[string]int64{"20110105": 14, "20110106": 13, "20110107": 19, "20110108": 22}
	got := rows(res, pipeline.StageFilter)
	for d, n := range want {
		if got[d] != n {
			t.Errorf("new-customer rows of run date %s = %d, want %d", d, got[d], n)
		}
	}
	// The first data day has no past: every invoice is a new customer's.
	if p, f := rows(res, pipeline.StagePrepare)["20101202"], got["20101202"]; p == 0 || p != f {
		t.Errorf("20101202: prepared %d rows, new-customer rows %d; want equal and > 0", p, f)
	}
	// Data days without trading (2011-01-03, a Monday after the holidays) are skipped, not errors.
	for _, r := range res {
		if r.Date == "20110104" && r.Stage != pipeline.StageExtract && r.Skipped == "" {
			t.Errorf("%s 20110104 wrote %d rows; the extract was empty", r.Stage, r.Rows)
		}
	}
}

func TestStagesAreIdempotent(t *testing.T) {
	rt := openRuntime(t, config.Default(), nil, "2010-12-0")
	stages := []string{pipeline.StageExtract, pipeline.StagePrepare, pipeline.StageFilter}
	first := run(t, rt, stages, "20101202", "20101203")
	second := run(t, rt, stages, "20101202", "20101203")
	if diff := cmp.Diff(rowsByStage(first), rowsByStage(second)); diff != "" {
		t.Errorf("a re-run changed the row counts (-first +second):\n%s", diff)
	}
	info, err := rt.WH.Table(context.Background(), rt.Config.LTVDataset().Shard(pipeline.AllDailyTransactions, "20101202"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Rows != rowsByStage(first)["extract/20101202"] {
		t.Errorf("table has %d rows after two runs, the job said %d", info.Rows, rowsByStage(first)["extract/20101202"])
	}
}

func rowsByStage(rs []pipeline.Result) map[string]int64 {
	out := map[string]int64{}
	for _, r := range rs {
		out[r.Stage+"/"+r.Date] = r.Rows
	}
	return out
}

func TestPrepareSkipsMissingExtract(t *testing.T) {
	rt := openRuntime(t, config.Default(), nil, "2010-12-01")
	r, err := rt.Pipeline.Prepare(context.Background(), "20101215")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Skipped, "missing") {
		t.Errorf("prepare of a date never extracted: %+v, want skipped as missing", r)
	}
}

func TestPrepareNeedsAModel(t *testing.T) {
	rt := openRuntime(t, config.Default(), nil, "2010-12-01")
	ctx := context.Background()
	// The baseline is dated 20101130; a run date of 20101130 needs a model dated 20101129 or before.
	if _, err := rt.Pipeline.Extract(ctx, "20101202"); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.SelectModel(ctx, rt.WH, rt.Config.LTVDataset(), "20101130"); !errors.Is(err, pipeline.ErrNoModel) {
		t.Errorf("SelectModel before any model: %v, want ErrNoModel", err)
	}
	// A newer model without features: prepare names the missing table.
	err := pipeline.RecordModel(ctx, rt.WH, rt.Config.LTVDataset(), pipeline.Model{ExportDate: "20101201", ModelDate: "20101201", Name: "newer"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = rt.Pipeline.Prepare(ctx, "20101202")
	if err == nil || !strings.Contains(err.Error(), "training_data_features_20101201 is missing") {
		t.Errorf("prepare with a model lacking features: %v", err)
	}
}

func TestSelectModelRule(t *testing.T) {
	rt := openRuntime(t, config.Default(), nil, "2010-12-01")
	ctx := context.Background()
	ltv := rt.Config.LTVDataset()
	for _, m := range []pipeline.Model{
		{ExportDate: "20110101", ModelDate: "20110101", Name: "jan"},
		{ExportDate: "20110110", ModelDate: "20110110", Name: ""}, // not exported yet: no name
		{ExportDate: "20110201", ModelDate: "20110201", Name: "feb"},
	} {
		if err := pipeline.RecordModel(ctx, rt.WH, ltv, m); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ date, want string }{
		{"20101201", "baseline"},
		{"20110101", "baseline"}, // a model is used from the day after its date
		{"20110102", "jan"},
		{"20110115", "jan"}, // the unnamed model is skipped
		{"20110202", "feb"},
	}
	for _, tt := range tests {
		m, err := pipeline.SelectModel(ctx, rt.WH, ltv, tt.date)
		if err != nil {
			t.Fatal(err)
		}
		if m.Name != tt.want {
			t.Errorf("SelectModel(%s) = %s, want %s", tt.date, m.Name, tt.want)
		}
	}
}

func TestSQLErrorNamesTemplateAndLine(t *testing.T) {
	dir := t.TempDir()
	bad := "SELECT\n  clientId,\n  NO_SUCH_FUNCTION(orderId) AS x\nFROM {{shard \"prepared_daily_transactions\" .Date}}\n"
	if err := os.WriteFile(filepath.Join(dir, "new_customers.sql"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.HooksDir = dir
	rt := openRuntime(t, cfg, nil, "2010-12-01")
	ctx := context.Background()
	for _, stage := range []pipeline.StageFunc{rt.Pipeline.Extract, rt.Pipeline.Prepare} {
		if _, err := stage(ctx, "20101202"); err != nil {
			t.Fatal(err)
		}
	}
	_, err := rt.Pipeline.Filter(ctx, "20101202")
	if err == nil {
		t.Fatal("filter with a bad template: no error")
	}
	for _, want := range []string{filepath.Join(dir, "new_customers.sql"), "line 3", "NO_SUCH_FUNCTION"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	info, _ := rt.WH.Table(ctx, rt.Config.LTVDataset().Shard(pipeline.NewCustomersTransactions, "20101202"))
	if info.State != warehouse.Missing {
		t.Errorf("a failed filter left %s %s", info.Ref, info.State)
	}
}

// upperCountry is a customer's Go row hook: it rewrites the country column of every prepared row.
type upperCountry struct{ hooks.Base }

func (upperCountry) PrepareRows(_ context.Context, _ string, in warehouse.Batch) (warehouse.Batch, error) {
	i := in.Schema.Index("country")
	for _, r := range in.Rows {
		r[i] = strings.ToUpper(r[i].(string))
	}
	return in, nil
}

func TestRowPreparerHook(t *testing.T) {
	rt := openRuntime(t, config.Default(), upperCountry{}, "2010-12-01")
	ctx := context.Background()
	if _, err := rt.Pipeline.Extract(ctx, "20101202"); err != nil {
		t.Fatal(err)
	}
	r, err := rt.Pipeline.Prepare(ctx, "20101202")
	if err != nil {
		t.Fatal(err)
	}
	countries := map[string]bool{}
	err = rt.WH.Read(ctx, warehouse.ReadRequest{Table: &r.Table}, func(b warehouse.Batch) error {
		for _, row := range b.Rows {
			countries[row[b.Schema.Index("country")].(string)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !countries["UNITED KINGDOM"] || countries["United Kingdom"] {
		t.Errorf("countries after the row hook: %v", countries)
	}
	tables, _ := rt.WH.Tables(ctx, rt.Config.LTVDataset(), pipeline.PreparedDailyTransactions)
	if len(tables) != 1 {
		t.Errorf("prepare with a row hook left %d tables, want only the prepared one: %v", len(tables), tables)
	}
}
