package local_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/warehouse"
)

func mustState(t *testing.T, m model.Model, want model.State) {
	t.Helper()
	st, err := m.State(context.Background())
	if err != nil || st.State != want {
		t.Fatalf("State() = %v, %v; want %v", st.State, err, want)
	}
}

func TestDeploymentLatency(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name               string
		deploy, undeploy   time.Duration // options
		wantDeploy, wantUn time.Duration
	}{
		{"defaults", 0, 0, 2 * time.Minute, 30 * time.Second},
		{"custom", 5 * time.Minute, time.Minute, 5 * time.Minute, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := writeModel(t, t.TempDir(), testFile("ltv-latency"))
			clock := newClock()
			opts.Clock, opts.DeployTime, opts.UndeployTime = clock, tt.deploy, tt.undeploy
			m, err := local.New(opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := m.Deploy(ctx); err != nil {
				t.Fatal(err)
			}
			clock.Advance(tt.wantDeploy - time.Second)
			mustState(t, m, model.Deploying)
			if _, err := m.Predict(ctx, testInstances()); !errors.Is(err, model.ErrNotDeployed) {
				t.Errorf("Predict while deploying = %v, want ErrNotDeployed", err)
			}
			clock.Advance(time.Second)
			mustState(t, m, model.Deployed)
			if err := m.Undeploy(ctx); err != nil {
				t.Fatal(err)
			}
			clock.Advance(tt.wantUn - time.Second)
			mustState(t, m, model.Undeploying)
			clock.Advance(time.Second)
			mustState(t, m, model.Undeployed)
		})
	}
}

func TestDeploymentIsSharedInTheProcess(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	clock := newClock()
	open := func(name string) *local.Model {
		opts := writeModel(t, dir, testFile(name))
		opts.Clock = clock
		m, err := local.New(opts)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	deployer, poller, other := open("ltv-a"), open("ltv-a"), open("ltv-b")
	if err := deployer.Deploy(ctx); err != nil {
		t.Fatal(err)
	}
	mustState(t, poller, model.Deploying)
	clock.Advance(local.DefaultDeployTime)
	mustState(t, poller, model.Deployed)
	mustState(t, other, model.Undeployed)
	if _, err := poller.Predict(ctx, testInstances()); err != nil {
		t.Errorf("Predict through another driver of the deployed model: %v", err)
	}
}

// wantScore computes the test model's prediction for one row by hand.
func wantScore(basket float64, items float64, country string, weekday string) (p, v float64) {
	f := testFile("x")
	x := []float64{
		clip((math.Log1p(basket) - 5) / 1.5),
		clip((items - 100) / 50),
		b(country == "United Kingdom"), b(country == "France"), b(country == "Germany"),
		b(weekday == "2"), b(weekday == "5"),
	}
	z, mu := f.Return.Intercept, f.Value.Intercept
	for i := range x {
		z += f.Return.Weights[i] * x[i]
		mu += f.Value.Weights[i] * x[i]
	}
	return 1 / (1 + math.Exp(-z)), math.Exp(mu) * f.Value.Smearing
}

func clip(x float64) float64 { return max(-local.Clip, min(local.Clip, x)) }

func b(ok bool) float64 {
	if ok {
		return 1
	}
	return 0
}

func deployedModel(t testing.TB, f *local.File) *local.Model {
	t.Helper()
	opts := writeModel(t, t.TempDir(), f)
	opts.DeployTime = -1
	m, err := local.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Deploy(context.Background()); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPredictByName(t *testing.T) {
	m := deployedModel(t, testFile("ltv-predict"))
	in := testInstances()
	got, err := m.Predict(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	var want []model.Prediction
	for _, c := range []struct {
		basket, items    float64
		country, weekday string
	}{
		{711.79, 319, "Iceland", "3"}, // Iceland and Wednesday have no level
		{855.86, 449, "France", "5"},  // 449 items are 6.98 standard deviations out: clipped to 5
		{366.63, 83, "United Kingdom", "2"},
		{math.Expm1(5), 100, "United Kingdom", ""}, // NULLs are the centre
		{261.48, 157, "Germany", "2"},
	} {
		p, v := wantScore(c.basket, c.items, c.country, c.weekday)
		want = append(want, model.Prediction{Value: p * v, Fields: map[string]any{"p_return": p, "value_if_return": v}})
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("Predict (-want +got):\n%s", diff)
	}
	// The same rows with their columns in another order, and one column more, predict the same.
	perm := []int{5, 3, 0, 2, 4, 1}
	shuffled := model.Instances{Schema: warehouse.Schema{{Name: "gclid", Type: warehouse.String}}}
	for _, j := range perm {
		shuffled.Schema = append(shuffled.Schema, in.Schema[j])
	}
	for _, r := range in.Rows {
		row := warehouse.Row{""}
		for _, j := range perm {
			row = append(row, r[j])
		}
		shuffled.Rows = append(shuffled.Rows, row)
	}
	again, err := m.Predict(context.Background(), shuffled)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, again); diff != "" {
		t.Errorf("Predict with the columns in another order (-want +got):\n%s", diff)
	}
}

func TestPredictClipsOutliers(t *testing.T) {
	m := deployedModel(t, testFile("ltv-clip"))
	in := model.Instances{Schema: retailSchema, Rows: []warehouse.Row{
		{"1", "France", int64(5), 1e300, "1", int64(1e15)},
		{"2", "France", int64(5), math.Expm1(5 + 5*1.5), "2", int64(100 + 5*50)},
	}}
	got, err := m.Predict(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got[1], got[0], cmpopts.EquateApprox(1e-9, 0)); diff != "" {
		t.Errorf("an extreme row is not predicted like one at the clip (-at the clip +extreme):\n%s", diff)
	}
}

func TestPredictRowErrors(t *testing.T) {
	in := testInstances()
	without := func(col string) model.Instances {
		out := model.Instances{}
		j := in.Schema.Index(col)
		for i, f := range in.Schema {
			if i != j {
				out.Schema = append(out.Schema, f)
			}
		}
		for _, r := range in.Rows {
			row := append(warehouse.Row{}, r[:j]...)
			out.Rows = append(out.Rows, append(row, r[j+1:]...))
		}
		return out
	}
	retyped := func(col string, typ warehouse.FieldType, v any) model.Instances {
		out := model.Instances{Schema: append(warehouse.Schema{}, in.Schema...)}
		j := out.Schema.Index(col)
		out.Schema[j].Type = typ
		for _, r := range in.Rows {
			row := append(warehouse.Row{}, r...)
			row[j] = v
			out.Rows = append(out.Rows, row)
		}
		return out
	}
	badValue := func(row int, col string, v any) model.Instances {
		out := model.Instances{Schema: in.Schema}
		for _, r := range in.Rows {
			out.Rows = append(out.Rows, append(warehouse.Row{}, r...))
		}
		out.Rows[row][in.Schema.Index(col)] = v
		return out
	}
	all := []int{0, 1, 2, 3, 4}
	tests := []struct {
		name     string
		in       model.Instances
		wantRows []int
		wantText string // in the first row's error
	}{
		{"a missing column", without("items"), all, "row 0: feature column items: missing"},
		{"a category as a float", retyped("country", warehouse.Float, 1.5), all, "row 0: feature column country: type FLOAT, want STRING or INTEGER"},
		{"a number as a string", retyped("basket_value", warehouse.String, "12.5"), all, "row 0: feature column basket_value: type STRING, want a number"},
		{"a string in a float column", badValue(2, "basket_value", "12.5"), []int{2}, "row 2: feature basket_value (FLOAT): value of Go type string"},
		{"not a number", badValue(3, "basket_value", math.NaN()), []int{3}, "row 3: feature basket_value (FLOAT): value NaN is not a finite number"},
		{"a value short", model.Instances{Schema: in.Schema, Rows: []warehouse.Row{in.Rows[0], in.Rows[1][:5]}}, []int{1}, "row 1: 5 values for 6 features"},
	}
	m := deployedModel(t, testFile("ltv-errors"))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.Predict(context.Background(), tt.in)
			if diff := cmp.Diff(tt.wantRows, model.FailedRows(err)); diff != "" {
				t.Errorf("FailedRows(%v) (-want +got):\n%s", err, diff)
			}
			if model.IsRetryable(err) {
				t.Errorf("IsRetryable(%v) = true", err)
			}
			var re *model.RowError
			if !errors.As(err, &re) || !strings.Contains(re.Error(), tt.wantText) {
				t.Errorf("first row error %v, want it to say %q", re, tt.wantText)
			}
		})
	}
}

