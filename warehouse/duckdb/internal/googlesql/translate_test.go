package googlesql

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/warehouse"
)

var testParams = Options{Params: map[string]string{"run_date": "DATE", "run_time": "TIMESTAMP", "name": "VARCHAR"}}

func translateOne(t *testing.T, sql string) string {
	t.Helper()
	r, err := Translate(sql, testParams)
	if err != nil {
		t.Fatalf("Translate(%q): %v", sql, err)
	}
	if len(r.Statements) != 1 {
		t.Fatalf("Translate(%q): %d statements, want 1", sql, len(r.Statements))
	}
	return r.Statements[0].SQL
}

func TestTranslate(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"backtick table", "SELECT a FROM `my-project.ds.t`", `SELECT a FROM "ds"."t"`},
		{"split backticks", "SELECT a FROM `p`.`ds`.`t` AS x", `SELECT a FROM "ds"."t" AS x`},
		{"dataset.table", "SELECT a FROM ds.t JOIN ds.u USING (a)", `SELECT a FROM "ds"."t" JOIN "ds"."u" USING (a)`},
		{"comma join", "SELECT 1 FROM ds.t, ds.u WHERE TRUE", `SELECT 1 FROM "ds"."t", "ds"."u" WHERE TRUE`},
		{"column path", "SELECT `t.a`, t.b FROM t", `SELECT "t"."a", t.b FROM t`},
		{"double-quoted string", `SELECT "it's"`, `SELECT 'it''s'`},
		{"escapes", `SELECT 'a\tb\\'`, "SELECT 'a\tb\\'"},
		{"raw string", `SELECT r'\d+'`, `SELECT '\d+'`},
		{"float literal", "SELECT 1.5, .5, 2", "SELECT CAST(1.5 AS DOUBLE), CAST(0.5 AS DOUBLE), 2"},
		{"parameters", "SELECT @run_date, @RUN_TIME, @name", "SELECT CAST($run_date AS DATE), CAST($run_time AS TIMESTAMP), CAST($name AS VARCHAR)"},
		{"cast types", "SELECT CAST(a AS FLOAT64), CAST(b AS NUMERIC), SAFE_CAST(c AS DATE), CAST(d AS BOOL)",
			"SELECT CAST(a AS DOUBLE), CAST(b AS DECIMAL(38,9)), TRY_CAST(c AS DATE), CAST(d AS BOOLEAN)"},
		{"cast int64", "SELECT CAST(x AS INT64), SAFE_CAST(x AS INT64)", "SELECT pltv_int64(x), pltv_safe_int64(x)"},
		{"date literal", "SELECT DATE '2020-01-01'", "SELECT CAST('2020-01-01' AS DATE)"},
		{"except", "SELECT * EXCEPT (a, b) FROM t", "SELECT * EXCLUDE (a, b) FROM t"},
		{"replace", "SELECT * REPLACE (a + 1 AS a) FROM t", "SELECT * REPLACE (a + 1 AS a) FROM t"},
		{"qualified star", "SELECT t.* EXCEPT (a) FROM t", "SELECT t.* EXCLUDE (a) FROM t"},
		{"multiplication", "SELECT a * b, COUNT(*) FROM t", "SELECT a * b, COUNT(*) FROM t"},
		{"set operation", "SELECT 1 EXCEPT DISTINCT SELECT 2", "SELECT 1 EXCEPT DISTINCT SELECT 2"},
		{"date_sub", "SELECT DATE_SUB(@run_date, INTERVAL 30 DAY)", "SELECT CAST(CAST(CAST($run_date AS DATE) AS DATE) - INTERVAL (30) DAY AS DATE)"},
		{"date_diff argument order", "SELECT DATE_DIFF(a, b, MONTH)", "SELECT date_diff('MONTH', CAST(b AS DATE), CAST(a AS DATE))"},
		{"if", "SELECT IF(a > 1, 'x', 'y')", "SELECT (CASE WHEN a > 1 THEN 'x' ELSE 'y' END)"},
		{"countif", "SELECT COUNTIF(a > 1) FROM t", "SELECT count(CASE WHEN a > 1 THEN 1 END) FROM t"},
		{"safe_divide", "SELECT SAFE_DIVIDE(a, b)", "SELECT (a / NULLIF(b, 0))"},
		{"format_date", "SELECT FORMAT_DATE('%Y%m%d', d)", "SELECT strftime(d, '%Y%m%d')"},
		{"parse_date", "SELECT PARSE_DATE('%F', s)", "SELECT CAST(strptime(s, '%Y-%m-%d') AS DATE)"},
		{"extract dayofweek", "SELECT EXTRACT(DAYOFWEEK FROM d)", "SELECT (dayofweek(d) + 1)"},
		{"offset", "SELECT arr[OFFSET(1)], arr[ORDINAL(1)]", "SELECT arr[(1) + 1], arr[1]"},
		{"in unnest", "SELECT 1 IN UNNEST(@name)", "SELECT 1 IN (SELECT unnest(CAST($name AS VARCHAR)))"},
		{"unnest alias", "SELECT x FROM UNNEST([1, 2]) AS x", `SELECT x FROM UNNEST([1, 2]) AS "x"("x")`},
		{"current_date", "SELECT CURRENT_DATE()", "SELECT CAST(CAST($pltv_now AS TIMESTAMP) AS DATE)"},
		{"comments", "SELECT 1 -- one\n# two\n/* three */ + 2", "SELECT 1  \n \n  + 2"},
		{"insert without into", "INSERT ds.t (a) VALUES (1)", `INSERT INTO "ds"."t" (a) VALUES (1)`},
		{"delete without from", "DELETE ds.t WHERE a = 1", `DELETE FROM "ds"."t" WHERE a = 1`},
		{"create table columns", "CREATE TABLE `p.ds.t` (\n  a STRING NOT NULL,\n  `b` NUMERIC(10, 2) OPTIONS(description = 'x'),\n  c ARRAY<INT64>\n)",
			"CREATE TABLE \"ds\".\"t\" (a VARCHAR NOT NULL, \"b\" DECIMAL(10,2), c BIGINT[])\n\n\n\n"},
		{"create table options", "CREATE OR REPLACE TABLE ds.t\nPARTITION BY d\nOPTIONS (x = 'y') AS SELECT 1 AS a",
			"CREATE OR REPLACE TABLE \"ds\".\"t\"\n      \n    AS SELECT 1 AS a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := translateOne(t, tc.in)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Translate(%q) mismatch (-want +got):\n%s", tc.in, d)
			}
		})
	}
}

