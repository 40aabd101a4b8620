package warehousetest

import (
	"errors"
	"strings"
	"time"

	"github.com/pltv/pltv/warehouse"
)

// retail is the schema of the Online Retail day files.
var retail = warehouse.Schema{
	{Name: "InvoiceNo", Type: warehouse.String}, {Name: "StockCode", Type: warehouse.String},
	{Name: "Description", Type: warehouse.String}, {Name: "Quantity", Type: warehouse.Integer},
	{Name: "InvoiceDate", Type: warehouse.Timestamp}, {Name: "UnitPrice", Type: warehouse.Float},
	{Name: "CustomerID", Type: warehouse.String}, {Name: "Country", Type: warehouse.String},
}

const retailCSV = `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom
C536379,D,"Discount, with ""quotes""",-1,2010-12-01 09:41:00,27.5,14527.0,United Kingdom
536414,22139,,56,2010-12-01 11:52:00,0.0,,United Kingdom
`

func (h *harness) load(table, source, csv string, write warehouse.WriteDisposition) (warehouse.JobResult, error) {
	return h.w.Load(h.ctx, warehouse.LoadJob{Source: strings.NewReader(csv), SourceName: source,
		Destination: h.ref(table), Schema: retail, SkipLeadingRows: 1, Write: write,
		Labels: warehouse.JobLabels("demo", "init", "20101201")})
}

var retailRows = []warehouse.Row{
	{"536365", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", int64(6), time.Date(2010, 12, 1, 8, 26, 0, 0, time.UTC), 2.55, "17850.0", "United Kingdom"},
	{"536414", "22139", nil, int64(56), time.Date(2010, 12, 1, 11, 52, 0, 0, time.UTC), 0.0, nil, "United Kingdom"},
	{"C536379", "D", `Discount, with "quotes"`, int64(-1), time.Date(2010, 12, 1, 9, 41, 0, 0, time.UTC), 27.5, "14527.0", "United Kingdom"},
}

var loadTests = []test{
	{name: "CSV", run: func(h *harness) {
		res, err := h.load("tx_20101201", "2010-12-01.csv", retailCSV, "")
		if err != nil {
			h.Fatal(err)
		}
		h.diff("result rows", int64(3), res.Rows)
		h.diff("labels", warehouse.JobLabels("demo", "init", "20101201"), res.Labels)
		_, rows := h.read(warehouse.ReadRequest{Table: ptr(h.ref("tx_20101201"))})
		sortRows(rows)
		h.diff("rows", retailRows, rows)
	}},
	{name: "ReloadReplaces", run: func(h *harness) {
		for range 2 {
			if _, err := h.load("tx", "a.csv", retailCSV, warehouse.WriteTruncate); err != nil {
				h.Fatal(err)
			}
		}
		if _, n := h.state("tx"); n != 3 {
			h.Errorf("rows after loading twice with WRITE_TRUNCATE: %d, want 3", n)
		}
	}},
	{name: "Append", run: func(h *harness) {
		for range 2 {
			if _, err := h.load("tx", "a.csv", retailCSV, warehouse.WriteAppend); err != nil {
				h.Fatal(err)
			}
		}
		if _, n := h.state("tx"); n != 6 {
			h.Errorf("rows after appending twice: %d, want 6", n)
		}
	}},
	{name: "BadRowsLoadNothing", run: func(h *harness) {
		for _, tc := range []struct{ name, csv, line string }{
			{"too few fields", retailCSV + "536366,22633,HAND WARMER,6\n", "line 5"},
			{"too many fields", strings.Replace(retailCSV, "United Kingdom\nC5", "United Kingdom,extra\nC5", 1), "line 2"},
			{"not an integer", retailCSV + "536367,84879,BIRD,six,2010-12-01 08:34:00,1.69,13047.0,United Kingdom\n", "line 5"},
			{"not a timestamp", retailCSV + "536367,84879,BIRD,6,yesterday,1.69,13047.0,United Kingdom\n", "line 5"},
		} {
			if _, err := h.load("tx", "good.csv", retailCSV, ""); err != nil {
				h.Fatal(err)
			}
			_, err := h.load("tx", "bad-"+strings.ReplaceAll(tc.name, " ", "-")+".csv", tc.csv, warehouse.WriteTruncate)
			if err == nil {
				h.Errorf("%s: load succeeded", tc.name)
				continue
			}
			if h.f.LoadErrorLines && (!strings.Contains(err.Error(), "bad-") || !strings.Contains(err.Error(), tc.line)) {
				h.Errorf("%s: error %q does not name the source and %s", tc.name, err, tc.line)
			}
			if _, n := h.state("tx"); n != 3 {
				h.Errorf("%s: the table has %d rows after the failed load, want the 3 it had", tc.name, n)
			}
		}
		if _, err := h.load("fresh", "bad.csv", retailCSV+"x\n", ""); err == nil {
			h.Error("a bad load into a new table succeeded")
		}
		if st, _ := h.state("fresh"); st != warehouse.Missing {
			h.Errorf("a failed load into a new table left it %v, want missing", st)
		}
	}},
	{name: "WriteEmpty", run: func(h *harness) {
		if _, err := h.load("tx", "a.csv", retailCSV, warehouse.WriteEmpty); err != nil {
			h.Fatal(err)
		}
		if _, err := h.load("tx", "a.csv", retailCSV, warehouse.WriteEmpty); err == nil {
			h.Error("WRITE_EMPTY into a table with rows succeeded")
		}
		if _, n := h.state("tx"); n != 3 {
			h.Errorf("rows: %d, want 3", n)
		}
	}},
	{name: "HeaderlessFeatures", run: func(h *harness) {
		schema := warehouse.Schema{{Name: "value", Type: warehouse.String}, {Name: "type", Type: warehouse.String}}
		_, err := h.w.Load(h.ctx, warehouse.LoadJob{Source: strings.NewReader("United Kingdom,country\n85123A,stock\n"),
			SourceName: "features.csv", Destination: h.ref("training_data_features_20200101"), Schema: schema})
		if err != nil {
			h.Fatal(err)
		}
		_, rows := h.read(warehouse.ReadRequest{Table: ptr(h.ref("training_data_features_20200101"))})
		sortRows(rows)
		h.diff("rows", []warehouse.Row{{"85123A", "stock"}, {"United Kingdom", "country"}}, rows)
	}},
	{name: "SourceError", run: func(h *harness) {
		boom := errors.New("disk on fire")
		_, err := h.w.Load(h.ctx, warehouse.LoadJob{Source: failingReader{boom}, SourceName: "x.csv",
			Destination: h.ref("tx"), Schema: retail})
		if !errors.Is(err, boom) {
			h.Errorf("load from a failing reader: %v, want it to wrap %v", err, boom)
		}
	}},
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }
