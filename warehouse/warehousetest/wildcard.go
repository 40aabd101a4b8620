package warehousetest

import (
	"errors"
	"strings"

	"github.com/pltv/pltv/warehouse"
)

// shards writes the tables events_<day> for the days, each with one row holding the day as a number, and a
// table that does not match the prefix.
func (h *harness) shards(days ...string) {
	h.Helper()
	for i, d := range days {
		h.insert("events_"+d, warehouse.Schema{{Name: "n", Type: warehouse.Integer}, {Name: "day", Type: warehouse.String}},
			warehouse.Row{int64(i + 1), d})
	}
	h.insert("eventsx", numbers, warehouse.Row{int64(100)})
}

var wildcardTests = []test{
	{name: "UnionWithSuffix", needs: needsSQL, run: func(h *harness) {
		h.shards("20200101", "20200102", "20200103")
		got := h.selectRows("SELECT _TABLE_SUFFIX AS s, n FROM {events_*} ORDER BY s", nil)
		h.diff("rows", []warehouse.Row{{"20200101", int64(1)}, {"20200102", int64(2)}, {"20200103", int64(3)}}, got)
	}},
	{name: "SuffixRange", needs: needsSQL, run: func(h *harness) {
		h.shards("20200101", "20200102", "20200103", "20200104", "20200105")
		got := h.selectRows("SELECT n FROM {events_*} WHERE _TABLE_SUFFIX BETWEEN '20200102' AND '20200104' ORDER BY n", nil)
		h.diff("BETWEEN", rowsOf(int64(2), int64(3), int64(4)), got)
		got = h.selectRows("SELECT n FROM {events_*} WHERE _TABLE_SUFFIX >= '20200104' AND n > 0 ORDER BY n", nil)
		h.diff(">=", rowsOf(int64(4), int64(5)), got)
		got = h.selectRows("SELECT n FROM {events_*} WHERE _TABLE_SUFFIX = '20200103'", nil)
		h.diff("=", rowsOf(int64(3)), got)
		got = h.selectRows("SELECT n FROM {events_*} WHERE _TABLE_SUFFIX IN ('20200101', '20200105') ORDER BY n", nil)
		h.diff("IN", rowsOf(int64(1), int64(5)), got)
	}},
	{name: "SuffixFromParameter", needs: needsSQL, run: func(h *harness) {
		h.shards("20200101", "20200102", "20200103", "20200104")
		got := h.selectRows(`SELECT e.n FROM {events_*} AS e
			WHERE e._TABLE_SUFFIX BETWEEN FORMAT_DATE('%Y%m%d', DATE_SUB(@run_date, INTERVAL 2 DAY))
				AND FORMAT_DATE('%Y%m%d', DATE_SUB(@run_date, INTERVAL 1 DAY))
			ORDER BY e.n`, map[string]any{"run_date": warehouse.Date{Year: 2020, Month: 1, Day: 4}})
		h.diff("rows", rowsOf(int64(2), int64(3)), got)
	}},
	{name: "StarLeavesOutSuffix", needs: needsSQL, run: func(h *harness) {
		h.shards("20200101")
		schema, _ := h.read(warehouse.ReadRequest{SQL: "SELECT * FROM {events_*} WHERE _TABLE_SUFFIX = '20200101'"})
		names := make([]string, len(schema))
		for i, f := range schema {
			names[i] = f.Name
		}
		h.diff("columns", []string{"n", "day"}, names)
	}},
	{name: "PrunedToNothing", needs: needsSQL, run: func(h *harness) {
		h.shards("20200101")
		got := h.selectRows("SELECT n FROM {events_*} WHERE _TABLE_SUFFIX > '2021'", nil)
		h.diff("rows", []warehouse.Row(nil), got)
	}},
	{name: "IntoDestination", needs: needsSQL, run: func(h *harness) {
		h.shards("20200101", "20200102")
		h.into("merged", "SELECT * FROM {events_*}", "")
		h.diff("table", []warehouse.Row{{int64(1), "20200101"}, {int64(2), "20200102"}}, h.tableRows("merged"))
	}},
	{name: "NoMatchingTable", needs: needsSQL, run: func(h *harness) {
		h.shards("20200101")
		err := h.w.Read(h.ctx, warehouse.ReadRequest{SQL: h.sql("SELECT n FROM {nothing_*}")}, func(warehouse.Batch) error { return nil })
		if !errors.Is(err, warehouse.ErrNotFound) || !strings.Contains(err.Error(), "nothing_") {
			h.Errorf("wildcard matching no table: got %v, want an error wrapping ErrNotFound naming nothing_*", err)
		}
	}},
	{name: "PrefixInsideTheDate", needs: needsSQL, run: func(h *harness) {
		h.shards("20200101", "20200102", "20200111")
		got := h.selectRows("SELECT _TABLE_SUFFIX AS s, n FROM {events_2020010*} ORDER BY s", nil)
		h.diff("rows", []warehouse.Row{{"1", int64(1)}, {"2", int64(2)}}, got)
		got = h.selectRows("SELECT _TABLE_SUFFIX AS s FROM {event*} WHERE _TABLE_SUFFIX > 's_20200101' ORDER BY s", nil)
		h.diff("shorter prefix", []warehouse.Row{{"s_20200102"}, {"s_20200111"}, {"sx"}}, got)
	}},
	{name: "DroppedShardIsGone", needs: needsSQL, run: func(h *harness) {
		h.shards("20200101", "20200102", "20200103")
		if err := h.w.Drop(h.ctx, h.ref("events_20200102")); err != nil {
			h.Fatal(err)
		}
		got := h.selectRows("SELECT _TABLE_SUFFIX AS s FROM {events_*} ORDER BY s", nil)
		h.diff("shards left", []warehouse.Row{{"20200101"}, {"20200103"}}, got)
		if st, _ := h.state("events_20200102"); st != warehouse.Missing {
			h.Errorf("dropped shard: %v, want missing", st)
		}
		h.into("events_20200102", "SELECT 7 AS n, 'again' AS day", "")
		h.diff("shard written again", []warehouse.Row{{int64(7), "again"}}, h.tableRows("events_20200102"))
	}},
	{name: "ShardsWithOtherColumns", needs: needsSQL, run: func(h *harness) {
		h.shards("20200101", "20200102")
		h.into("events_20200103", "SELECT 3 AS n, '20200103' AS day, 1.5 AS extra", "")
		got := h.selectRows("SELECT _TABLE_SUFFIX AS s, n FROM {events_*} ORDER BY s", nil)
		h.diff("rows", []warehouse.Row{{"20200101", int64(1)}, {"20200102", int64(2)}, {"20200103", int64(3)}}, got)
		info, err := h.w.Table(h.ctx, h.ref("events_20200103"))
		if err != nil {
			h.Fatal(err)
		}
		h.diff("columns of the shard with other columns", 3, len(info.Schema))
		info, err = h.w.Table(h.ctx, h.ref("events_20200101"))
		if err != nil {
			h.Fatal(err)
		}
		h.diff("columns of a shard", 2, len(info.Schema))
		h.into("events_20200101", "SELECT 'one' AS day", "")
		h.diff("shard replaced with other columns", []warehouse.Row{{"one"}}, h.tableRows("events_20200101"))
		h.diff("other shard", []warehouse.Row{{int64(2), "20200102"}}, h.tableRows("events_20200102"))
	}},
}
