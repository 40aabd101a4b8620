package duckdb_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb"
)

// The stages' SQL as the default hooks render it (hooks/sql/*.sql), with the source sharded by day, a lag of
// one day and a new-customer window of 365 days. {date} and {model_date} are replaced per run date.
const (
	extractSQL = "SELECT InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country\n" +
		"FROM `p.retail.transactions_*`\n" +
		"WHERE _TABLE_SUFFIX = FORMAT_DATE('%Y%m%d', DATE_SUB(@run_date, INTERVAL 1 DAY))"
	prepareSQL = `WITH lines AS (
  SELECT InvoiceNo AS invoice, CAST(SAFE_CAST(CustomerID AS FLOAT64) AS INT64) AS customer, StockCode AS product,
    Quantity AS quantity, UnitPrice AS unit_price, InvoiceDate AS ts, Country AS country,
    STARTS_WITH(InvoiceNo, 'C') AS cancelled
  FROM ` + "`p.pltv.all_daily_transactions_{date}`" + `
  WHERE CustomerID IS NOT NULL AND CustomerID != ''
),
features AS (
  SELECT value, type FROM ` + "`p.pltv.training_data_features_{model_date}`" + `
),
cancellations AS (
  SELECT customer, COUNT(*) AS cancelled_lines, SUM(-quantity * unit_price) AS cancelled_value
  FROM lines WHERE cancelled GROUP BY customer
)
SELECT
  CAST(l.customer AS STRING) AS clientId, l.invoice AS orderId, '' AS gclid, '{date}' AS date,
  MIN(l.ts) AS order_ts, EXTRACT(HOUR FROM MIN(l.ts)) AS hour, EXTRACT(DAYOFWEEK FROM MIN(l.ts)) AS weekday,
  IFNULL(ANY_VALUE(c.value), 'Other') AS country, ROUND(SUM(l.quantity * l.unit_price), 2) AS basket_value,
  SUM(l.quantity) AS items, COUNT(*) AS lines, COUNT(DISTINCT l.product) AS distinct_products,
  ROUND(SAFE_DIVIDE(SUM(l.quantity * l.unit_price), SUM(l.quantity)), 4) AS avg_unit_price,
  MAX(l.unit_price) AS max_unit_price, COUNTIF(p.value IS NOT NULL) AS best_seller_lines,
  ROUND(SAFE_DIVIDE(COUNTIF(p.value IS NOT NULL), COUNT(*)), 4) AS best_seller_share,
  IFNULL(ANY_VALUE(x.cancelled_lines), 0) AS cancelled_lines,
  ROUND(IFNULL(ANY_VALUE(x.cancelled_value), 0), 2) AS cancelled_value
FROM lines AS l
LEFT JOIN features AS c ON c.type = 'country' AND c.value = l.country
LEFT JOIN features AS p ON p.type = 'product' AND p.value = l.product
LEFT JOIN cancellations AS x ON x.customer = l.customer
WHERE NOT l.cancelled
GROUP BY l.customer, l.invoice`
	filterSQL = "SELECT t.*\nFROM `p.pltv.prepared_daily_transactions_{date}` AS t\nWHERE t.clientId NOT IN (\n" +
		"  SELECT clientId\n  FROM `p.pltv.prepared_daily_transactions_*`\n" +
		"  WHERE _TABLE_SUFFIX BETWEEN '{window_start}' AND '{window_end}'\n)"
	modelDate = "20101130"
)

var ltv = warehouse.Dataset{Project: "p", Dataset: "pltv"}

// stages runs extract, prepare and filter over the Online Retail data through the warehouse port, with the
// calls the pipeline makes for each run date.
type stages struct {
	w       *duckdb.Warehouse
	workers int
}

// setUp loads the Online Retail day files and the model's metadata and features, as pltv init does.
func (s stages) setUp(tb testing.TB) {
	tb.Helper()
	ctx := context.Background()
	loadRetail(tb, s.w, retailFiles(tb))
	meta := warehouse.Schema{{Name: "export_date", Type: warehouse.String}, {Name: "model_date", Type: warehouse.String},
		{Name: "model_name", Type: warehouse.String}, {Name: "model_id", Type: warehouse.String}}
	if err := s.w.Insert(ctx, ltv.Table("metadata"), meta, []warehouse.Row{{modelDate, modelDate, "local", nil}}); err != nil {
		tb.Fatal(err)
	}
	features := warehouse.Schema{{Name: "value", Type: warehouse.String}, {Name: "type", Type: warehouse.String}}
	if err := s.w.Insert(ctx, ltv.Shard("training_data_features", modelDate), features, []warehouse.Row{
		{"United Kingdom", "country"}, {"France", "country"}, {"Germany", "country"}, {"85123A", "product"}, {"22423", "product"},
	}); err != nil {
		tb.Fatal(err)
	}
}

