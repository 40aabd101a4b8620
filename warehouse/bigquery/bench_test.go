package bigquery_test

import (
	"context"
	"testing"
	"time"

	"github.com/pltv/pltv/warehouse"
)

// BenchmarkReadTable reads a 10,000-row table of the Online Retail shape through the fake in batches of
// 1,000: tabledata.list pages, JSON decoding by the client, and the conversion to the port's values.
func BenchmarkReadTable(b *testing.B) {
	const n = 10000
	e := setup(b)
	rows := make([][]any, n)
	at := time.Date(2010, 12, 1, 8, 26, 0, 0, time.UTC)
	for i := range rows {
		rows[i] = []any{"536365", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", int64(i), at, 2.55, "17850.0", "United Kingdom"}
	}
	if err := e.fake.PutTable(project, "ds", "t", apiSchema("InvoiceNo:STRING,StockCode:STRING,Description:STRING,Quantity:INTEGER,"+
		"InvoiceDate:TIMESTAMP,UnitPrice:FLOAT,CustomerID:STRING,Country:STRING"), rows); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		got := 0
		err := e.w.Read(context.Background(), warehouse.ReadRequest{Table: refp("t"), BatchSize: 1000}, func(batch warehouse.Batch) error {
			got += len(batch.Rows)
			return nil
		})
		if err != nil || got != n {
			b.Fatalf("read %d rows: %v", got, err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
