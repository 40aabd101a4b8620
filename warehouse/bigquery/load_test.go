package bigquery_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	bqapi "google.golang.org/api/bigquery/v2"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/bigquery"
)

var featuresSchema = warehouse.Schema{
	{Name: "value", Type: warehouse.String, Mode: warehouse.Required},
	{Name: "type", Type: warehouse.String},
	{Name: "weight", Type: warehouse.Float},
}

func TestLoadRequest(t *testing.T) {
	const csv = "value,type,weight\nUK,country,1.5\nFR,country,\n"
	labels := warehouse.JobLabels("acme", "init", "20240301")
	tests := []struct {
		name string
		job  warehouse.LoadJob
		want *bqapi.JobConfigurationLoad
		rows int64
	}{
		{
			name: "header skipped, table replaced by default",
			job: warehouse.LoadJob{Source: strings.NewReader(csv), Destination: ref("training_data_features_20240301"),
				Schema: featuresSchema, SkipLeadingRows: 1, Labels: labels},
			want: &bqapi.JobConfigurationLoad{
				DestinationTable: apiRef("training_data_features_20240301"),
				Schema: &bqapi.TableSchema{Fields: []*bqapi.TableFieldSchema{
					{Name: "value", Type: "STRING", Mode: "REQUIRED"},
					{Name: "type", Type: "STRING"},
					{Name: "weight", Type: "FLOAT"},
				}},
				SkipLeadingRows: 1, SourceFormat: "CSV", WriteDisposition: "WRITE_TRUNCATE", CreateDisposition: "CREATE_IF_NEEDED",
			},
			rows: 2,
		},
		{
			name: "append without header",
			job: warehouse.LoadJob{Source: strings.NewReader("UK,country,1.5\n"), Destination: ref("features"),
				Schema: featuresSchema, Write: warehouse.WriteAppend, Labels: labels},
			want: &bqapi.JobConfigurationLoad{
				DestinationTable: apiRef("features"),
				Schema: &bqapi.TableSchema{Fields: []*bqapi.TableFieldSchema{
					{Name: "value", Type: "STRING", Mode: "REQUIRED"},
					{Name: "type", Type: "STRING"},
					{Name: "weight", Type: "FLOAT"},
				}},
				SourceFormat: "CSV", WriteDisposition: "WRITE_APPEND", CreateDisposition: "CREATE_IF_NEEDED",
			},
			rows: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			b, err := io.ReadAll(tt.job.Source)
			if err != nil {
				t.Fatal(err)
			}
			data := string(b)
			tt.job.Source = strings.NewReader(data)
			res, err := e.w.Load(context.Background(), tt.job)
			if err != nil {
				t.Fatal(err)
			}
			uploads := e.fake.Find("jobs.insert")
			if len(uploads) != 1 {
				t.Fatalf("%d jobs.insert requests, want 1", len(uploads))
			}
			up := uploads[0]
			if got := up.Path + "?uploadType=" + up.Query.Get("uploadType"); got != "/upload/bigquery/v2/projects/proj/jobs?uploadType=multipart" {
				t.Errorf("upload to %s", got)
			}
			if string(up.Media) != data {
				t.Errorf("uploaded %q, want %q", up.Media, data)
			}
			job := e.lastJob(t)
			if diff := cmp.Diff(tt.want, job.Configuration.Load); diff != "" {
				t.Errorf("load configuration (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]string(labels), job.Configuration.Labels); diff != "" {
				t.Errorf("labels (-want +got):\n%s", diff)
			}
			if job.JobReference.Location != location {
				t.Errorf("location %q, want %q", job.JobReference.Location, location)
			}
			want := warehouse.JobResult{ID: job.JobReference.JobId, Destination: tt.job.Destination, Rows: tt.rows, Labels: labels}
			if diff := cmp.Diff(want, res); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadResumable loads more data than one upload chunk holds: the client then uploads in chunks, and
// the job starts with the last one.
func TestLoadResumable(t *testing.T) {
	const chunk = 256 << 10 // the smallest chunk the client allows
	e := setup(t, func(o *bigquery.Options) { o.UploadChunkSize = chunk })
	var sb strings.Builder
	n := 0
	for sb.Len() < 2*chunk+1000 {
		fmt.Fprintf(&sb, "customer-%06d,country,%d.5\n", n, n)
		n++
	}
	res, err := e.w.Load(context.Background(), warehouse.LoadJob{Source: strings.NewReader(sb.String()),
		Destination: ref("big"), Schema: featuresSchema})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != int64(n) {
		t.Errorf("rows = %d, want %d", res.Rows, n)
	}
	want := []string{"jobs.insert", "jobs.insert.upload", "jobs.insert.upload", "jobs.insert.upload", "tables.get"}
	if diff := cmp.Diff(want, e.fake.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if got := e.fake.Find("jobs.insert")[0].Query.Get("uploadType"); got != "resumable" {
		t.Errorf("uploadType = %q, want resumable", got)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(t *testing.T, e *env)
		job      warehouse.LoadJob
		mentions []string
	}{
		{
			name:     "value that does not parse",
			job:      warehouse.LoadJob{Source: strings.NewReader("UK,country,heavy\n"), SourceName: "features.csv", Destination: ref("f"), Schema: featuresSchema},
			mentions: []string{"features.csv", "proj.ds.f", "Could not parse 'heavy' as FLOAT64 for field weight"},
		},
		{
			name:     "missing required value",
			job:      warehouse.LoadJob{Source: strings.NewReader(",country,1\n"), Destination: ref("f"), Schema: featuresSchema},
			mentions: []string{"CSV data", "Required column value for column index: 0 is missing"},
		},
		{
			name:     "appending another schema",
			setup:    func(t *testing.T, e *env) { e.put(t, "f", "other:INTEGER", []any{int64(1)}) },
			job:      warehouse.LoadJob{Source: strings.NewReader("UK,country,1\n"), Destination: ref("f"), Schema: featuresSchema, Write: warehouse.WriteAppend},
			mentions: []string{"Provided Schema does not match Table proj:ds.f"},
		},
		{
			name:     "no source",
			job:      warehouse.LoadJob{Destination: ref("f"), Schema: featuresSchema},
			mentions: []string{"no source"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			if tt.setup != nil {
				tt.setup(t, e)
			}
			_, err := e.w.Load(context.Background(), tt.job)
			if err == nil {
				t.Fatal("no error")
			}
			for _, m := range tt.mentions {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
			if bigquery.IsRetryable(err) || errors.Is(err, warehouse.ErrNotFound) {
				t.Errorf("error %v is retryable or not-found", err)
			}
		})
	}
}
