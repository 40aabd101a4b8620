package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb/internal/googlesql"
)

// shardDays writes n daily shards events_YYYYMMDD ending on 2020-12-31, rows rows each.
func shardDays(tb testing.TB, w *Warehouse, n, rows int) {
	tb.Helper()
	ds := warehouse.Dataset{Project: "p", Dataset: "d"}
	schema := warehouse.Schema{{Name: "customer", Type: warehouse.String}, {Name: "value", Type: warehouse.Float}}
	last := time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC)
	for i := range n {
		day := last.AddDate(0, 0, -i).Format("20060102")
		batch := make([]warehouse.Row, rows)
		for r := range batch {
			batch[r] = warehouse.Row{fmt.Sprintf("c%d", r), float64(r)}
		}
		if err := w.Insert(context.Background(), ds.Shard("events", day), schema, batch); err != nil {
			tb.Fatal(err)
		}
	}
}

// expanded returns the tables the expansion of the query's wildcard reads.
func expanded(t *testing.T, w *Warehouse, q string, params map[string]any) []string {
	t.Helper()
	p, err := newParams(params, w.now())
	if err != nil {
		t.Fatal(err)
	}
	tr, err := googlesql.Translate(q, googlesql.Options{Params: p.types})
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	err = w.conn(context.Background(), func(c *sql.Conn) error {
		if err := w.expandWildcards(context.Background(), c, tr, p); err != nil {
			return err
		}
		for _, m := range regexp.MustCompile(`FROM "d"\."(events_\d+)"`).FindAllStringSubmatch(tr.Statements[0].SQL, -1) {
			tables = append(tables, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tables
}

func TestWildcardPruning(t *testing.T) {
	w, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	shardDays(t, w, 10, 1)
	runDate := map[string]any{"run_date": warehouse.Date{Year: 2020, Month: 12, Day: 31}}
	tests := []struct {
		name   string
		query  string
		params map[string]any
		want   []string
	}{
		{"BETWEEN constants", "SELECT * FROM `p.d.events_*` WHERE _TABLE_SUFFIX BETWEEN '20201229' AND '20201230'", nil,
			[]string{"events_20201229", "events_20201230"}},
		{"parameters and functions", `SELECT * FROM ` + "`p.d.events_*`" + ` AS e
			WHERE e._TABLE_SUFFIX > FORMAT_DATE('%Y%m%d', DATE_SUB(@run_date, INTERVAL 2 DAY)) AND e.value >= 0`, runDate,
			[]string{"events_20201230", "events_20201231"}},
		{"equality with other filters", "SELECT * FROM `p.d.events_*` WHERE value > 0 AND _TABLE_SUFFIX = '20201225'", nil,
			[]string{"events_20201225"}},
		{"filter on a column is not used", "SELECT * FROM `p.d.events_*` WHERE _TABLE_SUFFIX > customer", nil,
			[]string{"events_20201222", "events_20201223", "events_20201224", "events_20201225", "events_20201226",
				"events_20201227", "events_20201228", "events_20201229", "events_20201230", "events_20201231"}},
		{"nothing left", "SELECT * FROM `p.d.events_*` WHERE _TABLE_SUFFIX < '2000'", nil, []string{"events_20201231"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, expanded(t, w, tc.query, tc.params)); d != "" {
				t.Errorf("tables read mismatch (-want +got):\n%s", d)
			}
		})
	}
}

// BenchmarkWildcard365 reads a 30-day and a 365-day _TABLE_SUFFIX range of 365 daily shards of 1000 rows,
// as the filter stage does.
func BenchmarkWildcard365(b *testing.B) {
	w, err := Open("")
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	shardDays(b, w, 365, 1000)
	for _, days := range []int{30, 365} {
		b.Run(fmt.Sprintf("%ddays", days), func(b *testing.B) {
			q := `SELECT COUNT(*) AS n, SUM(value) AS total, COUNT(DISTINCT customer) AS customers FROM ` + "`p.d.events_*`" + `
				WHERE _TABLE_SUFFIX BETWEEN FORMAT_DATE('%Y%m%d', DATE_SUB(@run_date, INTERVAL @days DAY))
					AND FORMAT_DATE('%Y%m%d', @run_date)`
			params := map[string]any{"run_date": warehouse.Date{Year: 2020, Month: 12, Day: 31}, "days": int64(days - 1)}
			for b.Loop() {
				var n int64
				err := w.Read(context.Background(), warehouse.ReadRequest{SQL: q, Params: params}, func(batch warehouse.Batch) error {
					n = batch.Rows[0][0].(int64)
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				if n != int64(days*1000) {
					b.Fatalf("rows: %d, want %d", n, days*1000)
				}
			}
		})
	}
}