func render(sql, date string) string {
	start, end := addDays(date, -365), addDays(date, -1)
	return strings.NewReplacer("{date}", date, "{model_date}", modelDate, "{window_start}", start, "{window_end}", end).Replace(sql)
}

func addDays(date string, n int) string {
	t, err := time.Parse("20060102", date)
	if err != nil {
		panic(err)
	}
	return t.AddDate(0, 0, n).Format("20060102")
}

func dates(from, to string) []string {
	var out []string
	for d := from; d <= to; d = addDays(d, 1) {
		out = append(out, d)
	}
	return out
}

func (s stages) job(ctx context.Context, stage, date, sql string, params map[string]any, dest warehouse.Ref) (int64, error) {
	res, err := s.w.Query(ctx, warehouse.QueryJob{SQL: sql, Params: params, Destination: &dest,
		Write: warehouse.WriteTruncate, Labels: warehouse.JobLabels("bench", stage, date)})
	return res.Rows, err
}

func (s stages) extract(ctx context.Context, date string) (int64, error) {
	t, _ := time.Parse("20060102", date)
	return s.job(ctx, "extract", date, extractSQL, map[string]any{"run_date": warehouse.DateOf(t), "run_time": t},
		ltv.Shard("all_daily_transactions", date))
}

// hasRows is the pipeline's check of a stage's input.
func (s stages) hasRows(ctx context.Context, t warehouse.Ref) (bool, error) {
	info, err := s.w.Table(ctx, t)
	return info.State == warehouse.HasRows, err
}

func (s stages) prepare(ctx context.Context, date string) (int64, error) {
	src := ltv.Shard("all_daily_transactions", date)
	if ok, err := s.hasRows(ctx, src); !ok || err != nil {
		return -1, err
	}
	if _, err := s.w.Table(ctx, ltv.Table("metadata")); err != nil {
		return 0, err
	}
	discard := func(warehouse.Batch) error { return nil }
	err := s.w.Read(ctx, warehouse.ReadRequest{SQL: "SELECT export_date, model_date, model_name, model_id FROM `p.pltv.metadata`" +
		" WHERE model_name IS NOT NULL AND model_name != '' AND model_date <= @last ORDER BY model_date DESC, export_date DESC LIMIT 1",
		Params: map[string]any{"last": addDays(date, -1)}}, discard)
	if err != nil {
		return 0, err
	}
	if _, err := s.w.Table(ctx, ltv.Shard("training_data_features", modelDate)); err != nil {
		return 0, err
	}
	err = s.w.Read(ctx, warehouse.ReadRequest{SQL: "SELECT COUNTIF(CustomerID IS NULL OR CustomerID = '') AS n FROM " + src.SQL()}, discard)
	if err != nil {
		return 0, err
	}
	return s.job(ctx, "prepare", date, render(prepareSQL, date), nil, ltv.Shard("prepared_daily_transactions", date))
}

func (s stages) filter(ctx context.Context, date string) (int64, error) {
	if ok, err := s.hasRows(ctx, ltv.Shard("prepared_daily_transactions", date)); !ok || err != nil {
		return -1, err
	}
	return s.job(ctx, "filter", date, render(filterSQL, date), nil, ltv.Shard("prepared_new_customers_daily_transactions", date))
}

// run runs one stage for every date, s.workers dates at a time, and returns the rows each date wrote (-1 when
// the stage skipped the date).
func (s stages) run(tb testing.TB, stage func(context.Context, string) (int64, error), dates []string) map[string]int64 {
	tb.Helper()
	var mu sync.Mutex
	rows := map[string]int64{}
	next := make(chan string)
	var wg sync.WaitGroup
	for range s.workers {
		wg.Go(func() {
			for d := range next {
				n, err := stage(context.Background(), d)
				if err != nil {
					tb.Error(d, err)
				}
				mu.Lock()
				rows[d] = n
				mu.Unlock()
			}
		})
	}
	for _, d := range dates {
		next <- d
	}
	close(next)
	wg.Wait()
	return rows
}

// newCustomers are the new customers of the first days of January 2011, counted independently of pltv.
var newCustomers = map[string]int64{"20110105": 14, "20110106": 13, "20110107": 19, "20110108": 22}