func TestBaseline(t *testing.T) {
	ctx := context.Background()
	m, err := local.New(local.Options{Dir: t.TempDir(), Name: local.BaselineName, DeployTime: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Deploy(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := m.Predict(ctx, testInstances())
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Prediction{{Value: 711.79}, {Value: 855.86}, {Value: 366.63}, {Value: 0}, {Value: 261.48}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("baseline predictions (-want +got):\n%s", diff)
	}
}

func TestNewNeedsTheModelFile(t *testing.T) {
	_, err := local.New(local.Options{Dir: t.TempDir(), Name: "ltv-20110228-missing"})
	if err == nil || !strings.Contains(err.Error(), "pltv train") {
		t.Errorf("New of a model without a file = %v, want an error that says to train it", err)
	}
	if _, err := local.New(local.Options{Dir: t.TempDir(), Name: "../x"}); err == nil {
		t.Error("New accepted the model name ../x")
	}
}

func TestDeployChecksTheModelName(t *testing.T) {
	dir := t.TempDir()
	opts := writeModel(t, dir, testFile("ltv-inside"))
	path, _ := local.Path(dir, "ltv-outside")
	if err := testFile("ltv-inside").Save(path); err != nil {
		t.Fatal(err)
	}
	opts.Name, opts.DeployTime = "ltv-outside", -1
	m, err := local.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Deploy(context.Background()); err != nil {
		t.Fatal(err)
	}
	st, _ := m.State(context.Background())
	if st.State != model.Failed || !strings.Contains(st.Reason, "holds model ltv-inside") {
		t.Errorf("a file holding another model deployed as %+v, want failed saying so", st)
	}
}
