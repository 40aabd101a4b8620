package bigquery_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/bigquery"
	"github.com/pltv/pltv/warehouse/bigquery/internal/fakebq"
)

func TestTable(t *testing.T) {
	schema := warehouse.Schema{{Name: "x", Type: warehouse.String, Mode: warehouse.Nullable}}
	tests := []struct {
		name  string
		setup func(t *testing.T, e *env)
		want  warehouse.TableInfo
	}{
		{
			name: "missing",
			want: warehouse.TableInfo{Ref: ref("t"), State: warehouse.Missing},
		},
		{
			name:  "empty",
			setup: func(t *testing.T, e *env) { e.put(t, "t", "x:STRING") },
			want:  warehouse.TableInfo{Ref: ref("t"), State: warehouse.Empty, Schema: schema},
		},
		{
			name:  "with rows",
			setup: func(t *testing.T, e *env) { e.put(t, "t", "x:STRING", []any{"a"}, []any{"b"}) },
			want:  warehouse.TableInfo{Ref: ref("t"), State: warehouse.HasRows, Rows: 2, Schema: schema},
		},
		{
			name: "rows only in the streaming buffer",
			setup: func(t *testing.T, e *env) {
				if err := e.w.Insert(context.Background(), ref("t"), schema, []warehouse.Row{{"a"}}); err != nil {
					t.Fatal(err)
				}
			},
			want: warehouse.TableInfo{Ref: ref("t"), State: warehouse.HasRows, Rows: 1, Schema: schema},
		},
		{
			name: "rows stored and streamed",
			setup: func(t *testing.T, e *env) {
				e.put(t, "t", "x:STRING", []any{"a"})
				if err := e.w.Insert(context.Background(), ref("t"), schema, []warehouse.Row{{"b"}, {"c"}}); err != nil {
					t.Fatal(err)
				}
			},
			want: warehouse.TableInfo{Ref: ref("t"), State: warehouse.HasRows, Rows: 3, Schema: schema},
		},
		{
			name:  "columns the port does not read",
			setup: func(t *testing.T, e *env) { e.put(t, "t", "b:BYTES,g:GEOGRAPHY:REQUIRED") },
			want: warehouse.TableInfo{Ref: ref("t"), State: warehouse.Empty,
				Schema: warehouse.Schema{{Name: "b", Type: "BYTES", Mode: warehouse.Nullable}, {Name: "g", Type: "GEOGRAPHY", Mode: warehouse.Required}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			if tt.setup != nil {
				tt.setup(t, e)
			}
			e.fake.Reset()
			got, err := e.w.Table(context.Background(), ref("t"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("table (-want +got):\n%s", diff)
			}
			reqs := e.fake.Find("tables.get")
			if len(reqs) != 1 || reqs[0].Path != "/bigquery/v2/projects/proj/datasets/ds/tables/t" {
				t.Errorf("tables.get requests = %+v, want one for proj.ds.t", reqs)
			}
		})
	}
}

func TestTableError(t *testing.T) {
	e := setup(t)
	e.fake.Fail(fakebq.Fault{Call: "tables.get", Code: 403, Reason: "accessDenied", Message: "Access Denied: Table proj:ds.t"})
	_, err := e.w.Table(context.Background(), ref("t"))
	if err == nil || !strings.Contains(err.Error(), "Access Denied") || bigquery.IsRetryable(err) || errors.Is(err, warehouse.ErrNotFound) {
		t.Errorf("error = %v, want access denied, neither retryable nor not-found", err)
	}
}

func TestTables(t *testing.T) {
	tests := []struct {
		name     string
		dataset  warehouse.Dataset
		prefix   string
		listSize int
		want     []string
	}{
		{name: "prefix", dataset: warehouse.Dataset{Dataset: "ds"}, prefix: "predictions_", listSize: 50,
			want: []string{"predictions_20240301", "predictions_20240302", "predictions_20240303"}},
		{name: "all tables over many pages", dataset: warehouse.Dataset{Dataset: "ds"}, listSize: 2,
			want: []string{"metadata", "predictions_20240301", "predictions_20240302", "predictions_20240303", "prepared_20240301"}},
		{name: "explicit project", dataset: warehouse.Dataset{Project: project, Dataset: "ds"}, prefix: "prep", listSize: 50,
			want: []string{"prepared_20240301"}},
		{name: "no match", dataset: warehouse.Dataset{Dataset: "ds"}, prefix: "x", listSize: 50},
		{name: "other dataset", dataset: warehouse.Dataset{Dataset: "empty"}, listSize: 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			e.fake.SetListPageSize(tt.listSize)
			// Created out of order: the listing sorts.
			for _, name := range []string{"predictions_20240303", "metadata", "predictions_20240301", "prepared_20240301", "predictions_20240302"} {
				e.put(t, name, "x:STRING", []any{name})
			}
			e.put(t, "predictions_20240302", "x:STRING")
			if err := e.fake.PutTable("other", "ds", "predictions_20240304", apiSchema("x:STRING"), nil); err != nil {
				t.Fatal(err)
			}
			got, err := e.w.Tables(context.Background(), tt.dataset, tt.prefix)
			if err != nil {
				t.Fatal(err)
			}
			var want []warehouse.TableInfo
			for _, name := range tt.want {
				info := warehouse.TableInfo{Ref: tt.dataset.Table(name), State: warehouse.HasRows, Rows: 1,
					Schema: warehouse.Schema{{Name: "x", Type: warehouse.String, Mode: warehouse.Nullable}}}
				if name == "predictions_20240302" {
					info.State, info.Rows = warehouse.Empty, 0
				}
				want = append(want, info)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("tables (-want +got):\n%s", diff)
			}
			lists := len(e.fake.Find("tables.list"))
			if wantLists := max(1, (5+tt.listSize-1)/tt.listSize); tt.dataset.Dataset == "ds" && lists != wantLists {
				t.Errorf("%d tables.list requests, want %d", lists, wantLists)
			}
			var described []string
			for _, r := range e.fake.Find("tables.get") {
				described = append(described, r.Path[strings.LastIndex(r.Path, "/")+1:])
			}
			slices.Sort(described)
			if diff := cmp.Diff(tt.want, described); diff != "" {
				t.Errorf("tables described (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTablesSkipsTableDroppedWhileListing(t *testing.T) {
	e := setup(t)
	e.put(t, "a", "x:STRING")
	e.put(t, "b", "x:STRING")
	e.fake.Fail(fakebq.Fault{Call: "tables.get", Table: "a", Code: 404, Reason: "notFound", Message: "Not found: Table proj:ds.a"})
	got, err := e.w.Tables(context.Background(), warehouse.Dataset{Dataset: "ds"}, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []warehouse.TableInfo{{Ref: ref("b"), State: warehouse.Empty, Schema: warehouse.Schema{{Name: "x", Type: warehouse.String, Mode: warehouse.Nullable}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
}

func TestDrop(t *testing.T) {
	tests := []struct {
		name    string
		exists  bool
		fault   *fakebq.Fault
		wantErr string
	}{
		{name: "existing", exists: true},
		{name: "missing is fine"},
		{name: "refused", exists: true, fault: &fakebq.Fault{Call: "tables.delete", Code: 403, Reason: "accessDenied", Message: "Access Denied"},
			wantErr: "drop proj.ds.t"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			if tt.exists {
				e.put(t, "t", "x:STRING", []any{"a"})
			}
			if tt.fault != nil {
				e.fake.Fail(*tt.fault)
			}
			err := e.w.Drop(context.Background(), ref("t"))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			reqs := e.fake.Find("tables.delete")
			if len(reqs) != 1 || reqs[0].Path != "/bigquery/v2/projects/proj/datasets/ds/tables/t" {
				t.Errorf("tables.delete requests = %+v", reqs)
			}
			if names := e.fake.TableNames(); len(names) != 0 {
				t.Errorf("tables left: %v", names)
			}
		})
	}
}
