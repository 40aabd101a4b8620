package bigquery_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bqapi "google.golang.org/api/bigquery/v2"

	"github.com/pltv/pltv/warehouse"
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

// TestInsert checks that rows are written with a load job (newline-delimited JSON, appended, the table
// created when missing) and never streamed: streamed rows can be lost in a table just recreated, and copy
// jobs do not see them for a while.
func TestInsert(t *testing.T) {
	at := time.Date(2024, 3, 1, 6, 30, 15, 123456000, time.UTC)
	rows := []warehouse.Row{
		{"c1", 12.5, int64(3), true, date(2024, 3, 1), at},
		{"c2", nil, int64(9007199254740993), false, nil, nil},
		{"c3", 0.25, 7, nil, date(2024, 2, 29), at.Add(time.Hour)},
	}
	sent := `{"at":"2024-03-01T06:30:15.123456Z","clientId":"c1","day":"2024-03-01","new":true,"orders":3,"value":12.5}
{"at":null,"clientId":"c2","day":null,"new":false,"orders":9007199254740993,"value":null}
{"at":"2024-03-01T07:30:15.123456Z","clientId":"c3","day":"2024-02-29","new":null,"orders":7,"value":0.25}
`
	for _, tt := range []struct {
		name   string
		exists bool
		want   []warehouse.Row // read back
	}{
		{name: "existing table", exists: true},
		{name: "missing table is created", exists: false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			if tt.exists {
				if err := e.fake.PutTable(project, "ds", "predictions_20240301", predictionsAPISchema, nil); err != nil {
					t.Fatal(err)
				}
			}
			if err := e.w.Insert(context.Background(), ref("predictions_20240301"), predictionsSchema, rows); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"jobs.insert"}, e.fake.Calls()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if n := len(e.fake.Find("tabledata.insertAll")); n != 0 {
				t.Errorf("%d streaming inserts", n)
			}
			req := e.fake.Find("jobs.insert")[0]
			var job bqapi.Job
			if err := req.Decode(&job); err != nil {
				t.Fatal(err)
			}
			l := job.Configuration.Load
			if l == nil || l.SourceFormat != "NEWLINE_DELIMITED_JSON" || l.WriteDisposition != "WRITE_APPEND" ||
				l.CreateDisposition != "CREATE_IF_NEEDED" {
				t.Fatalf("job configuration %+v, want a NEWLINE_DELIMITED_JSON load, WRITE_APPEND, CREATE_IF_NEEDED", job.Configuration)
			}
			if diff := cmp.Diff(predictionsAPISchema, l.Schema); diff != "" {
				t.Errorf("load schema (-want +got):\n%s", diff)
			}
			if !strings.HasPrefix(job.JobReference.JobId, "pltv_") {
				t.Errorf("job id %q, want one of pltv's", job.JobReference.JobId)
			}
			if diff := cmp.Diff(sent, string(req.Media)); diff != "" {
				t.Errorf("loaded data (-want +got):\n%s", diff)
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

// TestInsertThenCopy: rows written by Insert are in the table for a copy job at once, which streamed rows
// would not be.
func TestInsertThenCopy(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	rows := []warehouse.Row{{"c1", 1.5, int64(1), true, nil, nil}, {"c2", 2.5, int64(2), false, nil, nil}}
	if err := e.w.Insert(ctx, ref("staged"), predictionsSchema, rows); err != nil {
		t.Fatal(err)
	}
	res, err := e.w.Copy(ctx, warehouse.CopyJob{Source: ref("staged"), Destination: ref("final")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 2 {
		t.Errorf("copied %d rows, want 2", res.Rows)
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
		{name: "short row", rows: []warehouse.Row{{"c1"}}, mentions: "row 0 has 1 values, the schema 6 columns"},
		{name: "value of unknown type", rows: []warehouse.Row{{"c1", float32(1), nil, nil, nil, nil}}, mentions: "column value: unsupported value type float32"},
		{
			name:     "row refused by BigQuery",
			rows:     []warehouse.Row{{"c1", nil, nil, nil, nil, nil}, {nil, nil, nil, nil, nil, nil}},
			calls:    []string{"jobs.insert"},
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
