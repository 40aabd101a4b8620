package training_test

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/training"
	"github.com/pltv/pltv/warehouse"
)

// trainable is a hand-made warehouse of 30 run dates, 20110101..20110130, of 8 new customers each, with
// no tables for 20110110..20110112, and the baseline model of 20101231.
func trainable(t *testing.T) *handMade {
	h := newHandMade(t)
	all := dates(t, "20110101", "20110130")
	var kept []string
	for _, d := range all {
		if d < "20110110" || d > "20110112" {
			kept = append(kept, d)
		}
	}
	h.addSales(t, kept, synthSales(kept, 8, 1))
	h.addBaseline(t, "20110101", "United Kingdom,country", "France,country", "Spain,country", "85123A,product", "22423,product")
	return h
}

func TestTrain(t *testing.T) {
	ctx := context.Background()
	h := trainable(t)
	res, err := training.Train(ctx, h.env, training.Options{ModelDate: "20110125", HorizonDays: 2, Fit: testFit})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^ltv-20110125-[0-9a-f]{8}$`).MatchString(res.Name) {
		t.Errorf("model name %q, want ltv-20110125-<8 hex digits>", res.Name)
	}
	// The source's first day is 20101231 (run date 20110101 with the one-day lag): the window starts there.
	wantWindow := local.Window{From: "20101231", ModelDate: "20110125", CohortFrom: "20110101", CohortTo: "20110123", HorizonDays: 2}
	if diff := cmp.Diff(wantWindow, res.Window); diff != "" {
		t.Errorf("window (-want +got):\n%s", diff)
	}
	// The pipeline ran for the dates without tables only.
	if diff := cmp.Diff([]string{"20101231", "20110110", "20110111", "20110112"}, h.ranDates(pipeline.StageFilter)); diff != "" {
		t.Errorf("filter ran for (-want +got):\n%s", diff)
	}
	f, err := local.Load(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != res.Name || f.Window != wantWindow || !strings.Contains(f.Label, "2 run dates after the first purchase") {
		t.Errorf("model file: name %s, window %+v, label %q", f.Name, f.Window, f.Label)
	}
	// In this world France returns and the United Kingdom does not: the model knows it.
	if res.Metrics.Model.AUC < 0.95 || res.Metrics.Rows != 8*20 {
		t.Errorf("training metrics: AUC %.3f on %d rows, want > 0.95 on 160", res.Metrics.Model.AUC, res.Metrics.Rows)
	}
	// The metadata rule picks the model for the dates after its date, with its features.
	for date, want := range map[string]string{"20110125": "baseline", "20110126": res.Name} {
		sel, err := pipeline.SelectModel(ctx, h.wh, h.ltv, date)
		if err != nil || sel.Name != want {
			t.Errorf("SelectModel(%s) = %+v, %v; want %s", date, sel, err, want)
		}
	}
	got := readFeatures(t, h, "20110125")
	want := []string{"France,country", "United Kingdom,country", "22423,product", "85123A,product"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("training_data_features_20110125 (-want +got):\n%s", diff)
	}

	// Training again makes the same model and records it once.
	again, err := training.Train(ctx, h.env, training.Options{ModelDate: "20110125", HorizonDays: 2, Fit: testFit})
	if err != nil {
		t.Fatal(err)
	}
	if again.Name != res.Name {
		t.Errorf("a second training made %s, the first %s", again.Name, res.Name)
	}
	var n int64
	err = h.wh.Read(ctx, warehouse.ReadRequest{SQL: "SELECT COUNT(*) FROM `ltv.metadata` WHERE model_name = @n",
		Params: map[string]any{"n": res.Name}}, func(b warehouse.Batch) error { n = b.Rows[0][0].(int64); return nil })
	if err != nil || n != 1 {
		t.Errorf("metadata rows of %s: %d, %v; want 1", res.Name, n, err)
	}

	// Another model of the same date is recorded, with a warning: the rule may select either.
	var logs bytes.Buffer
	env := h.env
	env.Log = slog.New(slog.NewTextHandler(&logs, nil))
	if _, err := training.Train(ctx, env, training.Options{ModelDate: "20110125", HorizonDays: 1, Name: "ltv-other", Fit: testFit}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "level=WARN msg=\"another model has the same model date") || !strings.Contains(logs.String(), res.Name) {
		t.Errorf("training a second model of 20110125 logged:\n%s\nwant a warning naming %s", logs.String(), res.Name)
	}
}

// readFeatures returns a features table's rows as value,type: countries first, each type sorted.
func readFeatures(t *testing.T, h *handMade, modelDate string) []string {
	t.Helper()
	table := h.ltv.Shard(pipeline.TrainingDataFeatures, modelDate)
	var out []string
	err := h.wh.Read(context.Background(), warehouse.ReadRequest{Table: &table}, func(b warehouse.Batch) error {
		for _, r := range b.Rows {
			out = append(out, r[0].(string)+","+r[1].(string))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(out, func(a, b string) int {
		_, ta, _ := strings.Cut(a, ",")
		_, tb, _ := strings.Cut(b, ",")
		if ta != tb {
			return strings.Compare(ta, tb)
		}
		return strings.Compare(a, b)
	})
	return out
}

func TestTrainRefuses(t *testing.T) {
	h := trainable(t)
	tests := []struct {
		name string
		opts training.Options
		want string
	}{
		{"a cohort whose horizon passes the model date", training.Options{ModelDate: "20110125", HorizonDays: 2, CohortTo: "20110124"},
			"after the model date 20110125"},
		{"a model date after the data", training.Options{ModelDate: "20110301", HorizonDays: 2}, "too little data: the source has 30 days (20101231..20110129); a model dated 20110301 needs 60, through 20110228"},
		{"no cohort left", training.Options{ModelDate: "20110102", HorizonDays: 5}, "ends before it starts"},
		{"a bad date", training.Options{ModelDate: "2011-01-25"}, "model date"},
		{"a negative horizon", training.Options{HorizonDays: -3}, "horizon of -3 days"},
		{"a bad name", training.Options{ModelDate: "20110125", HorizonDays: 2, Name: "../x", Fit: testFit}, "model name"},
	}
	burnIn := h.env
	burnIn.NewClientDays, burnIn.BurnInDays = 365, 10
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := training.Train(context.Background(), h.env, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Train(%+v) = %v, want an error saying %q", tt.opts, err, tt.want)
			}
		})
	}
	for _, tt := range []struct {
		name string
		opts training.Options
		want string
	}{
		{"a cohort in the burn-in", training.Options{ModelDate: "20110125", HorizonDays: 2, CohortFrom: "20110110"},
			"cohort start 20110110 is in the burn-in"},
		{"a model date that leaves only the burn-in", training.Options{ModelDate: "20110110", HorizonDays: 2}, "ends before it starts"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := training.Train(context.Background(), burnIn, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Train(%+v) = %v, want an error saying %q", tt.opts, err, tt.want)
			}
		})
	}
	if sel, err := pipeline.SelectModel(context.Background(), h.wh, h.ltv, "20110201"); err != nil || sel.Name != "baseline" {
		t.Errorf("after failed trainings SelectModel = %+v, %v; want the baseline still", sel, err)
	}
}

// TestTrainDefaultWindowLeavesOutBurnIn checks the default window with a burn-in: the cohort starts at the
// first run date whose new-customer window the data covers for BurnInDays days, and the model date is
// DefaultCohortDays and the horizon after it.
func TestTrainDefaultWindowLeavesOutBurnIn(t *testing.T) {
	h, _ := evaluable(t)
	env := h.env
	env.NewClientDays, env.BurnInDays = 365, 5
	res, err := training.Train(context.Background(), env, training.Options{HorizonDays: 2, Fit: testFit})
	if err != nil {
		t.Fatal(err)
	}
	// The first run date with data is 20110101: 5 days of burn-in leave 20110106 the first cohort.
	want := local.Window{From: "20101231", ModelDate: "20110308", CohortFrom: "20110106", CohortTo: "20110306", HorizonDays: 2}
	if diff := cmp.Diff(want, res.Window); diff != "" {
		t.Errorf("default window (-want +got):\n%s", diff)
	}
}
