package warehousetest

import (
	"time"

	"github.com/pltv/pltv/warehouse"
)

var queryTests = []test{
	{name: "WriteTruncateReplaces", needs: needsSQL, run: func(h *harness) {
		const q = "SELECT n FROM UNNEST([1, 2, 3]) AS n"
		h.into("out_20200101", q, "")
		res := h.into("out_20200101", q, warehouse.WriteTruncate)
		h.diff("rows after the re-run", int64(3), res.Rows)
		h.diff("table", rowsOf(int64(1), int64(2), int64(3)), h.tableRows("out_20200101"))
	}},
	{name: "WriteTruncateReplacesSchema", needs: needsSQL, run: func(h *harness) {
		h.into("out", "SELECT 1 AS a, 'x' AS b", "")
		h.into("out", "SELECT 2.5 AS c", "")
		schema, rows := h.read(warehouse.ReadRequest{Table: ptr(h.ref("out"))})
		h.diff("schema", warehouse.Schema{{Name: "c", Type: warehouse.Float, Mode: warehouse.Nullable}}, schema)
		h.diff("rows", rowsOf(2.5), rows)
	}},
	{name: "TruncateFromItself", needs: needsSQL, run: func(h *harness) {
		h.insert("t", numbers, seq(4)...)
		h.into("t", "SELECT n * 10 AS n FROM {t} WHERE n > 2", warehouse.WriteTruncate)
		h.diff("table", rowsOf(int64(30), int64(40)), h.tableRows("t"))
	}},
	{name: "ShardTruncateFromItself", needs: needsSQL, run: func(h *harness) {
		h.insert("t_20200101", numbers, seq(4)...)
		h.insert("t_20200102", numbers, seq(2)...)
		h.into("t_20200101", "SELECT n * 10 AS n FROM {t_20200101} WHERE n > 2", warehouse.WriteTruncate)
		h.diff("table", rowsOf(int64(30), int64(40)), h.tableRows("t_20200101"))
		h.into("t_20200102", "SELECT n + 1 AS n FROM {t_*} WHERE _TABLE_SUFFIX <= '20200102'", warehouse.WriteTruncate)
		h.diff("from a wildcard table", rowsOf(int64(2), int64(3), int64(31), int64(41)), h.tableRows("t_20200102"))
	}},
	{name: "ShardWriteAppendAndEmpty", needs: needsSQL, run: func(h *harness) {
		h.into("out_20200101", "SELECT n FROM UNNEST([1, 2]) AS n", warehouse.WriteAppend)
		res := h.into("out_20200101", "SELECT n FROM UNNEST([3]) AS n", warehouse.WriteAppend)
		h.diff("rows", int64(3), res.Rows)
		h.into("out_20200102", "SELECT 5 AS n", warehouse.WriteEmpty)
		dest := h.ref("out_20200102")
		if _, err := h.w.Query(h.ctx, warehouse.QueryJob{SQL: "SELECT 6 AS n", Destination: &dest, Write: warehouse.WriteEmpty}); err == nil {
			h.Error("WRITE_EMPTY into a shard with rows succeeded")
		}
		h.diff("shards", rowsOf(int64(1), int64(2), int64(3), int64(5)), h.selectRows("SELECT n FROM {out_*} ORDER BY n", nil))
	}},
	{name: "ScriptChangesShard", needs: needsSQL, run: func(h *harness) {
		h.into("s_20200101", "SELECT n FROM UNNEST([1, 2, 3]) AS n", "")
		h.into("s_20200102", "SELECT 4 AS n", "")
		h.query(warehouse.QueryJob{SQL: "DELETE FROM {s_20200101} WHERE n = 2;\nINSERT INTO {s_20200101} (n) VALUES (10)"})
		h.diff("shard changed by a script", rowsOf(int64(1), int64(3), int64(10)), h.tableRows("s_20200101"))
		h.diff("through the wildcard table", rowsOf(int64(1), int64(3), int64(4), int64(10)),
			h.selectRows("SELECT n FROM {s_*} ORDER BY n", nil))
		h.into("s_20200101", "SELECT 8 AS n", "")
		h.query(warehouse.QueryJob{SQL: "DROP TABLE {s_20200102}"})
		h.diff("after the script", rowsOf(int64(8)), h.selectRows("SELECT n FROM {s_*} ORDER BY n", nil))
	}},
	{name: "WriteAppendAppends", needs: needsSQL, run: func(h *harness) {
		h.into("out", "SELECT n FROM UNNEST([1, 2]) AS n", warehouse.WriteAppend)
		res := h.into("out", "SELECT n FROM UNNEST([3]) AS n", warehouse.WriteAppend)
		h.diff("rows", int64(3), res.Rows)
		h.diff("table", rowsOf(int64(1), int64(2), int64(3)), h.tableRows("out"))
	}},
	{name: "WriteEmpty", needs: needsSQL, run: func(h *harness) {
		h.into("out", "SELECT 1 AS n", warehouse.WriteEmpty)
		dest := h.ref("out")
		_, err := h.w.Query(h.ctx, warehouse.QueryJob{SQL: "SELECT 2 AS n", Destination: &dest, Write: warehouse.WriteEmpty})
		if err == nil {
			h.Fatal("WRITE_EMPTY into a table with rows succeeded")
		}
		h.diff("table after the refused write", rowsOf(int64(1)), h.tableRows("out"))
	}},
	{name: "FailedQueryKeepsTable", needs: needsSQL, run: func(h *harness) {
		h.into("out", "SELECT n FROM UNNEST([1, 2]) AS n", "")
		dest := h.ref("out")
		_, err := h.w.Query(h.ctx, warehouse.QueryJob{
			SQL:         "SELECT CAST(s AS INT64) AS n FROM UNNEST(['3', 'not a number']) AS s",
			Destination: &dest,
		})
		if err == nil {
			h.Fatal("a query failing at run time succeeded")
		}
		h.diff("table after the failed query", rowsOf(int64(1), int64(2)), h.tableRows("out"))
	}},
	{name: "JobResult", needs: needsSQL, run: func(h *harness) {
		labels := warehouse.JobLabels("demo", "prepare", "20200101")
		dest := h.ref("prepared_daily_transactions_20200101")
		job := warehouse.QueryJob{SQL: "SELECT n FROM UNNEST([1, 2]) AS n", Destination: &dest, Labels: labels}
		a, err := h.w.Query(h.ctx, job)
		if err != nil {
			h.Fatal(err)
		}
		b := h.query(job)
		h.diff("result", warehouse.JobResult{ID: a.ID, Destination: dest, Rows: 2, Labels: labels}, a)
		if a.ID == "" || a.ID == b.ID {
			h.Errorf("job ids %q and %q: want unique, non-empty", a.ID, b.ID)
		}
	}},
	{name: "ShardedNames", needs: needsSQL, run: func(h *harness) {
		for _, d := range []string{"20200101", "20200102"} {
			h.into("all_daily_transactions_"+d, "SELECT '"+d+"' AS day", "")
		}
		h.diff("shard", []warehouse.Row{{"20200102"}}, h.tableRows("all_daily_transactions_20200102"))
		name, date, ok := warehouse.SplitShard(h.ref("all_daily_transactions_20200102").Table)
		h.diff("split", []any{"all_daily_transactions", "20200102", true}, []any{name, date, ok})
	}},
	{name: "Parameters", needs: needsSQL, run: func(h *harness) {
		runTime := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
		got := h.selectRows(`SELECT @run_date AS d, @run_time AS t, @name AS s, @n AS n, @x AS x, @ok AS b,
			DATE_SUB(@run_date, INTERVAL 1 DAY) AS prev`,
			map[string]any{"run_date": warehouse.Date{Year: 2020, Month: 1, Day: 2}, "run_time": runTime,
				"name": "it's", "n": int64(7), "x": 1.5, "ok": true})
		h.diff("row", []warehouse.Row{{warehouse.Date{Year: 2020, Month: 1, Day: 2}, runTime, "it's", int64(7), 1.5, true,
			warehouse.Date{Year: 2020, Month: 1, Day: 1}}}, got)
	}},
	{name: "ScriptWithoutDestination", needs: needsSQL, run: func(h *harness) {
		h.query(warehouse.QueryJob{SQL: `
			CREATE OR REPLACE TABLE {script} AS SELECT n FROM UNNEST([1, 2, 3]) AS n;
			DELETE FROM {script} WHERE n = 2;
			INSERT INTO {script} (n) VALUES (10)`})
		h.diff("table", rowsOf(int64(1), int64(3), int64(10)), h.tableRows("script"))
	}},
	{name: "DMLRowCount", needs: needsSQL, run: func(h *harness) {
		h.insert("t", numbers, seq(5)...)
		res := h.query(warehouse.QueryJob{SQL: "UPDATE {t} SET n = n * 10 WHERE n > 2"})
		h.diff("affected rows", int64(3), res.Rows)
	}},
	{name: "ResultTypes", needs: needsSQL, run: func(h *harness) {
		h.into("typed", `SELECT 'a' AS s, 1 AS i, SUM(x) AS total, 1.5 AS f, TRUE AS b, DATE '2020-01-02' AS d,
			TIMESTAMP '2020-01-02 03:04:05+00' AS t FROM UNNEST([1, 2]) AS x`, "")
		schema, rows := h.read(warehouse.ReadRequest{Table: ptr(h.ref("typed"))})
		n := warehouse.Nullable
		h.diff("schema", warehouse.Schema{{Name: "s", Type: warehouse.String, Mode: n}, {Name: "i", Type: warehouse.Integer, Mode: n},
			{Name: "total", Type: warehouse.Integer, Mode: n}, {Name: "f", Type: warehouse.Float, Mode: n},
			{Name: "b", Type: warehouse.Boolean, Mode: n}, {Name: "d", Type: warehouse.DateType, Mode: n},
			{Name: "t", Type: warehouse.Timestamp, Mode: n}}, schema)
		h.diff("rows", []warehouse.Row{{"a", int64(1), int64(3), 1.5, true, warehouse.Date{Year: 2020, Month: 1, Day: 2},
			time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)}}, rows)
	}},
	{name: "DivisionIsFloat", needs: needsSQL, run: func(h *harness) {
		h.diff("7 / 2", []warehouse.Row{{3.5, 2.0}}, h.selectRows("SELECT 7 / 2, 6 / 3", nil))
	}},
}

func ptr[T any](v T) *T { return &v }