// TestKeepsLines checks that every statement keeps the line structure of the source, so that DuckDB's line
// numbers are the user's.
func TestKeepsLines(t *testing.T) {
	for _, sql := range []string{
		"SELECT\n  IF(a,\n     b,\n     c) AS x,\n  GREATEST(a,\n    b)\nFROM t",
		"SELECT \"\"\"multi\nline\"\"\"\n, '''tri\nple'''\nFROM t",
		"SELECT FORMAT_DATE('%e %Y',\n  DATE_SUB(d,\n    INTERVAL 1 DAY))\nFROM t -- note\nWHERE x",
		"SELECT REGEXP_EXTRACT(\n  s,\n  r'(a)')\nFROM t",
		"SELECT * EXCEPT (\n  a,\n  b)\nFROM `p.d.t_*`\nWHERE _TABLE_SUFFIX\n  BETWEEN '1' AND '2'",
	} {
		r, err := Translate(sql, testParams)
		if err != nil {
			t.Fatalf("Translate(%q): %v", sql, err)
		}
		if got, want := strings.Count(r.Statements[0].SQL, "\n"), strings.Count(sql, "\n"); got != want {
			t.Errorf("Translate(%q) = %q: %d lines, want %d", sql, r.Statements[0].SQL, got, want)
		}
	}
}

func TestStatements(t *testing.T) {
	r, err := Translate("CREATE TABLE ds.a AS SELECT 1 AS x;\n\nINSERT INTO ds.a SELECT @run_date;\nSELECT * FROM ds.a;", testParams)
	if err != nil {
		t.Fatal(err)
	}
	var got []Statement
	for _, s := range r.Statements {
		got = append(got, Statement{Kind: s.Kind, Line: s.Line, Params: s.Params})
		if !strings.HasPrefix(s.SQL, strings.Repeat("\n", s.Line-1)) {
			t.Errorf("statement at line %d does not start with %d newlines: %q", s.Line, s.Line-1, s.SQL)
		}
	}
	want := []Statement{{Kind: "CREATE", Line: 1}, {Kind: "INSERT", Line: 3, Params: []string{"run_date"}}, {Kind: "SELECT", Line: 4}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("statements mismatch (-want +got):\n%s", d)
	}
	wantTables := []Table{{Dataset: "ds", Name: "a", Line: 1, Created: true}, {Dataset: "ds", Name: "a", Line: 3}, {Dataset: "ds", Name: "a", Line: 4}}
	if d := cmp.Diff(wantTables, r.Tables); d != "" {
		t.Errorf("tables mismatch (-want +got):\n%s", d)
	}
}

func TestWildcard(t *testing.T) {
	r, err := Translate("SELECT *\nFROM `proj.ds.events_*` AS e\nWHERE e._TABLE_SUFFIX BETWEEN FORMAT_DATE('%Y%m%d', @run_date) AND '20201231'\n"+
		"  AND amount > 0 AND (_TABLE_SUFFIX = 'x' OR TRUE)", testParams)
	if err != nil {
		t.Fatal(err)
	}
	want := []Wildcard{{
		Marker: "__pltv_wildcard_0__", Project: "proj", Dataset: "ds", Prefix: "events_", Alias: "e", Line: 2,
		Filters: []string{
			"e._TABLE_SUFFIX BETWEEN strftime(CAST($run_date AS DATE), '%Y%m%d') AND '20201231'",
			"(_TABLE_SUFFIX = 'x' OR TRUE)",
		},
	}}
	if d := cmp.Diff(want, r.Wildcards); d != "" {
		t.Errorf("wildcards mismatch (-want +got):\n%s", d)
	}
	if got := r.Statements[0].SQL; !strings.HasPrefix(got, "SELECT * EXCLUDE (_TABLE_SUFFIX)\nFROM __pltv_wildcard_0__ AS e") {
		t.Errorf("SQL %q: want the star to leave out _TABLE_SUFFIX and the marker in place of the table", got)
	}
	if d := cmp.Diff([]string{"run_date"}, r.Statements[0].Params); d != "" {
		t.Errorf("params mismatch (-want +got):\n%s", d)
	}
}

