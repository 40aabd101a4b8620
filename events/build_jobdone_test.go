package events

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/warehouse"
)

// finishedFixtures are the audit-log fixtures of finished jobs.
var finishedFixtures = []string{
	"example_binary_audit_LogEntryData-bigqueryjobcompleted.json",
	"testdata_audit_v1_LogEntryData-bigqueryjobcompleted.json",
	"insertjob_query_done.json",
	"insertjob_query_failed.json",
	"insertjob_load_done.json",
	"insertjob_copy_done.json",
}

func TestNewJobDoneEventRoundTrip(t *testing.T) {
	jobs := fixtureJobs(t)
	for _, name := range append(finishedFixtures, "insertjob_query_running.json") {
		want := jobs[name]
		for _, format := range []struct {
			name   string
			build  func(JobDone) (event.Event, error)
			method string
			event  string
		}{
			{"InsertJob", NewJobDoneEvent, MethodInsertJob, "jobChange"},
			{"legacy", NewLegacyJobDoneEvent, MethodJobCompleted, legacyEventName[want.Kind]},
		} {
			if format.name == "legacy" && !want.Finished() {
				continue
			}
			t.Run(format.name+"/"+name, func(t *testing.T) {
				e, err := format.build(want)
				if err != nil {
					t.Fatal(err)
				}
				got, err := DecodeJobDone(e)
				if err != nil {
					t.Fatal(err)
				}
				want := want
				want.Method, want.Event = format.method, format.event
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("decoded event (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestNewJobDoneEventAttributes(t *testing.T) {
	j := fixtureJobs(t)["insertjob_query_done.json"]
	micros := strconv.FormatInt(j.EndTime.UnixMicro(), 10)
	tests := []struct {
		name     string
		build    func(JobDone) (event.Event, error)
		method   string
		resource string
	}{
		{"InsertJob", NewJobDoneEvent, MethodInsertJob, "bigquery_project"},
		{"legacy", NewLegacyJobDoneEvent, MethodJobCompleted, "bigquery_resource"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := tc.build(j)
			if err != nil {
				t.Fatal(err)
			}
			var body struct {
				InsertID string `json:"insertId"`
				LogName  string `json:"logName"`
				Resource struct {
					Type string `json:"type"`
				} `json:"resource"`
			}
			if err := json.Unmarshal(e.Data(), &body); err != nil {
				t.Fatal(err)
			}
			got := attributes(e)
			want := map[string]string{
				"specversion":     "1.0",
				"id":              "projects/pltv-demo/logs/cloudaudit.googleapis.com%2Fdata_access" + body.InsertID + micros,
				"source":          "//cloudaudit.googleapis.com/projects/pltv-demo/logs/data_access",
				"type":            TypeAuditLogWritten,
				"subject":         "bigquery.googleapis.com/projects/pltv-demo/jobs/pltv_demo_pltv_prepare_20101201_r8tq2lk3vz9xwp4bn7sy",
				"time":            "2024-05-02T06:00:07.845Z",
				"datacontenttype": "application/json; charset=utf-8",
				"dataschema":      "https://googleapis.github.io/google-cloudevents/jsonschema/google/events/cloud/audit/v1/LogEntryData.json",
				ExtServiceName:    ServiceBigQuery,
				ExtMethodName:     tc.method,
				ExtResourceName:   "projects/pltv-demo/jobs/pltv_demo_pltv_prepare_20101201_r8tq2lk3vz9xwp4bn7sy",
				ExtRecordedTime:   "2024-05-02T06:00:07.845Z",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("attributes (-want +got):\n%s", diff)
			}
			if body.LogName != "projects/pltv-demo/logs/cloudaudit.googleapis.com%2Fdata_access" || body.Resource.Type != tc.resource {
				t.Errorf("logName, resource.type = %q, %q", body.LogName, body.Resource.Type)
			}
			again, err := tc.build(j)
			if err != nil {
				t.Fatal(err)
			}
			if again.ID() != e.ID() {
				t.Errorf("building the same entry twice gave ids %q and %q, want one (a redelivery)", e.ID(), again.ID())
			}
		})
	}
}

// attributes returns an event's context and extension attributes as strings.
func attributes(e event.Event) map[string]string {
	m := map[string]string{
		"specversion":     e.SpecVersion(),
		"id":              e.ID(),
		"source":          e.Source(),
		"type":            e.Type(),
		"subject":         e.Subject(),
		"time":            e.Time().Format("2006-01-02T15:04:05.999999999Z07:00"),
		"datacontenttype": e.DataContentType(),
		"dataschema":      e.DataSchema(),
	}
	for k, v := range e.Extensions() {
		m[k] = v.(string)
	}
	for k, v := range m {
		if v == "" {
			delete(m, k)
		}
	}
	return m
}

// TestJobDoneEventOverHTTP sends built events the way Eventarc does (binary mode: ce-* headers, the
// LogEntry as body) and decodes what a receiver parses.
func TestJobDoneEventOverHTTP(t *testing.T) {
	want := fixtureJobs(t)["insertjob_query_failed.json"]
	e, err := NewJobDoneEvent(want)
	if err != nil {
		t.Fatal(err)
	}
	req, err := cehttp.NewHTTPRequestFromEvent(context.Background(), "http://localhost:8080/", e)
	if err != nil {
		t.Fatal(err)
	}
	for h, v := range map[string]string{
		"Ce-Type":         TypeAuditLogWritten,
		"Ce-Methodname":   MethodInsertJob,
		"Ce-Servicename":  ServiceBigQuery,
		"Ce-Resourcename": want.Job.Name(),
		"Ce-Subject":      "bigquery.googleapis.com/" + want.Job.Name(),
		"Content-Type":    "application/json; charset=utf-8",
	} {
		if got := req.Header.Get(h); got != v {
			t.Errorf("header %s = %q, want %q", h, got, v)
		}
	}
	received, err := cehttp.NewEventFromHTTPRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeJobDone(*received)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("received (-want +got):\n%s", diff)
	}
}

// TestNewJobDoneEventShape checks that a built body has the fields of the one Cloud Logging writes, and
// no other: only what pltv cannot know (the query text, statistics) is left out.
func TestNewJobDoneEventShape(t *testing.T) {
	tests := []struct {
		file    string
		omitted []string // fields the builder leaves out: what only BigQuery knows
		added   []string // fields the builder writes that the fixture lacks
	}{
		{file: "insertjob_query_done.json", omitted: []string{
			"protoPayload.metadata.jobChange.job.jobConfig.queryConfig.query",
			"protoPayload.metadata.jobChange.job.jobStats.queryStats.",
			"protoPayload.metadata.jobChange.job.jobStats.totalSlotMs",
		}},
		{file: "insertjob_load_done.json", omitted: []string{
			"protoPayload.metadata.jobChange.job.jobConfig.loadConfig.schemaJson",
			"protoPayload.metadata.jobChange.job.jobConfig.loadConfig.sourceUris",
			"protoPayload.metadata.jobChange.job.jobStats.loadStats.",
			"protoPayload.metadata.jobChange.job.jobStats.totalSlotMs",
		}},
		{file: "insertjob_query_failed.json", omitted: []string{
			"protoPayload.metadata.jobChange.job.jobConfig.queryConfig.query",
		}, added: []string{
			// A query that fails to parse has no statement type; pltv's always say SELECT.
			"protoPayload.metadata.jobChange.job.jobConfig.queryConfig.statementType",
			"protoPayload.metadata.jobChange.job.jobStats.queryStats",
		}},
		{file: "example_binary_audit_LogEntryData-bigqueryjobcompleted.json", omitted: []string{
			"protoPayload.serviceData.jobCompletedEvent.job.jobConfiguration.query.query",
			"protoPayload.serviceData.jobCompletedEvent.job.jobStatistics.",
		}, added: []string{
			// Google's example lacks the @type Cloud Logging writes.
			"protoPayload.@type",
			"protoPayload.serviceData.@type",
			"protoPayload.serviceData.jobCompletedEvent.job.jobStatistics.createTime",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			j := fixtureJobs(t)[tc.file]
			build := NewJobDoneEvent
			if j.Method == MethodJobCompleted {
				build = NewLegacyJobDoneEvent
			}
			e, err := build(j)
			if err != nil {
				t.Fatal(err)
			}
			real := keyPaths(t, fixture(t, tc.file))
			built := keyPaths(t, e.Data())
			var missing, unexpected []string
			for p := range real {
				if !built[p] && !hasPrefix(p, tc.omitted) {
					missing = append(missing, p)
				}
			}
			for p := range built {
				if !real[p] && !hasPrefix(p, tc.added) {
					unexpected = append(unexpected, p)
				}
			}
			sort.Strings(missing)
			sort.Strings(unexpected)
			if len(missing)+len(unexpected) > 0 {
				t.Errorf("built body lacks %q and has %q", missing, unexpected)
			}
		})
	}
}

func hasPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if s == p || strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// keyPaths returns the dotted paths of every key in a JSON document ([] for array elements).
func keyPaths(t *testing.T, data []byte) map[string]bool {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	paths := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, c := range v {
				p := join(prefix, k)
				paths[p] = true
				walk(p, c)
			}
		case []any:
			for _, c := range v {
				walk(prefix+"[]", c)
			}
		}
	}
	walk("", v)
	return paths
}

func TestNewJobDoneEventRejects(t *testing.T) {
	good := fixtureJobs(t)["insertjob_query_done.json"]
	tests := []struct {
		name   string
		edit   func(*JobDone)
		legacy bool
	}{
		{name: "no job ID", edit: func(j *JobDone) { j.Job.ID = "" }},
		{name: "unknown kind", edit: func(j *JobDone) { j.Kind = "merge" }},
		{name: "finished without destination", edit: func(j *JobDone) { j.Destination = warehouse.Ref{} }},
		{name: "no time", edit: func(j *JobDone) { j.StartTime, j.EndTime = time.Time{}, time.Time{} }},
		{name: "legacy job not done", edit: func(j *JobDone) { j.State = StateRunning }, legacy: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := good
			tc.edit(&j)
			build := NewJobDoneEvent
			if tc.legacy {
				build = NewLegacyJobDoneEvent
			}
			if _, err := build(j); err == nil {
				t.Error("built an event, want an error")
			}
		})
	}
}
