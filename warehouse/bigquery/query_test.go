package bigquery_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	bqapi "google.golang.org/api/bigquery/v2"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/bigquery"
	"github.com/pltv/pltv/warehouse/bigquery/internal/fakebq"
)

var pfalse = false

func TestQueryJobRequest(t *testing.T) {
	labels := warehouse.JobLabels("acme", "prepare", "20240301")
	other := warehouse.Ref{Project: "other", Dataset: "ds2", Table: "t"}
	tests := []struct {
		name string
		job  warehouse.QueryJob
		want *bqapi.JobConfigurationQuery
	}{
		{
			name: "destination replaced by default",
			job:  warehouse.QueryJob{SQL: "SELECT 1", Destination: refp("out_20240301"), Labels: labels},
			want: &bqapi.JobConfigurationQuery{Query: "SELECT 1", UseLegacySql: &pfalse, DestinationTable: apiRef("out_20240301"),
				WriteDisposition: "WRITE_TRUNCATE", CreateDisposition: "CREATE_IF_NEEDED"},
		},
		{
			name: "append",
			job:  warehouse.QueryJob{SQL: "SELECT 1", Destination: refp("out"), Write: warehouse.WriteAppend, Labels: labels},
			want: &bqapi.JobConfigurationQuery{Query: "SELECT 1", UseLegacySql: &pfalse, DestinationTable: apiRef("out"),
				WriteDisposition: "WRITE_APPEND", CreateDisposition: "CREATE_IF_NEEDED"},
		},
		{
			name: "only when empty",
			job:  warehouse.QueryJob{SQL: "SELECT 1", Destination: refp("out"), Write: warehouse.WriteEmpty, Labels: labels},
			want: &bqapi.JobConfigurationQuery{Query: "SELECT 1", UseLegacySql: &pfalse, DestinationTable: apiRef("out"),
				WriteDisposition: "WRITE_EMPTY", CreateDisposition: "CREATE_IF_NEEDED"},
		},
		{
			name: "destination in another project",
			job:  warehouse.QueryJob{SQL: "SELECT 1", Destination: &other, Labels: labels},
			want: &bqapi.JobConfigurationQuery{Query: "SELECT 1", UseLegacySql: &pfalse,
				DestinationTable:  &bqapi.TableReference{ProjectId: "other", DatasetId: "ds2", TableId: "t"},
				WriteDisposition:  "WRITE_TRUNCATE",
				CreateDisposition: "CREATE_IF_NEEDED"},
		},
		{
			name: "no destination",
			job:  warehouse.QueryJob{SQL: "DELETE FROM `proj.ds.t` WHERE TRUE", Labels: labels},
			want: &bqapi.JobConfigurationQuery{Query: "DELETE FROM `proj.ds.t` WHERE TRUE", UseLegacySql: &pfalse},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			e.answer(fakebq.Answer{})
			res, err := e.w.Query(context.Background(), tt.job)
			if err != nil {
				t.Fatal(err)
			}
			job := e.lastJob(t)
			if diff := cmp.Diff(tt.want, job.Configuration.Query); diff != "" {
				t.Errorf("query configuration (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]string(labels), job.Configuration.Labels); diff != "" {
				t.Errorf("labels (-want +got):\n%s", diff)
			}
			wantRef := &bqapi.JobReference{ProjectId: project, Location: location, JobId: res.ID}
			if diff := cmp.Diff(wantRef, job.JobReference); diff != "" {
				t.Errorf("job reference (-want +got):\n%s", diff)
			}
		})
	}
}

func TestQueryParameters(t *testing.T) {
	ts := time.Date(2024, 3, 1, 6, 30, 15, 123456000, time.UTC)
	tests := []struct {
		name  string
		value any
		want  *bqapi.QueryParameter
	}{
		{"date", date(2024, 3, 1), param("DATE", "2024-03-01")},
		{"timestamp", ts, param("TIMESTAMP", "2024-03-01 06:30:15.123456+00:00")},
		{"timestamp elsewhere", ts.In(time.FixedZone("X", 3600)), param("TIMESTAMP", "2024-03-01 07:30:15.123456+01:00")},
		{"int64", int64(42), param("INT64", "42")},
		{"int", 7, param("INT64", "7")},
		{"float64", 1.5, param("FLOAT64", "1.5")},
		{"bool", true, param("BOOL", "true")},
		{"string", "acme", param("STRING", "acme")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			e.answer(fakebq.Answer{})
			_, err := e.w.Query(context.Background(), warehouse.QueryJob{SQL: "SELECT @v", Params: map[string]any{"v": tt.value}})
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Name = "v"
			want := []*bqapi.QueryParameter{tt.want}
			if diff := cmp.Diff(want, e.lastJob(t).Configuration.Query.QueryParameters); diff != "" {
				t.Errorf("parameters (-want +got):\n%s", diff)
			}
		})
	}
}

