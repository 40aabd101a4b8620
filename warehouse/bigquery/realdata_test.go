package bigquery_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/internal/testdata"
	"github.com/pltv/pltv/warehouse"
)

// retailSchema is the schema of the Online Retail day files.
var retailSchema = warehouse.Schema{
	{Name: "InvoiceNo", Type: warehouse.String}, {Name: "StockCode", Type: warehouse.String},
	{Name: "Description", Type: warehouse.String}, {Name: "Quantity", Type: warehouse.Integer},
	{Name: "InvoiceDate", Type: warehouse.Timestamp}, {Name: "UnitPrice", Type: warehouse.Float},
	{Name: "CustomerID", Type: warehouse.String}, {Name: "Country", Type: warehouse.String},
}

// dayFile returns the path of one day (YYYY-MM-DD) of the shipped Online Retail data.
func dayFile(t testing.TB, day string) string {
	t.Helper()
	return testdata.OnlineRetailDay(t, day)
}

// TestLoadOnlineRetailDay loads one real day file through the driver, the upload and the fake's CSV
// reader, and reads it back in batches.
func TestLoadOnlineRetailDay(t *testing.T) {
	path := dayFile(t, "2010-12-01")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}

	e := setup(t)
	res, err := e.w.Load(context.Background(), warehouse.LoadJob{Source: f, SourceName: filepath.Base(path),
		Destination: ref("all_daily_transactions_20101201"), Schema: retailSchema, SkipLeadingRows: 1,
		Labels: warehouse.JobLabels("demo", "init", "20101201")})
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(len(records) - 1); res.Rows != want {
		t.Errorf("loaded %d rows, want %d", res.Rows, want)
	}
	var got []warehouse.Row
	batches := 0
	err = e.w.Read(context.Background(), warehouse.ReadRequest{Table: refp("all_daily_transactions_20101201"), BatchSize: 500},
		func(b warehouse.Batch) error {
			batches++
			got = append(got, b.Rows...)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(records)-1 || batches != (len(got)+499)/500 {
		t.Fatalf("read %d rows in %d batches, want %d rows in batches of 500", len(got), batches, len(records)-1)
	}
	first := warehouse.Row{"536365", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", int64(6),
		time.Date(2010, 12, 1, 8, 26, 0, 0, time.UTC), 2.55, "17850.0", "United Kingdom"}
	if diff := cmp.Diff(first, got[0]); diff != "" {
		t.Errorf("first row (-want +got):\n%s", diff)
	}
}
