package bigquery_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bqapi "google.golang.org/api/bigquery/v2"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/bigquery"
	"github.com/pltv/pltv/warehouse/bigquery/internal/fakebq"
)

var predictionsSchema = warehouse.Schema{
	{Name: "clientId", Type: warehouse.String, Mode: warehouse.Required},
	{Name: "value", Type: warehouse.Float},
	{Name: "orders", Type: warehouse.Integer},
	{Name: "new", Type: warehouse.Boolean},
	{Name: "day", Type: warehouse.DateType},
	{Name: "at", Type: warehouse.Timestamp},
}

var predictionsAPISchema = &bqapi.TableSchema{Fields: []*bqapi.TableFieldSchema{
	{Name: "clientId", Type: "STRING", Mode: "REQUIRED"},
	{Name: "value", Type: "FLOAT"},
	{Name: "orders", Type: "INTEGER"},
	{Name: "new", Type: "BOOLEAN"},
	{Name: "day", Type: "DATE"},
	{Name: "at", Type: "TIMESTAMP"},
}}

func TestInsert(t *testing.T) {
	at := time.Date(2024, 3, 1, 6, 30, 15, 123456000, time.UTC)
	rows := []warehouse.Row{
		{"c1", 12.5, int64(3), true, date(2024, 3, 1), at},
		{"c2", nil, int64(9007199254740993), false, nil, nil},
		{"c3", 0.25, 7, nil, date(2024, 2, 29), at.Add(time.Hour)},
	}
	sent := []map[string]any{
		{"clientId": "c1", "value": json.Number("12.5"), "orders": json.Number("3"), "new": true, "day": "2024-03-01", "at": "2024-03-01T06:30:15.123456Z"},
		{"clientId": "c2", "value": nil, "orders": json.Number("9007199254740993"), "new": false, "day": nil, "at": nil},
		{"clientId": "c3", "value": json.Number("0.25"), "orders": json.Number("7"), "new": nil, "day": "2024-02-29", "at": "2024-03-01T07:30:15.123456Z"},
	}
	tests := []struct {
		name   string
		exists bool
		batch  int
		calls  []string
		sent   [][]map[string]any // the rows of each insertAll request that succeeded
	}{
		{
			name: "existing table", exists: true,
			calls: []string{"tabledata.insertAll"},
			sent:  [][]map[string]any{sent},
		},
		{
			name: "missing table is created", exists: false,
			calls: []string{"tabledata.insertAll", "tables.insert", "tabledata.insertAll"},
			sent:  [][]map[string]any{sent, sent},
		},
		{
			name: "rows in batches", exists: true, batch: 2,
			calls: []string{"tabledata.insertAll", "tabledata.insertAll"},
			sent:  [][]map[string]any{sent[:2], sent[2:]},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, func(o *bigquery.Options) { o.InsertBatchRows = tt.batch })
			if tt.exists {
				if err := e.fake.PutTable(project, "ds", "predictions_20240301", predictionsAPISchema, nil); err != nil {
					t.Fatal(err)
				}
			}
			if err := e.w.Insert(context.Background(), ref("predictions_20240301"), predictionsSchema, rows); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.calls, e.fake.Calls()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			var got [][]map[string]any
			for _, r := range e.fake.Find("tabledata.insertAll") {
				rows, err := fakebq.DecodeInsertAll(r)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, rows)
			}
			if diff := cmp.Diff(tt.sent, got); diff != "" {
				t.Errorf("insertAll rows (-want +got):\n%s", diff)
			}
			if creates := e.fake.Find("tables.insert"); len(creates) > 0 {
				var tbl bqapi.Table
				if err := creates[0].Decode(&tbl); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(predictionsAPISchema, tbl.Schema); diff != "" {
					t.Errorf("created schema (-want +got):\n%s", diff)
				}
			}
			batches, err := e.readAll(t, warehouse.ReadRequest{Table: refp("predictions_20240301")})
			if err != nil {
				t.Fatal(err)
			}
			want := []warehouse.Row{
				{"c1", 12.5, int64(3), true, date(2024, 3, 1), at},
				{"c2", nil, int64(9007199254740993), false, nil, nil},
				{"c3", 0.25, int64(7), nil, date(2024, 2, 29), at.Add(time.Hour)},
			}
			if diff := cmp.Diff(want, batches[0].Rows); diff != "" {
				t.Errorf("rows read back (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInsertNoRowsCreatesTable(t *testing.T) {
	tests := []struct {
		name   string
		exists bool
	}{
		{"missing", false},
		{"existing", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			if tt.exists {
				e.put(t, "p", "clientId:STRING", []any{"c0"})
			}
			if err := e.w.Insert(context.Background(), ref("p"), predictionsSchema, nil); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"tables.insert"}, e.fake.Calls()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			info, err := e.w.Table(context.Background(), ref("p"))
			if err != nil {
				t.Fatal(err)
			}
			if tt.exists != (info.State == warehouse.HasRows) || info.State == warehouse.Missing {
				t.Errorf("state after insert = %v", info.State)
			}
		})
	}
}

func TestInsertErrors(t *testing.T) {
	tests := []struct {
		name     string
		rows     []warehouse.Row
		calls    []string
		mentions string
	}{
		{name: "short row", rows: []warehouse.Row{{"c1"}}, mentions: "row 0: row has 1 values, the schema 6 columns"},
		{name: "value of unknown type", rows: []warehouse.Row{{"c1", float32(1), nil, nil, nil, nil}}, mentions: "column value: unsupported value type float32"},
		{
			name:     "row refused by BigQuery",
			rows:     []warehouse.Row{{"c1", nil, nil, nil, nil, nil}, {nil, nil, nil, nil, nil, nil}},
			calls:    []string{"tabledata.insertAll"},
			mentions: "Missing required field: clientId.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			if err := e.fake.PutTable(project, "ds", "p", predictionsAPISchema, nil); err != nil {
				t.Fatal(err)
			}
			err := e.w.Insert(context.Background(), ref("p"), predictionsSchema, tt.rows)
			if err == nil || !strings.Contains(err.Error(), tt.mentions) {
				t.Errorf("error = %v, want one mentioning %q", err, tt.mentions)
			}
			if diff := cmp.Diff(tt.calls, e.fake.Calls()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if info, _ := e.w.Table(context.Background(), ref("p")); info.Rows != 0 {
				t.Errorf("%d rows inserted, want none", info.Rows)
			}
		})
	}
}