func param(typ, value string) *bqapi.QueryParameter {
	return &bqapi.QueryParameter{ParameterType: &bqapi.QueryParameterType{Type: typ}, ParameterValue: &bqapi.QueryParameterValue{Value: value}}
}

func TestQueryParametersSortedByName(t *testing.T) {
	e := setup(t)
	e.answer(fakebq.Answer{})
	params := map[string]any{"run_date": date(2024, 3, 1), "deployment": "acme", "lag": int64(1)}
	if _, err := e.w.Query(context.Background(), warehouse.QueryJob{SQL: "SELECT @run_date, @deployment, @lag", Params: params}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range e.lastJob(t).Configuration.Query.QueryParameters {
		got = append(got, p.Name)
	}
	if diff := cmp.Diff([]string{"deployment", "lag", "run_date"}, got); diff != "" {
		t.Errorf("parameter order (-want +got):\n%s", diff)
	}
}

func TestQueryRefusesParametersWithoutType(t *testing.T) {
	tests := []struct {
		name  string
		value any
	}{
		{"nil", nil},
		{"slice", []int{1}},
		{"uint", uint(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			_, err := e.w.Query(context.Background(), warehouse.QueryJob{SQL: "SELECT @v", Params: map[string]any{"v": tt.value}})
			if err == nil || !strings.Contains(err.Error(), "@v") {
				t.Errorf("error = %v, want one naming @v", err)
			}
			if calls := e.fake.Calls(); len(calls) != 0 {
				t.Errorf("calls = %v, want none", calls)
			}
		})
	}
}

func TestQueryResult(t *testing.T) {
	rows := [][]any{{"a"}, {"b"}, {"c"}}
	tests := []struct {
		name   string
		setup  func(t *testing.T, e *env)
		job    warehouse.QueryJob
		answer fakebq.Answer
		want   warehouse.JobResult
		calls  []string
	}{
		{
			name:   "destination rows counted after the job",
			job:    warehouse.QueryJob{SQL: "SELECT x", Destination: refp("out"), Labels: warehouse.Labels{"k": "v"}},
			answer: fakebq.Answer{Schema: apiSchema("x:STRING"), Rows: rows},
			want:   warehouse.JobResult{Destination: ref("out"), Rows: 3, Labels: warehouse.Labels{"k": "v"}},
			calls:  []string{"jobs.insert", "tables.get"},
		},
		{
			name:   "append counts the whole table",
			setup:  func(t *testing.T, e *env) { e.put(t, "out", "x:STRING", []any{"old"}, []any{"old"}) },
			job:    warehouse.QueryJob{SQL: "SELECT x", Destination: refp("out"), Write: warehouse.WriteAppend},
			answer: fakebq.Answer{Schema: apiSchema("x:STRING"), Rows: rows},
			want:   warehouse.JobResult{Destination: ref("out"), Rows: 5},
			calls:  []string{"jobs.insert", "tables.get"},
		},
		{
			name:   "DML counts affected rows",
			job:    warehouse.QueryJob{SQL: "UPDATE `proj.ds.t` SET x = 1 WHERE TRUE"},
			answer: fakebq.Answer{StatementType: "UPDATE", DMLAffectedRows: 7},
			want:   warehouse.JobResult{Rows: 7},
			calls:  []string{"jobs.insert"},
		},
		{
			name:   "running job is polled until done",
			job:    warehouse.QueryJob{SQL: "SELECT x", Destination: refp("out")},
			answer: fakebq.Answer{Schema: apiSchema("x:STRING"), Rows: rows, Polls: 2},
			want:   warehouse.JobResult{Destination: ref("out"), Rows: 3},
			calls:  []string{"jobs.insert", "jobs.get", "jobs.get", "jobs.get", "tables.get"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			if tt.setup != nil {
				tt.setup(t, e)
			}
			e.answer(tt.answer)
			got, err := e.w.Query(context.Background(), tt.job)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(warehouse.JobResult{}, "ID")); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if got.ID == "" || got.ID != e.lastJob(t).JobReference.JobId {
				t.Errorf("job id %q, want the id of the job sent", got.ID)
			}
			if diff := cmp.Diff(tt.calls, e.fake.Calls()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			for _, r := range e.fake.Find("jobs.get") {
				if got := r.Query.Get("location"); got != location {
					t.Errorf("jobs.get location = %q, want %q", got, location)
				}
			}
		})
	}
}

func TestQueryPollBackoff(t *testing.T) {
	e := setup(t, func(o *bigquery.Options) { o.PollInitial = 100 * time.Millisecond; o.PollMax = 200 * time.Millisecond })
	e.answer(fakebq.Answer{Polls: 4})
	if _, err := e.w.Query(context.Background(), warehouse.QueryJob{SQL: "SELECT 1"}); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{100 * time.Millisecond, 150 * time.Millisecond, 200 * time.Millisecond, 200 * time.Millisecond, 200 * time.Millisecond}
	if diff := cmp.Diff(want, e.waits()); diff != "" {
		t.Errorf("waits between polls (-want +got):\n%s", diff)
	}
}

func TestQueryErrors(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(t *testing.T, e *env)
		job       warehouse.QueryJob
		answer    fakebq.Answer
		sqlErr    *warehouse.SQLError
		notFound  bool
		retryable bool
		mentions  string
	}{
		{
			name:   "syntax error with position",
			job:    warehouse.QueryJob{SQL: "SELECT\n  x\n  FORM t"},
			answer: fakebq.Answer{Error: fakebq.SyntaxError(3, 3, `Expected end of input but got identifier "FORM"`)},
			sqlErr: &warehouse.SQLError{Line: 3, Column: 3, Message: `Syntax error: Expected end of input but got identifier "FORM"`},
		},
		{
			name:   "unknown parameter",
			job:    warehouse.QueryJob{SQL: "SELECT *\nFROM t WHERE d = @run_date", Destination: refp("out")},
			sqlErr: &warehouse.SQLError{Line: 2, Column: 18, Message: "Query parameter 'run_date' not found"},
		},
		{
			name: "missing table",
			job:  warehouse.QueryJob{SQL: "SELECT * FROM `proj.ds.nope`"},
			answer: fakebq.Answer{Error: &bqapi.ErrorProto{Reason: "notFound",
				Message: "Not found: Table proj:ds.nope was not found in location EU"}},
			notFound: true,
			mentions: "proj:ds.nope",
		},
		{
			name:      "backend error",
			job:       warehouse.QueryJob{SQL: "SELECT 1"},
			answer:    fakebq.Answer{Error: &bqapi.ErrorProto{Reason: "backendError", Message: "Backend error. Job aborted."}},
			retryable: true,
			mentions:  "Backend error",
		},
		{
			name:     "destination not empty",
			setup:    func(t *testing.T, e *env) { e.put(t, "out", "x:STRING", []any{"old"}) },
			job:      warehouse.QueryJob{SQL: "SELECT x", Destination: refp("out"), Write: warehouse.WriteEmpty},
			answer:   fakebq.Answer{Schema: apiSchema("x:STRING"), Rows: [][]any{{"new"}}},
			mentions: "Already Exists: Table proj:ds.out",
		},
		{
			name:     "unknown write disposition",
			job:      warehouse.QueryJob{SQL: "SELECT 1", Destination: refp("out"), Write: "WRITE_SOMETIMES"},
			mentions: "WRITE_SOMETIMES",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			if tt.setup != nil {
				tt.setup(t, e)
			}
			e.answer(tt.answer)
			_, err := e.w.Query(context.Background(), tt.job)
			if err == nil {
				t.Fatal("no error")
			}
			var sqlErr *warehouse.SQLError
			if !errors.As(err, &sqlErr) {
				sqlErr = nil
			}
			if diff := cmp.Diff(tt.sqlErr, sqlErr); diff != "" {
				t.Errorf("SQL error (-want +got):\n%s\nerror: %v", diff, err)
			}
			if got := errors.Is(err, warehouse.ErrNotFound); got != tt.notFound {
				t.Errorf("errors.Is(ErrNotFound) = %v, want %v: %v", got, tt.notFound, err)
			}
			if got := bigquery.IsRetryable(err); got != tt.retryable {
				t.Errorf("IsRetryable = %v, want %v: %v", got, tt.retryable, err)
			}
			if !strings.Contains(err.Error(), tt.mentions) {
				t.Errorf("error %q does not mention %q", err, tt.mentions)
			}
		})
	}
}

// TestQueryRetryableWhenRetriesRunOut shows a transient failure of jobs.insert itself: the client retries it
// until the context ends, and the error then still says it was retryable.
func TestQueryRetryableWhenRetriesRunOut(t *testing.T) {
	e, ctx := setupCanceling(t)
	e.fake.Fail(fakebq.Fault{Call: "jobs.insert", Code: 503, Reason: "backendError", Message: "try later"})
	_, err := e.w.Query(ctx, warehouse.QueryJob{SQL: "SELECT 1"})
	if !bigquery.IsRetryable(err) || !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want a retryable one after the context ended", err)
	}
}
