package duckdb

import (
	"context"
	"database/sql"
	"fmt"
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

// expanded returns what the query's wildcard table expands to.
func expanded(t *testing.T, w *Warehouse, q string, params map[string]any) string {
	t.Helper()
	p, err := newParams(params, w.now())
	if err != nil {
		t.Fatal(err)
	}
	tr, err := googlesql.Translate(q, googlesql.Options{Params: p.types})
	if err != nil {
		t.Fatal(err)
	}
	var union string
	err = w.conn(context.Background(), func(c *sql.Conn) error {
		if err := w.cat.ensure(context.Background(), c); err != nil {
			return err
		}
		union, err = w.wildcardUnion(context.Background(), c, tr.Wildcards[0], p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return union
}

func TestWildcardPruning(t *testing.T) {
	w, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	shardDays(t, w, 10, 1)
	// A table of its own whose name the wildcard matches too.
	if _, err := w.Query(context.Background(), warehouse.QueryJob{SQL: "CREATE TABLE `p.d.events_x` AS SELECT 'c' AS customer"}); err != nil {
		t.Fatal(err)
	}
	runDate := map[string]any{"run_date": warehouse.Date{Year: 2020, Month: 12, Day: 31}}
	const family = `SELECT "customer", "value", _shard AS _TABLE_SUFFIX FROM "d"."events__shards"`
	tests := []struct {
		name   string
		query  string
		params map[string]any
		want   string
	}{
		{"BETWEEN constants", "SELECT * FROM `p.d.events_*` WHERE _TABLE_SUFFIX BETWEEN '20201229' AND '20201230'", nil,
			"(" + family + " WHERE _shard BETWEEN '20201229' AND '20201230')"},
		{"parameters and functions", `SELECT * FROM ` + "`p.d.events_*`" + ` AS e
			WHERE e._TABLE_SUFFIX > FORMAT_DATE('%Y%m%d', DATE_SUB(@run_date, INTERVAL 2 DAY)) AND e.value >= 0`, runDate,
			`(SELECT *, 'x' AS _TABLE_SUFFIX FROM "d"."events_x" UNION ALL BY NAME ` + family + " WHERE _shard BETWEEN '20201230' AND '20201231')"},
		{"equality with other filters", "SELECT * FROM `p.d.events_*` WHERE value > 0 AND _TABLE_SUFFIX = '20201225'", nil,
			"(" + family + " WHERE _shard = '20201225')"},
		{"ranges", "SELECT * FROM `p.d.events_*` WHERE _TABLE_SUFFIX IN ('20201222', '20201223', '20201225')", nil,
			"(" + family + " WHERE _shard BETWEEN '20201222' AND '20201223' OR _shard = '20201225')"},
		{"filter on a column is not used", "SELECT * FROM `p.d.events_*` WHERE _TABLE_SUFFIX > customer", nil,
			`(SELECT *, 'x' AS _TABLE_SUFFIX FROM "d"."events_x" UNION ALL BY NAME ` + family + ")"},
		{"nothing left", "SELECT * FROM `p.d.events_*` WHERE _TABLE_SUFFIX < '2000'", nil,
			`(SELECT *, CAST(NULL AS VARCHAR) AS _TABLE_SUFFIX FROM "d"."events_x" WHERE false)`},
		{"prefix shorter than the name", "SELECT * FROM `p.d.event*` WHERE _TABLE_SUFFIX >= 's_20201231'", nil,
			`(SELECT *, 's_x' AS _TABLE_SUFFIX FROM "d"."events_x" UNION ALL BY NAME ` +
				`SELECT "customer", "value", 's_' || _shard AS _TABLE_SUFFIX FROM "d"."events__shards" WHERE _shard = '20201231')`},
		{"prefix inside the date", "SELECT * FROM `p.d.events_2020123*`", nil,
			`(SELECT "customer", "value", substr(_shard, 8) AS _TABLE_SUFFIX FROM "d"."events__shards" WHERE _shard BETWEEN '20201230' AND '20201231')`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, expanded(t, w, tc.query, tc.params)); d != "" {
				t.Errorf("expansion mismatch (-want +got):\n%s", d)
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
