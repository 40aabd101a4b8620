package training_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/training"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// preparedSchema is the part of the prepared table's columns that the hand-made warehouses hold.
var preparedSchema = warehouse.Schema{
	{Name: "clientId", Type: warehouse.String},
	{Name: "orderId", Type: warehouse.String},
	{Name: "date", Type: warehouse.String},
	{Name: "country", Type: warehouse.String},
	{Name: "basket_value", Type: warehouse.Float},
	{Name: "lines", Type: warehouse.Integer},
}

// sale is one prepared row: an invoice of a customer on a run date.
type sale struct {
	date, client, order, country string
	value                        float64
	lines                        int64
	isNew                        bool // also a new-customer row
}

// handMade is a warehouse written table by table, and the training environment over it. Its stages do
// nothing but note the dates they are asked to run.
type handMade struct {
	wh  warehouse.Warehouse
	env training.Env
	ltv warehouse.Dataset

	mu  sync.Mutex
	ran map[string][]string // stage → dates
}

func newHandMade(t *testing.T) *handMade {
	t.Helper()
	wh, err := duckdb.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = wh.Close() })
	h := &handMade{wh: wh, ltv: warehouse.Dataset{Dataset: "ltv"}, ran: map[string][]string{}}
	stages := map[string]pipeline.StageFunc{}
	for _, st := range []string{pipeline.StageExtract, pipeline.StagePrepare, pipeline.StageFilter} {
		stages[st] = func(_ context.Context, date string) (pipeline.Result, error) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.ran[st] = append(h.ran[st], date)
			return pipeline.Result{Stage: st, Date: date, Skipped: "hand-made"}, nil
		}
	}
	h.env = training.Env{
		WH:       wh,
		Tables:   hooks.Tables{Source: warehouse.Dataset{Dataset: "src"}, SourceTable: "sales", SourceSharded: true, LTV: h.ltv},
		Stages:   stages,
		LagDays:  1,
		StateDir: t.TempDir(),
	}
	return h
}

// ranDates returns the dates a stage ran for, sorted.
func (h *handMade) ranDates(stage string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := append([]string(nil), h.ran[stage]...)
	sort.Strings(out)
	return out
}

func (h *handMade) insert(t *testing.T, table warehouse.Ref, schema warehouse.Schema, rows ...warehouse.Row) {
	t.Helper()
	if err := h.wh.Insert(context.Background(), table, schema, rows); err != nil {
		t.Fatal(err)
	}
}

// addSales writes the sales into prepared_daily_transactions_D and, for new customers,
// prepared_new_customers_daily_transactions_D; every date of dates gets both tables (empty if need be),
// a non-empty extract, and a source shard of the data day.
func (h *handMade) addSales(t *testing.T, dates []string, sales []sale) {
	t.Helper()
	byDate := map[string][]sale{}
	for _, s := range sales {
		byDate[s.date] = append(byDate[s.date], s)
	}
	for _, d := range dates {
		var all, fresh []warehouse.Row
		for _, s := range byDate[d] {
			r := warehouse.Row{s.client, s.order, s.date, s.country, s.value, s.lines}
			all = append(all, r)
			if s.isNew {
				fresh = append(fresh, r)
			}
		}
		h.insert(t, h.ltv.Shard(pipeline.PreparedDailyTransactions, d), preparedSchema, all...)
		h.insert(t, h.ltv.Shard(pipeline.NewCustomersTransactions, d), preparedSchema, fresh...)
		h.insert(t, h.ltv.Shard(pipeline.AllDailyTransactions, d), warehouse.Schema{{Name: "InvoiceNo", Type: warehouse.String}}, warehouse.Row{"x"})
		day, err := pipeline.AddDays(d, -1)
		if err != nil {
			t.Fatal(err)
		}
		h.insert(t, h.env.Tables.Source.Shard("sales", day), warehouse.Schema{{Name: "InvoiceNo", Type: warehouse.String}}, warehouse.Row{"x"})
	}
}

// addBaseline records the baseline model dated the day before first, with its features table.
func (h *handMade) addBaseline(t *testing.T, first string, known ...string) {
	t.Helper()
	d, err := pipeline.AddDays(first, -1)
	if err != nil {
		t.Fatal(err)
	}
	var rows []warehouse.Row
	for _, k := range known {
		v, typ, _ := strings.Cut(k, ",")
		rows = append(rows, warehouse.Row{v, typ})
	}
	h.insert(t, h.ltv.Shard(pipeline.TrainingDataFeatures, d), pipeline.FeaturesSchema(), rows...)
	if err := pipeline.RecordModel(context.Background(), h.wh, h.ltv, pipeline.Model{ExportDate: d, ModelDate: d, Name: "baseline"}); err != nil {
		t.Fatal(err)
	}
}

// synthSales makes perDay new customers a day over the dates. A customer from France buys again, for
// ten times the value, on the next two dates (when they are among the dates); others from the United
// Kingdom do not. Basket values are random and tell nothing.
func synthSales(dates []string, perDay int, seed uint64) []sale {
	rng := rand.New(rand.NewPCG(seed, 1))
	var out []sale
	n := 0
	for i, d := range dates {
		for range perDay {
			n++
			client := fmt.Sprintf("c%05d", n)
			country := "United Kingdom"
			if rng.IntN(3) == 0 {
				country = "France"
			}
			v := 10 + rng.Float64()*490
			out = append(out, sale{date: d, client: client, order: fmt.Sprintf("o%06d", n), country: country,
				value: v, lines: 1 + rng.Int64N(20), isNew: true})
			if country != "France" {
				continue
			}
			for k := 1; k <= 2 && i+k < len(dates); k++ {
				out = append(out, sale{date: dates[i+k], client: client, order: fmt.Sprintf("o%06d-%d", n, k),
					country: country, value: 5 * v * (0.5 + rng.Float64()), lines: 3})
			}
		}
	}
	return out
}

// testFit are fit options for the hand-made warehouses' columns.
var testFit = training.FitOptions{Features: []training.FeatureSpec{
	{Name: "country", Kind: "categorical"},
	{Name: "basket_value", Kind: "numeric", Transform: "log1p"},
	{Name: "lines", Kind: "numeric", Transform: "log1p"},
}, MinLevelRows: 1}

func dates(t *testing.T, from, to string) []string {
	t.Helper()
	d, err := pipeline.Dates(from, to)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
