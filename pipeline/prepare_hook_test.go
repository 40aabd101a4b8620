package pipeline_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/internal/testdata"
)

// TestPrepareCountsDroppedLinesInTheHook checks that the shipped prepare template's "dropped" part counts the
// lines without a CustomerID of the day, as the CSV has them, and that the stage logs that count.
func TestPrepareCountsDroppedLinesInTheHook(t *testing.T) {
	var logs bytes.Buffer
	rt := openRuntimeLog(t, config.Default(), nil, slog.New(slog.NewJSONHandler(&logs, nil)), "2010-12-01")
	ctx := context.Background()
	if _, err := rt.Pipeline.Extract(ctx, "20101202"); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Pipeline.Prepare(ctx, "20101202"); err != nil {
		t.Fatal(err)
	}
	want := anonymousLines(t, filepath.Join(testdata.OnlineRetail(t), "2010-12-01.csv"))
	if want == 0 {
		t.Fatal("the day file has no line without a CustomerID; the test proves nothing")
	}
	got := int64(-1)
	for line := range bytes.Lines(logs.Bytes()) {
		var rec struct {
			Msg     string `json:"msg"`
			Dropped *int64 `json:"dropped_lines"`
		}
		if json.Unmarshal(line, &rec) == nil && rec.Msg == "prepared" && rec.Dropped != nil {
			got = *rec.Dropped
		}
	}
	if got != want {
		t.Errorf("prepared log's dropped_lines = %d, want %d (lines of the CSV without a CustomerID)", got, want)
	}
}

// TestPrepareReadsNoSourceColumn runs prepare on an extract without a CustomerID column (as a GA360 export has
// none), with customer templates that name their own columns: the stage itself must name none.
func TestPrepareReadsNoSourceColumn(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"extract.sql": "SELECT InvoiceNo AS transactionId, CustomerID AS fullVisitorId, Quantity * UnitPrice AS revenue\n" +
			"FROM {{source}}\nWHERE _TABLE_SUFFIX = FORMAT_DATE('%Y%m%d', DATE_SUB(@run_date, INTERVAL {{.LagDays}} DAY))\n",
		"prepare.sql": "SELECT fullVisitorId AS clientId, transactionId AS orderId, '' AS gclid, '{{.Date}}' AS date,\n" +
			"  SUM(revenue) AS basket_value\nFROM {{shard \"all_daily_transactions\" .Date}}\n" +
			"WHERE fullVisitorId IS NOT NULL\nGROUP BY fullVisitorId, transactionId\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := config.Default()
	cfg.HooksDir = dir
	rt := openRuntime(t, cfg, nil, "2010-12-01")
	ctx := context.Background()
	if _, err := rt.Pipeline.Extract(ctx, "20101202"); err != nil {
		t.Fatal(err)
	}
	r, err := rt.Pipeline.Prepare(ctx, "20101202")
	if err != nil {
		t.Fatalf("prepare of an extract without CustomerID: %v", err)
	}
	if r.Rows == 0 {
		t.Error("prepare wrote no rows")
	}
}

func anonymousLines(t *testing.T, path string) int64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range recs[0] {
		if h == "CustomerID" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("%s has no CustomerID column", path)
	}
	var n int64
	for _, r := range recs[1:] {
		if r[col] == "" {
			n++
		}
	}
	return n
}
