package bigquery_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	bqapi "google.golang.org/api/bigquery/v2"

	"github.com/pltv/pltv/warehouse"
)

func TestCopy(t *testing.T) {
	labels := warehouse.JobLabels("acme", "predict", "20240301")
	tests := []struct {
		name     string
		dest     [][]any // rows already in the destination; nil: no destination table
		write    warehouse.WriteDisposition
		wantRows int64
		wantErr  string
	}{
		{name: "new table", wantRows: 2},
		{name: "replaces by default", dest: [][]any{{"old"}}, wantRows: 2},
		{name: "append", dest: [][]any{{"old"}}, write: warehouse.WriteAppend, wantRows: 3},
		{name: "empty destination", dest: [][]any{}, write: warehouse.WriteEmpty, wantRows: 2},
		{name: "destination not empty", dest: [][]any{{"old"}}, write: warehouse.WriteEmpty, wantErr: "Already Exists: Table proj:ds.dst"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			e.put(t, "src", "x:STRING", []any{"a"}, []any{"b"})
			if tt.dest != nil {
				e.put(t, "dst", "x:STRING", tt.dest...)
			}
			res, err := e.w.Copy(context.Background(), warehouse.CopyJob{Source: ref("src"), Destination: ref("dst"), Write: tt.write, Labels: labels})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			job := e.lastJob(t)
			write := string(tt.write)
			if write == "" {
				write = "WRITE_TRUNCATE"
			}
			want := &bqapi.JobConfigurationTableCopy{SourceTables: []*bqapi.TableReference{apiRef("src")}, DestinationTable: apiRef("dst"),
				WriteDisposition: write, CreateDisposition: "CREATE_IF_NEEDED"}
			if diff := cmp.Diff(want, job.Configuration.Copy); diff != "" {
				t.Errorf("copy configuration (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]string(labels), job.Configuration.Labels); diff != "" {
				t.Errorf("labels (-want +got):\n%s", diff)
			}
			wantRes := warehouse.JobResult{ID: job.JobReference.JobId, Destination: ref("dst"), Rows: tt.wantRows, Labels: labels}
			if diff := cmp.Diff(wantRes, res); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCopyMissingSource(t *testing.T) {
	e := setup(t)
	e.fake.SetPolls(1)
	_, err := e.w.Copy(context.Background(), warehouse.CopyJob{Source: ref("nope"), Destination: ref("dst")})
	if !errors.Is(err, warehouse.ErrNotFound) || !strings.Contains(err.Error(), "proj:ds.nope") {
		t.Errorf("error = %v, want ErrNotFound naming the source", err)
	}
	if diff := cmp.Diff([]string{"jobs.insert", "jobs.get", "jobs.get"}, e.fake.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}
