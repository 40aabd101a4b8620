// Package report writes the HTML report of a state: one self-contained file (its data, script and styles
// inline, the evaluation's charts embedded) that a browser opens from disk, and that `pltv serve` serves live
// at /. It shows the predictions per day, the distribution of predicted values, the evaluation (its charts
// and metrics, from <state>/report/eval/), a per-date × stage status grid and the workflow executions.
package report

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// Data is everything the report shows.
type Data struct {
	Title      string      `json:"title"`
	Generated  time.Time   `json:"generated"`
	Days       []Day       `json:"days"`       // dates with a predictions table, in order
	Histogram  []Bin       `json:"histogram"`  // of every predicted value
	Stages     []string    `json:"stages"`     // the grid's columns
	Grid       []GridRow   `json:"grid"`       // every date seen, in order
	Executions []Execution `json:"executions"` // newest first
	Eval       *Eval       `json:"eval,omitempty"`
}

// Day is one date's predictions.
type Day struct {
	Date  string  `json:"date"`
	Count int64   `json:"count"`
	Value float64 `json:"value"`
}

// Bin is one bar of the predicted-value histogram: the values in [From, To).
type Bin struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Count int     `json:"count"`
}

// GridRow is one date's stages, each a state (rows, empty, missing, pending, failed) and its rows.
type GridRow struct {
	Date  string `json:"date"`
	Cells []Cell `json:"cells"`
}

// Cell is one stage of one date.
type Cell struct {
	State string `json:"state"`
	Rows  int64  `json:"rows"`
	Error string `json:"error,omitempty"`
}

// Execution is one workflow execution.
type Execution struct {
	ID       string    `json:"id"`
	Workflow string    `json:"workflow"`
	Argument string    `json:"argument"`
	State    string    `json:"state"`
	Steps    int64     `json:"steps"`
	Start    time.Time `json:"start"`
	Seconds  float64   `json:"seconds"`
	Error    string    `json:"error,omitempty"`
}

// Eval is the evaluation's output: its charts (PNG, base64) and its metrics.
type Eval struct {
	Charts  []Chart         `json:"charts"`
	Metrics json.RawMessage `json:"metrics,omitempty"`
}

// Chart is one PNG chart of the evaluation.
type Chart struct {
	Name string `json:"name"`
	PNG  string `json:"png"` // base64
}

// EvalDir is where the evaluation leaves its charts (*.png) and metrics.json, under the state directory.
var EvalDir = filepath.Join("report", "eval")

// Collect gathers the report's data from a runtime and the executions of its state.
func Collect(ctx context.Context, rt *local.Runtime, xs executions.Executions) (Data, error) {
	d := Data{Title: "pltv: " + rt.Config.DeploymentName, Generated: time.Now().UTC()}
	st, err := rt.Status(ctx, "")
	if err != nil {
		return d, fmt.Errorf("report: %w", err)
	}
	var values []float64
	for _, ds := range st {
		row := GridRow{Date: ds.Date}
		for _, s := range ds.Stages {
			if !slices.Contains(d.Stages, s.Stage) {
				d.Stages = append(d.Stages, s.Stage)
			}
		}
		for _, s := range ds.Stages {
			if s.Stage == pipeline.StagePredict && s.Rows > 0 {
				day, vs, err := predictions(ctx, rt, ds.Date)
				if err != nil {
					return d, fmt.Errorf("report: %w", err)
				}
				d.Days = append(d.Days, day)
				values = append(values, vs...)
			}
		}
		d.Grid = append(d.Grid, row)
	}
	order := []string{pipeline.StageExtract, pipeline.StagePrepare, pipeline.StageFilter, pipeline.StagePredict}
	sort.SliceStable(d.Stages, func(i, j int) bool { return rank(order, d.Stages[i]) < rank(order, d.Stages[j]) })
	for i, ds := range st {
		cells := make([]Cell, len(d.Stages))
		for k := range cells {
			cells[k].State = warehouse.Missing.String()
		}
		for _, s := range ds.Stages {
			cells[slices.Index(d.Stages, s.Stage)] = Cell{State: s.State, Rows: s.Rows, Error: s.Error}
		}
		d.Grid[i].Cells = cells
	}
	d.Histogram = histogram(values, 30)
	if xs != nil {
		list, err := xs.List(ctx, "")
		if err != nil {
			return d, fmt.Errorf("report: executions: %w", err)
		}
		for _, x := range list {
			e := Execution{ID: x.ID, Workflow: x.Workflow, Argument: x.Argument, State: string(x.State), Steps: x.Steps,
				Start: x.StartTime, Seconds: x.Duration(time.Now()).Seconds()}
			if x.Error != nil {
				e.Error = x.Error.Payload
			}
			d.Executions = append(d.Executions, e)
		}
	}
	if d.Eval, err = readEval(filepath.Join(rt.StateDir, EvalDir)); err != nil {
		return d, fmt.Errorf("report: %w", err)
	}
	return d, nil
}

func rank(order []string, s string) int {
	if i := slices.Index(order, s); i >= 0 {
		return i
	}
	return len(order)
}

// predictions reads one date's predicted values.
func predictions(ctx context.Context, rt *local.Runtime, date string) (Day, []float64, error) {
	day := Day{Date: date}
	var vs []float64
	t := rt.Config.LTVDataset().Shard(pipeline.Predictions, date)
	err := rt.WH.Read(ctx, warehouse.ReadRequest{SQL: "SELECT conversionValue FROM " + t.SQL()}, func(b warehouse.Batch) error {
		for _, r := range b.Rows {
			if v, ok := r[0].(float64); ok {
				vs = append(vs, v)
				day.Value += v
			}
		}
		return nil
	})
	if errors.Is(err, warehouse.ErrNotFound) {
		err = nil
	}
	day.Count = int64(len(vs))
	return day, vs, err
}

// histogram bins values into n bars of equal width from the least value to the 99th
// percentile; the last bar also holds the values above it.
func histogram(values []float64, n int) []Bin {
	if len(values) == 0 {
		return nil
	}
	sorted := slices.Sorted(slices.Values(values))
	lo, hi := sorted[0], sorted[int(float64(len(sorted)-1)*0.99)]
	if hi <= lo {
		hi = lo + 1
	}
	w := (hi - lo) / float64(n)
	bins := make([]Bin, n)
	for i := range bins {
		bins[i] = Bin{From: lo + float64(i)*w, To: lo + float64(i+1)*w}
	}
	for _, v := range sorted {
		i := min(int((v-lo)/w), n-1)
		bins[max(i, 0)].Count++
	}
	return bins
}

// readEval reads the evaluation's charts and metrics from dir; nil when the evaluation has not run.
func readEval(dir string) (*Eval, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	e := &Eval{}
	for _, en := range entries {
		name := en.Name()
		switch {
		case strings.HasSuffix(name, ".png"):
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				return nil, err
			}
			e.Charts = append(e.Charts, Chart{Name: strings.TrimSuffix(name, ".png"), PNG: base64.StdEncoding.EncodeToString(b)})
		case name == "metrics.json":
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				return nil, err
			}
			if !json.Valid(b) {
				return nil, fmt.Errorf("%s is not JSON", filepath.Join(dir, name))
			}
			e.Metrics = b
		}
	}
	if len(e.Charts) == 0 && e.Metrics == nil {
		return nil, nil
	}
	return e, nil
}
