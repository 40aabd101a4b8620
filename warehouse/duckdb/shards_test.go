package duckdb

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/warehouse"
)

// duckTables lists the tables and views DuckDB holds in a dataset, as kind:name.
func duckTables(t *testing.T, w *Warehouse, dataset string) []string {
	t.Helper()
	var out []string
	rows, err := w.db.QueryContext(context.Background(), `SELECT 'table:' || table_name FROM duckdb_tables() WHERE schema_name = ?
		UNION ALL SELECT 'view:' || view_name FROM duckdb_views() WHERE schema_name = ? ORDER BY 1`, dataset, dataset)
	if err != nil {
		t.Fatal(err)
	}
	err = scanRows(rows, func() error {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustQuery(t *testing.T, w *Warehouse, sql string, dest *warehouse.Ref) {
	t.Helper()
	if _, err := w.Query(context.Background(), warehouse.QueryJob{SQL: sql, Destination: dest}); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func ref(table string) *warehouse.Ref {
	return &warehouse.Ref{Project: "p", Dataset: "d", Table: table}
}

func TestShardStorage(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, w *Warehouse)
		want []string
	}{
		{"shards share their family's table", func(t *testing.T, w *Warehouse) {
			mustQuery(t, w, "SELECT 1 AS n", ref("e_20200101"))
			mustQuery(t, w, "SELECT 2 AS n", ref("e_20200102"))
			mustQuery(t, w, "SELECT 3 AS n", ref("other"))
		}, []string{"table:e__shards", "table:other", "view:e_20200101", "view:e_20200102"}},
		{"the last shard dropped drops the family's table", func(t *testing.T, w *Warehouse) {
			mustQuery(t, w, "SELECT 1 AS n", ref("e_20200101"))
			mustQuery(t, w, "SELECT 2 AS n", ref("e_20200102"))
			for _, s := range []string{"e_20200101", "e_20200102"} {
				if err := w.Drop(ctx, *ref(s)); err != nil {
					t.Fatal(err)
				}
			}
		}, nil},
		{"a shard with other columns is a table of its own", func(t *testing.T, w *Warehouse) {
			mustQuery(t, w, "SELECT 1 AS n", ref("e_20200101"))
			mustQuery(t, w, "SELECT 2 AS n", ref("e_20200102"))
			mustQuery(t, w, "SELECT 'x' AS s", ref("e_20200102"))
		}, []string{"table:e_20200102", "table:e__shards", "view:e_20200101"}},
		{"the only shard re-creates its family with other columns", func(t *testing.T, w *Warehouse) {
			mustQuery(t, w, "SELECT 1 AS n", ref("e_20200101"))
			mustQuery(t, w, "SELECT 'x' AS s", ref("e_20200101"))
			mustQuery(t, w, "SELECT 'y' AS s", ref("e_20200102"))
		}, []string{"table:e__shards", "view:e_20200101", "view:e_20200102"}},
		{"a shard that was a table joins its family when replaced", func(t *testing.T, w *Warehouse) {
			mustQuery(t, w, "CREATE TABLE `p.d.e_20200101` AS SELECT 1 AS n", nil)
			mustQuery(t, w, "SELECT 2 AS n", ref("e_20200102"))
			mustQuery(t, w, "SELECT 3 AS n", ref("e_20200101"))
		}, []string{"table:e__shards", "view:e_20200101", "view:e_20200102"}},
		{"a shard of a row group or more is a table of its own", func(t *testing.T, w *Warehouse) {
			mustQuery(t, w, "SELECT 1 AS n", ref("e_20200101"))
			mustQuery(t, w, "SELECT n FROM UNNEST(GENERATE_ARRAY(1, 130000)) AS n", ref("e_20200102"))
			mustQuery(t, w, "SELECT n FROM UNNEST(GENERATE_ARRAY(1, 130000)) AS n", ref("e_20200103"))
			mustQuery(t, w, "SELECT 3 AS n", ref("e_20200103"))
			var n int64
			err := w.Read(ctx, warehouse.ReadRequest{SQL: "SELECT COUNT(*) FROM `p.d.e_*`"}, func(b warehouse.Batch) error {
				n = b.Rows[0][0].(int64)
				return nil
			})
			if err != nil || n != 130002 {
				t.Errorf("rows of the shards: %d, %v; want 130002", n, err)
			}
		}, []string{"table:e_20200102", "table:e__shards", "view:e_20200101", "view:e_20200103"}},
		{"a failed write leaves no shard", func(t *testing.T, w *Warehouse) {
			_, err := w.Query(ctx, warehouse.QueryJob{SQL: "SELECT CAST('x' AS INT64) AS n", Destination: ref("e_20200101")})
			if err == nil {
				t.Fatal("a failing query succeeded")
			}
			if info, err := w.Table(ctx, *ref("e_20200101")); err != nil || info.State != warehouse.Missing {
				t.Fatalf("shard after a failed write: %+v, %v; want missing", info, err)
			}
			mustQuery(t, w, "SELECT 1 AS n", ref("e_20200101"))
		}, []string{"table:e__shards", "view:e_20200101"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := Open("")
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			tc.run(t, w)
			if d := cmp.Diff(tc.want, duckTables(t, w, "d")); d != "" {
				t.Errorf("DuckDB's tables mismatch (-want +got):\n%s", d)
			}
			var registered int
			if err := w.db.QueryRow("SELECT count(*) FROM " + registry).Scan(&registered); err != nil {
				t.Fatal(err)
			}
			views := 0
			for _, s := range tc.want {
				if strings.HasPrefix(s, "view:") {
					views++
				}
			}
			if registered != views {
				t.Errorf("registered shards: %d, want %d", registered, views)
			}
		})
	}
}

// TestCatalogReopened checks that a warehouse opened on an existing file sees the tables, shards and views
// that were written before, as the warehouse that wrote them did.
func TestCatalogReopened(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	schema := warehouse.Schema{{Name: "id", Type: warehouse.String, Mode: warehouse.Required}, {Name: "v", Type: warehouse.Float}}
	for _, d := range []string{"20200101", "20200102"} {
		if err := w.Insert(ctx, *ref("p_" + d), schema, []warehouse.Row{{"a", 1.0}, {"b", nil}}); err != nil {
			t.Fatal(err)
		}
	}
	mustQuery(t, w, "SELECT 1 AS n", ref("p_20200103"))
	mustQuery(t, w, "SELECT 2 AS n", ref("plain"))
	mustQuery(t, w, "CREATE VIEW `p.d.v` AS SELECT 1 AS n", nil)
	if err := w.Insert(ctx, *ref("p_20200104"), schema, nil); err != nil {
		t.Fatal(err)
	}
	ds := warehouse.Dataset{Project: "p", Dataset: "d"}
	list := func(w *Warehouse) []warehouse.TableInfo {
		infos, err := w.Tables(ctx, ds, "")
		if err != nil {
			t.Fatal(err)
		}
		return infos
	}
	const q = "SELECT _TABLE_SUFFIX AS s, COUNT(*) AS n FROM `p.d.p_*` GROUP BY s ORDER BY s"
	read := func(w *Warehouse) []warehouse.Row {
		var rows []warehouse.Row
		if err := w.Read(ctx, warehouse.ReadRequest{SQL: q}, func(b warehouse.Batch) error {
			rows = append(rows, b.Rows...)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return rows
	}
	before, beforeRows := list(w), read(w)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if d := cmp.Diff(before, list(w)); d != "" {
		t.Errorf("tables after reopening mismatch (-before +after):\n%s", d)
	}
	if d := cmp.Diff(beforeRows, read(w)); d != "" {
		t.Errorf("wildcard after reopening mismatch (-before +after):\n%s", d)
	}
	if len(before) != 6 {
		t.Errorf("tables: %d, want 6: %+v", len(before), before)
	}
}

// TestCatalogAfterScript checks that the catalog sees what a script created, changed and dropped.
func TestCatalogAfterScript(t *testing.T) {
	ctx := context.Background()
	w, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	mustQuery(t, w, "SELECT 1 AS n", ref("gone"))
	mustQuery(t, w, "SELECT 1 AS n", ref("s_20200101"))
	mustQuery(t, w, "CREATE TABLE `p.d.made` AS SELECT 1 AS n UNION ALL SELECT 2; DROP TABLE `p.d.gone`; "+
		"INSERT INTO `p.d.s_20200101` (n) VALUES (5)", nil)
	infos, err := w.Tables(ctx, warehouse.Dataset{Project: "p", Dataset: "d"}, "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, i := range infos {
		got[i.Ref.Table] = i.Rows
	}
	if d := cmp.Diff(map[string]int64{"made": 2, "s_20200101": 2}, got); d != "" {
		t.Errorf("tables after the script mismatch (-want +got):\n%s", d)
	}
}

// TestCommittedJobsSurviveACrash copies the database file and its write-ahead log while the warehouse is
// still open, as a crash would leave them, and checks that the copy holds every job that returned.
func TestCommittedJobsSurviveACrash(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.duckdb")
	w, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, d := range []string{"20200101", "20200102", "20200103"} {
		mustQuery(t, w, "SELECT '"+d+"' AS day", ref("e_"+d))
	}
	if err := w.Drop(ctx, *ref("e_20200102")); err != nil {
		t.Fatal(err)
	}
	crashed := filepath.Join(dir, "crashed.duckdb")
	for _, suffix := range []string{"", ".wal"} {
		b, err := os.ReadFile(path + suffix)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(crashed+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err := Open(crashed)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var got []warehouse.Row
	err = c.Read(ctx, warehouse.ReadRequest{SQL: "SELECT _TABLE_SUFFIX AS s, day FROM `p.d.e_*` ORDER BY s"}, func(b warehouse.Batch) error {
		got = append(got, b.Rows...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]warehouse.Row{{"20200101", "20200101"}, {"20200103", "20200103"}}, got); d != "" {
		t.Errorf("shards after the crash mismatch (-want +got):\n%s", d)
	}
	jobs, err := c.Jobs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 3 {
		t.Errorf("jobs after the crash: %d, want 3", len(jobs))
	}
}

// TestCatalogToleratesMissingViews checks that a shard whose view was dropped behind the warehouse's back is
// missing, and that the other shards still work.
func TestCatalogToleratesMissingViews(t *testing.T) {
	ctx := context.Background()
	w, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	mustQuery(t, w, "SELECT 1 AS n", ref("e_20200101"))
	mustQuery(t, w, "SELECT 2 AS n", ref("e_20200102"))
	if _, err := w.db.ExecContext(ctx, `DROP VIEW d."e_20200101"`); err != nil {
		t.Fatal(err)
	}
	w.cat.invalidate()
	if info, err := w.Table(ctx, *ref("e_20200101")); err != nil || info.State != warehouse.Missing {
		t.Errorf("shard without its view: %+v, %v; want missing", info, err)
	}
	if info, err := w.Table(ctx, *ref("e_20200102")); err != nil || info.Rows != 1 {
		t.Errorf("other shard: %+v, %v; want one row", info, err)
	}
	mustQuery(t, w, "SELECT 3 AS n", ref("e_20200101"))
	var got []warehouse.Row
	err = w.Read(ctx, warehouse.ReadRequest{SQL: "SELECT _TABLE_SUFFIX AS s, n FROM `p.d.e_*` ORDER BY s"}, func(b warehouse.Batch) error {
		got = append(got, b.Rows...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]warehouse.Row{{"20200101", int64(3)}, {"20200102", int64(2)}}, got); d != "" {
		t.Errorf("shards after writing the one without its view again mismatch (-want +got):\n%s", d)
	}
	var registered int
	if err := w.db.QueryRow("SELECT count(*) FROM " + registry).Scan(&registered); err != nil {
		t.Fatal(err)
	}
	if registered != 2 {
		t.Errorf("registered shards: %d, want 2", registered)
	}
}