func checkNewCustomers(tb testing.TB, filtered map[string]int64) {
	tb.Helper()
	got := map[string]int64{}
	for d := range newCustomers {
		got[d] = filtered[d]
	}
	if d := cmp.Diff(newCustomers, got); d != "" {
		tb.Errorf("new customers mismatch (-want +got):\n%s", d)
	}
}

// TestOnlineRetailStages runs extract, prepare and filter over the Online Retail data up to 2011-01-08 in a
// database file (slow: seconds) and checks the new customers the filter finds.
func TestOnlineRetailStages(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 541,909 rows and runs three stages over 38 dates")
	}
	w := open(t, filepath.Join(t.TempDir(), "w.duckdb"))
	s := stages{w: w, workers: 2}
	s.setUp(t)
	days := dates("20101202", "20110108")
	s.run(t, s.extract, days)
	s.run(t, s.prepare, days)
	checkNewCustomers(t, s.run(t, s.filter, days))
}

// BenchmarkStagesOnlineRetail runs extract, prepare and filter over all 374 run dates of the Online Retail data
// (2010-12-02..2011-12-10) in a database file, two dates at a time as pltv run does, and reports the seconds
// each stage takes for the whole range (the target: 20 s for the three). Run it with -benchtime=1x.
func BenchmarkStagesOnlineRetail(b *testing.B) {
	w, err := duckdb.Open(filepath.Join(b.TempDir(), "w.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	s := stages{w: w, workers: 2}
	start := time.Now()
	s.setUp(b)
	load := time.Since(start)
	days := dates("20101202", "20111210")
	var total [3]time.Duration
	for b.Loop() {
		for i, stage := range []func(context.Context, string) (int64, error){s.extract, s.prepare, s.filter} {
			start := time.Now()
			rows := s.run(b, stage, days)
			total[i] += time.Since(start)
			if i == 2 {
				checkNewCustomers(b, rows)
			}
		}
	}
	for i, name := range []string{"extract", "prepare", "filter"} {
		b.ReportMetric(total[i].Seconds()/float64(b.N), name+"-s")
	}
	b.ReportMetric(load.Seconds(), "load-s")
}

// manyShards opens a database file holding 1300 daily shards events_YYYYMMDD of one row each.
func manyShards(b *testing.B) (*duckdb.Warehouse, []string) {
	b.Helper()
	w, err := duckdb.Open(filepath.Join(b.TempDir(), "w.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = w.Close() })
	schema := warehouse.Schema{{Name: "customer", Type: warehouse.String}, {Name: "value", Type: warehouse.Float}}
	days := dates("20080101", "20111231")[:1300]
	for _, d := range days {
		if err := w.Insert(context.Background(), ltv.Shard("events", d), schema, []warehouse.Row{{"c", 1.0}}); err != nil {
			b.Fatal(err)
		}
	}
	return w, days
}

// BenchmarkTableLookup measures Table() among 1300 date shards, as each stage calls it for its input.
func BenchmarkTableLookup(b *testing.B) {
	w, days := manyShards(b)
	i := 0
	for b.Loop() {
		info, err := w.Table(context.Background(), ltv.Shard("events", days[i%len(days)]))
		if err != nil || info.Rows != 1 {
			b.Fatal(info, err)
		}
		i++
	}
}

// BenchmarkTablesList measures Tables() listing 1300 date shards, as pltv tables ls does.
func BenchmarkTablesList(b *testing.B) {
	w, days := manyShards(b)
	for b.Loop() {
		infos, err := w.Tables(context.Background(), ltv, "")
		if err != nil || len(infos) != len(days) {
			b.Fatal(len(infos), err)
		}
	}
}

// BenchmarkQueryJobIntoShard measures a small query job replacing one of 300 date shards, in a file and in
// memory: what a job costs beyond its query.
func BenchmarkQueryJobIntoShard(b *testing.B) {
	for _, where := range []string{"file", "memory"} {
		b.Run(where, func(b *testing.B) {
			path := ""
			if where == "file" {
				path = filepath.Join(b.TempDir(), "w.duckdb")
			}
			w, err := duckdb.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close()
			days := dates("20200101", "20201231")[:300]
			i := 0
			for b.Loop() {
				dest := ltv.Shard("events", days[i%len(days)])
				if _, err := w.Query(context.Background(), warehouse.QueryJob{SQL: "SELECT 'c' AS customer, 1.5 AS value", Destination: &dest,
					Labels: warehouse.JobLabels("bench", "prepare", days[i%len(days)])}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
