package bigquery_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/civil"
	"github.com/google/go-cmp/cmp"
	bqapi "google.golang.org/api/bigquery/v2"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/bigquery"
	"github.com/pltv/pltv/warehouse/bigquery/internal/fakebq"
)

// pageRequest is what one page request asked for.
type pageRequest struct {
	MaxResults, StartIndex, PageToken string
}

func pageRequests(reqs []fakebq.Request) []pageRequest {
	var out []pageRequest
	for _, r := range reqs {
		out = append(out, pageRequest{r.Query.Get("maxResults"), r.Query.Get("startIndex"), r.Query.Get("pageToken")})
	}
	return out
}

func sizes(batches []warehouse.Batch) []int {
	var out []int
	for _, b := range batches {
		out = append(out, len(b.Rows))
	}
	return out
}

func TestReadTableFollowsPages(t *testing.T) {
	tests := []struct {
		name      string
		batchSize int
		pageRows  int // the most rows the server puts on a page
		batches   []int
		pages     []pageRequest
	}{
		{
			name: "page per batch", batchSize: 2, pageRows: 100, batches: []int{2, 2, 1},
			pages: []pageRequest{{"2", "0", ""}, {"2", "", "offset-2"}, {"2", "", "offset-4"}},
		},
		{
			name: "server pages smaller than batches", batchSize: 3, pageRows: 2, batches: []int{3, 2},
			pages: []pageRequest{{"3", "0", ""}, {"3", "", "offset-2"}, {"3", "", "offset-4"}},
		},
		{
			name: "default batch size", pageRows: 100, batches: []int{5},
			pages: []pageRequest{{"1000", "0", ""}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			e.fake.SetPageRows(tt.pageRows)
			var want []warehouse.Row
			for i := range 5 {
				want = append(want, warehouse.Row{int64(i)})
			}
			rows := make([][]any, len(want))
			for i, r := range want {
				rows[i] = r
			}
			e.put(t, "t", "n:INTEGER", rows...)
			batches, err := e.readAll(t, warehouse.ReadRequest{Table: refp("t"), BatchSize: tt.batchSize})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.batches, sizes(batches)); diff != "" {
				t.Errorf("batch sizes (-want +got):\n%s", diff)
			}
			var got []warehouse.Row
			for _, b := range batches {
				got = append(got, b.Rows...)
				if diff := cmp.Diff(warehouse.Schema{{Name: "n", Type: warehouse.Integer, Mode: warehouse.Nullable}}, b.Schema); diff != "" {
					t.Errorf("batch schema (-want +got):\n%s", diff)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.pages, pageRequests(e.fake.Find("tabledata.list"))); diff != "" {
				t.Errorf("tabledata.list requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadValues(t *testing.T) {
	ts := time.Date(2024, 3, 1, 6, 30, 15, 123456000, time.UTC)
	tests := []struct {
		name  string
		typ   string
		value any
		want  any
	}{
		{"string", "STRING", "acme", "acme"},
		{"integer", "INTEGER", int64(-42), int64(-42)},
		{"int64", "INT64", int64(9007199254740993), int64(9007199254740993)},
		{"float", "FLOAT", 2.5, 2.5},
		{"boolean", "BOOLEAN", true, true},
		{"date", "DATE", civil.Date{Year: 2024, Month: 3, Day: 1}, date(2024, 3, 1)},
		{"timestamp", "TIMESTAMP", ts.In(time.FixedZone("X", 7200)), ts},
		{"datetime", "DATETIME", civil.DateTime{Date: civil.Date{Year: 2024, Month: 3, Day: 1}, Time: civil.Time{Hour: 6, Minute: 30}}, time.Date(2024, 3, 1, 6, 30, 0, 0, time.UTC)},
		{"numeric", "NUMERIC", "12.25", 12.25},
		{"null", "DATE", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			e.put(t, "t", "v:"+tt.typ, []any{tt.value})
			batches, err := e.readAll(t, warehouse.ReadRequest{Table: refp("t")})
			if err != nil {
				t.Fatal(err)
			}
			want := []warehouse.Batch{{Schema: batches[0].Schema, Rows: []warehouse.Row{{tt.want}}}}
			if diff := cmp.Diff(want, batches); diff != "" {
				t.Errorf("batches (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadSchema(t *testing.T) {
	e := setup(t)
	e.put(t, "t", "s:STRING:REQUIRED,i:INT64,f:FLOAT64,b:BOOL,d:DATE,ts:TIMESTAMP,dt:DATETIME,n:NUMERIC", []any{"x", nil, nil, nil, nil, nil, nil, nil})
	batches, err := e.readAll(t, warehouse.ReadRequest{Table: refp("t")})
	if err != nil {
		t.Fatal(err)
	}
	want := warehouse.Schema{
		{Name: "s", Type: warehouse.String, Mode: warehouse.Required},
		{Name: "i", Type: warehouse.Integer, Mode: warehouse.Nullable},
		{Name: "f", Type: warehouse.Float, Mode: warehouse.Nullable},
		{Name: "b", Type: warehouse.Boolean, Mode: warehouse.Nullable},
		{Name: "d", Type: warehouse.DateType, Mode: warehouse.Nullable},
		{Name: "ts", Type: warehouse.Timestamp, Mode: warehouse.Nullable},
		{Name: "dt", Type: warehouse.Timestamp, Mode: warehouse.Nullable},
		{Name: "n", Type: warehouse.Float, Mode: warehouse.Nullable},
	}
	if diff := cmp.Diff(want, batches[0].Schema); diff != "" {
		t.Errorf("schema (-want +got):\n%s", diff)
	}
}

func TestReadEmptyTableGivesNoBatch(t *testing.T) {
	e := setup(t)
	e.put(t, "t", "n:INTEGER")
	batches, err := e.readAll(t, warehouse.ReadRequest{Table: refp("t")})
	if err != nil || len(batches) != 0 {
		t.Errorf("Read = %v, %v; want no batch and no error", batches, err)
	}
}

func TestReadQuery(t *testing.T) {
	rows := [][]any{{"c1", int64(1)}, {"c2", int64(2)}, {"c3", int64(3)}, {"c4", int64(4)}, {"c5", int64(5)}}
	tests := []struct {
		name    string
		polls   int
		calls   []string
		results []pageRequest // getQueryResults requests
	}{
		{
			name:    "first page in the answer to jobs.query",
			calls:   []string{"jobs.query", "jobs.getQueryResults", "jobs.getQueryResults"},
			results: []pageRequest{{"2", "", "offset-2"}, {"2", "", "offset-4"}},
		},
		{
			name:    "job still running after jobs.query",
			polls:   1,
			calls:   []string{"jobs.query", "jobs.getQueryResults", "jobs.getQueryResults", "jobs.getQueryResults", "jobs.getQueryResults"},
			results: []pageRequest{{"0", "", ""}, {"2", "0", ""}, {"2", "", "offset-2"}, {"2", "", "offset-4"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			e.fake.SetPageRows(2)
			e.answer(fakebq.Answer{Schema: apiSchema("customer:STRING,n:INTEGER"), Rows: rows, Polls: tt.polls})
			sql := "SELECT customer, n FROM `proj.ds.t` WHERE d = @d"
			batches, err := e.readAll(t, warehouse.ReadRequest{SQL: sql, Params: map[string]any{"d": date(2024, 3, 1)}, BatchSize: 2})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]int{2, 2, 1}, sizes(batches)); diff != "" {
				t.Errorf("batch sizes (-want +got):\n%s", diff)
			}
			if got := batches[2].Rows[0]; !cmp.Equal(got, warehouse.Row{"c5", int64(5)}) {
				t.Errorf("last row = %v", got)
			}
			if diff := cmp.Diff(tt.calls, e.fake.Calls()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			var q bqapi.QueryRequest
			if err := e.fake.Find("jobs.query")[0].Decode(&q); err != nil {
				t.Fatal(err)
			}
			want := bqapi.QueryRequest{Query: sql, Location: location, UseLegacySql: &pfalse,
				QueryParameters: []*bqapi.QueryParameter{{Name: "d", ParameterType: &bqapi.QueryParameterType{Type: "DATE"},
					ParameterValue: &bqapi.QueryParameterValue{Value: "2024-03-01"}}},
				FormatOptions: &bqapi.DataFormatOptions{UseInt64Timestamp: true}, RequestId: q.RequestId}
			if diff := cmp.Diff(want, q); diff != "" {
				t.Errorf("jobs.query request (-want +got):\n%s", diff)
			}
			results := e.fake.Find("jobs.getQueryResults")
			if diff := cmp.Diff(tt.results, pageRequests(results)); diff != "" {
				t.Errorf("getQueryResults requests (-want +got):\n%s", diff)
			}
			for _, r := range results {
				if got := r.Query.Get("location"); got != location {
					t.Errorf("getQueryResults location = %q, want %q", got, location)
				}
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	stop := errors.New("enough")
	tests := []struct {
		name     string
		req      warehouse.ReadRequest
		answer   fakebq.Answer
		fn       func(warehouse.Batch) error
		is       error
		sqlErr   *warehouse.SQLError
		mentions string
	}{
		{
			name: "missing table", req: warehouse.ReadRequest{Table: refp("nope")},
			is: warehouse.ErrNotFound, mentions: "table proj.ds.nope not found",
		},
		{
			name: "query refused", req: warehouse.ReadRequest{SQL: "SELECT\n  FROM"},
			answer: fakebq.Answer{Error: fakebq.SyntaxError(2, 3, "Unexpected keyword FROM")},
			sqlErr: &warehouse.SQLError{Line: 2, Column: 3, Message: "Syntax error: Unexpected keyword FROM"},
		},
		{
			name: "query of a missing table", req: warehouse.ReadRequest{SQL: "SELECT * FROM `proj.ds.nope`"},
			answer: fakebq.Answer{Error: &bqapi.ErrorProto{Reason: "notFound", Message: "Not found: Table proj:ds.nope was not found in location EU"}},
			is:     warehouse.ErrNotFound, mentions: "proj:ds.nope",
		},
		{
			name: "batch function fails", req: warehouse.ReadRequest{Table: refp("t"), BatchSize: 1},
			fn: func(warehouse.Batch) error { return stop }, is: stop,
		},
		{
			name: "unsupported column", req: warehouse.ReadRequest{Table: refp("bytes")},
			mentions: "column b (BYTES)",
		},
		{name: "nothing to read", req: warehouse.ReadRequest{}, mentions: "name a table or a query"},
		{name: "both", req: warehouse.ReadRequest{Table: refp("t"), SQL: "SELECT 1"}, mentions: "not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			e.put(t, "t", "n:INTEGER", []any{int64(1)}, []any{int64(2)})
			e.put(t, "bytes", "b:BYTES", []any{"AQI="})
			e.answer(tt.answer)
			fn := tt.fn
			if fn == nil {
				fn = func(warehouse.Batch) error { return nil }
			}
			err := e.w.Read(context.Background(), tt.req, fn)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			var sqlErr *warehouse.SQLError
			if !errors.As(err, &sqlErr) {
				sqlErr = nil
			}
			if diff := cmp.Diff(tt.sqlErr, sqlErr); diff != "" {
				t.Errorf("SQL error (-want +got):\n%s", diff)
			}
			if !strings.Contains(err.Error(), tt.mentions) {
				t.Errorf("error %q does not mention %q", err, tt.mentions)
			}
		})
	}
}

func TestReadRetryableWhenRetriesRunOut(t *testing.T) {
	e, ctx := setupCanceling(t)
	e.put(t, "t", "n:INTEGER", []any{int64(1)})
	e.fake.Fail(fakebq.Fault{Call: "tabledata.list", Code: 503, Reason: "backendError", Message: "try later"})
	err := e.w.Read(ctx, warehouse.ReadRequest{Table: refp("t")}, func(warehouse.Batch) error { return nil })
	if !bigquery.IsRetryable(err) || !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want a retryable one after the context ended", err)
	}
}