func TestUnsupported(t *testing.T) {
	tests := []struct {
		name, sql, construct string
		line                 int
	}{
		{"ML.PREDICT", "SELECT *\nFROM ML.PREDICT(MODEL `p.d.m`, TABLE t)", "ML.PREDICT", 2},
		{"ML function", "SELECT\n\n  ML.STANDARD_SCALER(x) OVER ()", "ML.STANDARD_SCALER", 3},
		{"NET", "SELECT NET.HOST(url)", "NET.HOST", 1},
		{"time travel", "SELECT *\nFROM ds.t\n  FOR SYSTEM_TIME AS OF TIMESTAMP '2020-01-01'", "FOR SYSTEM_TIME", 3},
		{"SAFE prefix", "SELECT SAFE.SUBSTR('a', 1)", "SAFE.", 1},
		{"STRUCT literal", "SELECT\n  STRUCT(1 AS a)", "STRUCT", 2},
		{"STRUCT type", "SELECT CAST(x AS ARRAY<STRUCT<a INT64>>)", "ARRAY", 1},
		{"DECLARE", "DECLARE x INT64 DEFAULT 1;\nSELECT x", "DECLARE", 1},
		{"BEGIN", "SELECT 1;\nBEGIN\n  SELECT 2;\nEND", "BEGIN", 2},
		{"CREATE FUNCTION", "CREATE TEMP FUNCTION f(x INT64) AS (x)", "CREATE FUNCTION", 1},
		{"system variable", "SELECT @@project_id", "@@project_id", 1},
		{"WITH OFFSET", "SELECT x FROM UNNEST([1]) AS x WITH OFFSET AS o", "WITH OFFSET", 1},
		{"format element", "SELECT PARSE_DATE('%Q', s)", "%Q", 1},
		{"non-literal format", "SELECT PARSE_DATE(f, s)", "string literal", 1},
		{"INFORMATION_SCHEMA", "SELECT * FROM ds.INFORMATION_SCHEMA.TABLES", "INFORMATION_SCHEMA", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Translate(tc.sql, testParams)
			var ue *warehouse.UnsupportedError
			if !errors.As(err, &ue) {
				t.Fatalf("Translate(%q): %v, want an UnsupportedError", tc.sql, err)
			}
			if !strings.Contains(ue.Construct, tc.construct) || ue.Line != tc.line {
				t.Errorf("Translate(%q): %q at line %d, want %q at line %d", tc.sql, ue.Construct, ue.Line, tc.construct, tc.line)
			}
		})
	}
}

func TestSQLErrors(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		line int
	}{
		{"SELECT (1", 1},
		{"SELECT 1)\n", 1},
		{"SELECT\n'unterminated", 2},
		{"SELECT\n\n@missing", 3},
		{"SELECT DATE_DIFF(a, b, FORTNIGHT)", 1},
	} {
		_, err := Translate(tc.sql, testParams)
		var se *warehouse.SQLError
		if !errors.As(err, &se) || se.Line != tc.line {
			t.Errorf("Translate(%q): %v, want a SQLError at line %d", tc.sql, err, tc.line)
		}
	}
}

// FuzzTranslate checks that any input is translated or refused with an error, never a panic, and that a
// translation keeps the lines.
func FuzzTranslate(f *testing.F) {
	for _, s := range []string{
		"SELECT * EXCEPT(a) FROM `p.d.t_*` WHERE _TABLE_SUFFIX > '1'",
		"SELECT IF(a, DATE_ADD(d, INTERVAL 1 DAY), NULL), 'x\\n', r\"y\", b'\\x00'",
		"CREATE OR REPLACE TABLE d.t AS SELECT ARRAY_AGG(x IGNORE NULLS ORDER BY y LIMIT 1)[OFFSET(0)] FROM u",
		"SELECT EXTRACT(WEEK(MONDAY) FROM d), FORMAT_TIMESTAMP('%E3S', t), /* c */ 1 # d",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		r, err := Translate(sql, testParams)
		if err != nil {
			return
		}
		last := r.Statements[len(r.Statements)-1]
		if strings.Count(last.SQL, "\n") > strings.Count(sql, "\n") {
			t.Errorf("Translate(%q): the last statement %q has more lines than the source", sql, last.SQL)
		}
	})
}
