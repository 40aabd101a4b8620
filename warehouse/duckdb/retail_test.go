package duckdb_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pltv/pltv/internal/testdata"
	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// retail is the schema of the Online Retail day files.
var retail = warehouse.Schema{
	{Name: "InvoiceNo", Type: warehouse.String}, {Name: "StockCode", Type: warehouse.String},
	{Name: "Description", Type: warehouse.String}, {Name: "Quantity", Type: warehouse.Integer},
	{Name: "InvoiceDate", Type: warehouse.Timestamp}, {Name: "UnitPrice", Type: warehouse.Float},
	{Name: "CustomerID", Type: warehouse.String}, {Name: "Country", Type: warehouse.String},
}

// retailFiles returns the shipped Online Retail day files.
func retailFiles(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(testdata.OnlineRetail(tb), "*.csv"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no Online Retail day files: %v", err)
	}
	return files
}

// loadRetail loads every day file into its shard transactions_YYYYMMDD and returns the rows loaded.
func loadRetail(tb testing.TB, w *duckdb.Warehouse, files []string) int64 {
	tb.Helper()
	ds := warehouse.Dataset{Project: "p", Dataset: "retail"}
	var total int64
	for _, f := range files {
		day := strings.ReplaceAll(strings.TrimSuffix(filepath.Base(f), ".csv"), "-", "")
		r, err := os.Open(f)
		if err != nil {
			tb.Fatal(err)
		}
		res, err := w.Load(context.Background(), warehouse.LoadJob{Source: r, SourceName: f, Destination: ds.Shard("transactions", day),
			Schema: retail, SkipLeadingRows: 1, Labels: warehouse.JobLabels("bench", "init", day)})
		r.Close()
		if err != nil {
			tb.Fatal(err)
		}
		total += res.Rows
	}
	return total
}

// TestOnlineRetailEndToEnd loads the whole Online Retail data set (slow: seconds) and checks what a query over
// its shards finds.
func TestOnlineRetailEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 541,909 rows")
	}
	files := retailFiles(t)
	w, err := duckdb.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if got := loadRetail(t, w, files); got != 541909 {
		t.Errorf("rows loaded: %d, want 541909", got)
	}
	var rows []warehouse.Row
	err = w.Read(context.Background(), warehouse.ReadRequest{SQL: `
		SELECT COUNT(*) AS n, COUNTIF(STARTS_WITH(InvoiceNo, 'C')) AS cancelled, COUNT(DISTINCT CustomerID) AS customers,
			MIN(_TABLE_SUFFIX) AS first_day, MAX(DATE(InvoiceDate)) AS last_day
		FROM ` + "`p.retail.transactions_*`"}, func(b warehouse.Batch) error {
		rows = append(rows, b.Rows...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(rows)
	want := "[[541909 9288 4372 20101201 2011-12-09]]"
	if got != want {
		t.Errorf("summary: %s, want %s", got, want)
	}
}

// BenchmarkLoadOnlineRetail loads the 305 Online Retail day files (541,909 rows, 47 MB) into day shards.
func BenchmarkLoadOnlineRetail(b *testing.B) {
	files := retailFiles(b)
	for b.Loop() {
		w, err := duckdb.Open("")
		if err != nil {
			b.Fatal(err)
		}
		loadRetail(b, w, files)
		w.Close()
	}
	b.ReportMetric(float64(541909*b.N)/b.Elapsed().Seconds(), "rows/s")
}
