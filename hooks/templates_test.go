package hooks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pltv/pltv/warehouse"
)

var testTables = Tables{
	Source:        warehouse.Dataset{Project: "src-proj", Dataset: "source"},
	SourceTable:   "transactions",
	SourceSharded: true,
	LTV:           warehouse.Dataset{Project: "ltv-proj", Dataset: "pltv"},
}

var sample = Vars{Date: "20110104", ModelDate: "20101130", LagDays: 1, NewClientDays: 365,
	WindowStart: "20100104", WindowEnd: "20110103", SourceSharded: true, BatchSize: 500, BatchOutput: "batch_out"}

func TestShippedTemplatesRender(t *testing.T) {
	s, err := LoadSQL("", testTables, sample)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, want string }{
		{Extract, "FROM `src-proj.source.transactions_*`"},
		{Extract, "INTERVAL 1 DAY"},
		{Prepare, "FROM `ltv-proj.pltv.all_daily_transactions_20110104`"},
		{Prepare, "`ltv-proj.pltv.training_data_features_20101130`"},
		{NewCustomers, "FROM `ltv-proj.pltv.prepared_daily_transactions_*`"},
		{NewCustomers, "BETWEEN '20100104' AND '20110103'"},
		{BatchQuery, "LIMIT 500 OFFSET 0"},
	}
	for _, tt := range tests {
		q, err := s.Render(tt.name, sample)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(q.Text, tt.want) {
			t.Errorf("%s: rendered SQL lacks %q:\n%s", tt.name, tt.want, q.Text)
		}
		if q.Origin != "hooks/sql/"+tt.name+".sql" {
			t.Errorf("%s: origin %q", tt.name, q.Origin)
		}
	}
}

func TestUnshardedSource(t *testing.T) {
	tables := testTables
	tables.SourceSharded = false
	v := sample
	v.SourceSharded = false
	s, err := LoadSQL("", tables, v)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := s.Render(Extract, v)
	if !strings.Contains(q.Text, "FROM `src-proj.source.transactions`") || strings.Contains(q.Text, "_TABLE_SUFFIX") {
		t.Errorf("unsharded extract:\n%s", q.Text)
	}
}

func TestOverridesFailAtLoad(t *testing.T) {
	tests := []struct {
		name, file, text, wantErr string
	}{
		{"unknown custom variable", "prepare.sql", `SELECT {{var "PRICE_TABLE"}}`, `unknown custom variable "PRICE_TABLE"`},
		{"unknown field", "prepare.sql", `SELECT {{.Dtae}}`, "can't evaluate field Dtae"},
		{"misspelt override file", "filter.sql", `x`, "unknown template filter.sql"},
		{"syntax error names the file", "extract.sql", "SELECT\n{{ if }}", "extract.sql:2"},
		{"bad shard date", "prepare.sql", `SELECT * FROM {{shard "x" "2011-01-04"}}`, `date "2011-01-04" is not YYYYMMDD`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, tt.file), []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadSQL(dir, testTables, sample)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("LoadSQL: got %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestOverrideWithCustomVariable(t *testing.T) {
	dir := t.TempDir()
	text := "SELECT * FROM {{ltv (var \"PRICE_TABLE\")}} WHERE d = {{quote .Date}}"
	if err := os.WriteFile(filepath.Join(dir, "prepare.sql"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	v := sample
	v.Custom = map[string]string{"PRICE_TABLE": "price_avgs"}
	s, err := LoadSQL(dir, testTables, v)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := s.Render(Prepare, v)
	if want := "SELECT * FROM `ltv-proj.pltv.price_avgs` WHERE d = '20110104'"; q.Text != want {
		t.Errorf("got %q, want %q", q.Text, want)
	}
}

// TestPrepareDroppedPart checks the optional "dropped" part: the shipped prepare template has it, on the same
// extract table, and an override without it has none.
func TestPrepareDroppedPart(t *testing.T) {
	s, err := LoadSQL("", testTables, sample)
	if err != nil {
		t.Fatal(err)
	}
	q, ok, err := s.RenderPart(Prepare, PrepareDropped, sample)
	if err != nil || !ok {
		t.Fatalf("shipped prepare's dropped part: ok %v, %v", ok, err)
	}
	if !strings.Contains(q.Text, "FROM `ltv-proj.pltv.all_daily_transactions_20110104`") || q.Origin != "hooks/sql/prepare.sql" {
		t.Errorf("dropped part from %s:\n%s", q.Origin, q.Text)
	}
	main, _ := s.Render(Prepare, sample)
	if strings.Contains(main.Text, "COUNTIF(CustomerID IS NULL") {
		t.Errorf("the dropped part leaks into the prepare query:\n%s", main.Text)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "prepare.sql"), []byte("SELECT 1 AS x"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = LoadSQL(dir, testTables, sample)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.RenderPart(Prepare, PrepareDropped, sample); ok || err != nil {
		t.Errorf("an override without the part: ok %v, %v", ok, err)
	}
}
