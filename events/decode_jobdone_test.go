package events

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/warehouse"
)

const principal = "pltv-runner@pltv-demo.iam.gserviceaccount.com"

func demoLabels(stage, date string) warehouse.Labels {
	return warehouse.JobLabels("demo", stage, date)
}

// fixtureJobs are the JobDone each audit-log fixture decodes to.
func fixtureJobs(t testing.TB) map[string]JobDone {
	googleLegacy := JobDone{
		Job:         JobRef{Project: "test-project", ID: "sample-job", Location: "US"},
		Kind:        KindQuery,
		State:       StateDone,
		Destination: warehouse.Ref{Project: "test-project", Dataset: "sample-dataset", Table: "sample-table"},
		Principal:   "robot@test-project.iam.gserviceaccount.com",
		StartTime:   ts(t, "2021-11-25T21:55:59.956Z"),
		EndTime:     ts(t, "2021-11-25T21:56:00.236Z"),
		Method:      MethodJobCompleted,
		Event:       "query_job_completed",
	}
	googleTestdata := googleLegacy
	googleTestdata.Job.ID = "bqjob_r3ac45813612fa2d6_0000017d591922c9_1"
	googleTestdata.Destination = warehouse.Ref{
		Project: "test-project", Dataset: "_1f5a368b27df6124588f6733820599593e869a8a", Table: "anon1f50c147_3e76_44d8_a863_44a8ab3deb61",
	}
	prepare := JobDone{
		Job:         JobRef{Project: "pltv-demo", ID: "pltv_demo_pltv_prepare_20101201_r8tq2lk3vz9xwp4bn7sy", Location: "US"},
		Kind:        KindQuery,
		State:       StateDone,
		Destination: warehouse.Ref{Project: "pltv-demo", Dataset: "pltv", Table: "prepared_daily_transactions_20101201"},
		Labels:      demoLabels("prepare", "20101201"),
		Principal:   principal,
		StartTime:   ts(t, "2024-05-02T06:00:03.512Z"),
		EndTime:     ts(t, "2024-05-02T06:00:07.845Z"),
		Method:      MethodInsertJob,
		Event:       "jobChange",
	}
	inserted := prepare
	inserted.Event, inserted.State, inserted.StartTime, inserted.EndTime = "jobInsertion", StatePending, ts(t, "0001-01-01T00:00:00Z"), ts(t, "0001-01-01T00:00:00Z")
	running := prepare
	running.State, running.EndTime = StateRunning, ts(t, "0001-01-01T00:00:00Z")
	return map[string]JobDone{
		"example_binary_audit_LogEntryData-bigqueryjobcompleted.json": googleLegacy,
		"testdata_audit_v1_LogEntryData-bigqueryjobcompleted.json":    googleTestdata,
		"insertjob_query_done.json":                                   prepare,
		"insertjob_query_inserted.json":                               inserted,
		"insertjob_query_running.json":                                running,
		"insertjob_tabledatachange.json":                              {Principal: principal, Method: MethodInsertJob, Event: "tableDataChange"},
		"insertjob_query_failed.json": {
			Job:         JobRef{Project: "pltv-demo", ID: "pltv_demo_pltv_filter_20101202_xc2wm9qa7lr4tz1vb8np", Location: "US"},
			Kind:        KindQuery,
			State:       StateDone,
			Destination: warehouse.Ref{Project: "pltv-demo", Dataset: "pltv", Table: "prepared_new_customers_daily_transactions_20101202"},
			Labels:      demoLabels("filter", "20101202"),
			Err:         &Status{Code: 3, Reason: "INVALID_ARGUMENT", Message: "Syntax error: Unexpected keyword FROM at [4:3]"},
			Principal:   principal,
			StartTime:   ts(t, "2024-05-02T06:01:10.101Z"),
			EndTime:     ts(t, "2024-05-02T06:01:10.377Z"),
			Method:      MethodInsertJob,
			Event:       "jobChange",
		},
		"insertjob_load_done.json": {
			Job:         JobRef{Project: "pltv-demo", ID: "pltv_demo_pltv_init_20101201_lk7hb2nd9qs4wx1zc6vm3", Location: "US"},
			Kind:        KindLoad,
			State:       StateDone,
			Destination: warehouse.Ref{Project: "pltv-demo", Dataset: "pltv", Table: "training_data_features_20101201"},
			Labels:      demoLabels("init", "20101201"),
			Principal:   principal,
			StartTime:   ts(t, "2024-05-01T21:14:55.799Z"),
			EndTime:     ts(t, "2024-05-01T21:14:58.112Z"),
			Method:      MethodInsertJob,
			Event:       "jobChange",
		},
		"insertjob_copy_done.json": {
			Job:         JobRef{Project: "pltv-demo", ID: "pltv_demo_pltv_predict_20101203_cp3yt8ws1qv6nx2lm9kd", Location: "US"},
			Kind:        KindCopy,
			State:       StateDone,
			Destination: warehouse.Ref{Project: "pltv-demo", Dataset: "pltv", Table: "predictions_20101203"},
			Labels:      demoLabels("predict", "20101203"),
			Principal:   principal,
			StartTime:   ts(t, "2024-05-02T06:20:41.133Z"),
			EndTime:     ts(t, "2024-05-02T06:20:42.530Z"),
			Method:      MethodInsertJob,
			Event:       "jobChange",
		},
	}
}

func TestDecodeJobDoneJSON(t *testing.T) {
	jobs := fixtureJobs(t)
	tests := []struct {
		name         string
		file         string
		data         []byte
		wantFinished bool
		wantOK       bool
	}{
		{name: "legacy query, Google example", file: "example_binary_audit_LogEntryData-bigqueryjobcompleted.json", wantFinished: true, wantOK: true},
		{name: "legacy query, Google testdata with @type", file: "testdata_audit_v1_LogEntryData-bigqueryjobcompleted.json", wantFinished: true, wantOK: true},
		{name: "legacy query, structured event data", file: "example_binary_audit_LogEntryData-bigqueryjobcompleted.json",
			data: structuredData(t, "example_structured_audit_LogEntryData-bigqueryjobcompleted.json"), wantFinished: true, wantOK: true},
		{name: "InsertJob query done", file: "insertjob_query_done.json", wantFinished: true, wantOK: true},
		{name: "InsertJob query failed", file: "insertjob_query_failed.json", wantFinished: true},
		{name: "InsertJob load done", file: "insertjob_load_done.json", wantFinished: true, wantOK: true},
		{name: "InsertJob copy done", file: "insertjob_copy_done.json", wantFinished: true, wantOK: true},
		{name: "InsertJob job inserted", file: "insertjob_query_inserted.json"},
		{name: "InsertJob job running", file: "insertjob_query_running.json"},
		{name: "InsertJob table data change", file: "insertjob_tabledatachange.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.data
			if data == nil {
				data = fixture(t, tc.file)
			}
			got, err := DecodeJobDoneJSON(data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(jobs[tc.file], got); diff != "" {
				t.Errorf("DecodeJobDoneJSON (-want +got):\n%s", diff)
			}
			if got.Finished() != tc.wantFinished || got.Succeeded() != tc.wantOK {
				t.Errorf("Finished, Succeeded = %v, %v, want %v, %v", got.Finished(), got.Succeeded(), tc.wantFinished, tc.wantOK)
			}
		})
	}
}

func TestDecodeJobDoneJSONStatusFallback(t *testing.T) {
	// A failed job whose jobStatus lost its errorResult still fails, with protoPayload.status as the reason.
	data := patched(t, "insertjob_query_failed.json", func(m map[string]any) {
		delete(at(m, "protoPayload", "metadata", "jobChange", "job", "jobStatus"), "errorResult")
	})
	got, err := DecodeJobDoneJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	want := &Status{Code: 3, Reason: "INVALID_ARGUMENT", Message: "Syntax error: Unexpected keyword FROM at [4:3]"}
	if diff := cmp.Diff(want, got.Err); diff != "" {
		t.Errorf("Err (-want +got):\n%s", diff)
	}
}

func TestDecodeJobDoneJSONMalformed(t *testing.T) {
	job := func(m map[string]any) map[string]any { return at(m, "protoPayload", "metadata", "jobChange", "job") }
	legacyJob := func(m map[string]any) map[string]any {
		return at(m, "protoPayload", "serviceData", "jobCompletedEvent", "job")
	}
	tests := []struct {
		name      string
		data      []byte
		wantField string
	}{
		{"not JSON", []byte("{"), "LogEntry"},
		{"not an audit log", []byte(`{"insertId":"x","textPayload":"hello"}`), "protoPayload"},
		{"wrong type of field", []byte(`{"protoPayload":{"methodName":7}}`), "LogEntry"},
		{"not BigQuery", fixture(t, "testdata_audit_v1_LogEntryData-pubsubCreateTopic.json"), "protoPayload.serviceName"},
		{"not a job method", patched(t, "insertjob_query_done.json", func(m map[string]any) {
			at(m, "protoPayload")["methodName"] = "google.cloud.bigquery.v2.TableService.InsertTable"
		}), "protoPayload.methodName"},
		{"no metadata", patched(t, "insertjob_query_done.json", func(m map[string]any) {
			delete(at(m, "protoPayload"), "metadata")
		}), "protoPayload.metadata"},
		{"metadata without event", patched(t, "insertjob_query_done.json", func(m map[string]any) {
			delete(at(m, "protoPayload", "metadata"), "jobChange")
		}), "protoPayload.metadata"},
		{"jobChange without job", patched(t, "insertjob_query_done.json", func(m map[string]any) {
			delete(at(m, "protoPayload", "metadata", "jobChange"), "job")
		}), "protoPayload.metadata.jobChange.job"},
		{"bad job name", patched(t, "insertjob_query_done.json", func(m map[string]any) {
			job(m)["jobName"] = "pltv-demo:US.job_1"
		}), "protoPayload.metadata.jobChange.job.jobName"},
		{"job name of the wrong type", patched(t, "insertjob_query_done.json", func(m map[string]any) {
			job(m)["jobName"] = 42
		}), "protoPayload.metadata.jobChange.job.jobName"},
		{"destination not a resource name", patched(t, "insertjob_query_done.json", func(m map[string]any) {
			at(job(m), "jobConfig", "queryConfig")["destinationTable"] = "pltv-demo.pltv.prepared"
		}), "protoPayload.metadata.jobChange.job.jobConfig.queryConfig.destinationTable"},
		{"finished without destination", patched(t, "insertjob_query_done.json", func(m map[string]any) {
			delete(at(job(m), "jobConfig", "queryConfig"), "destinationTable")
		}), "protoPayload.metadata.jobChange.job.jobConfig.queryConfig.destinationTable"},
		{"finished without configuration", patched(t, "insertjob_load_done.json", func(m map[string]any) {
			delete(job(m), "jobConfig")
		}), "protoPayload.metadata.jobChange.job.jobConfig"},
		{"bad end time", patched(t, "insertjob_query_done.json", func(m map[string]any) {
			at(job(m), "jobStats")["endTime"] = "yesterday"
		}), "protoPayload.metadata.jobChange.job.jobStats.endTime"},
		{"legacy without service data", patched(t, "example_binary_audit_LogEntryData-bigqueryjobcompleted.json", func(m map[string]any) {
			delete(at(m, "protoPayload"), "serviceData")
		}), "protoPayload.serviceData"},
		{"legacy without event", patched(t, "example_binary_audit_LogEntryData-bigqueryjobcompleted.json", func(m map[string]any) {
			delete(at(m, "protoPayload", "serviceData"), "jobCompletedEvent")
		}), "protoPayload.serviceData.jobCompletedEvent"},
		{"legacy without job name", patched(t, "example_binary_audit_LogEntryData-bigqueryjobcompleted.json", func(m map[string]any) {
			delete(legacyJob(m), "jobName")
		}), "protoPayload.serviceData.jobCompletedEvent.job.jobName"},
		{"legacy destination without table", patched(t, "example_binary_audit_LogEntryData-bigqueryjobcompleted.json", func(m map[string]any) {
			delete(at(legacyJob(m), "jobConfiguration", "query", "destinationTable"), "tableId")
		}), "protoPayload.serviceData.jobCompletedEvent.job.jobConfiguration.query.destinationTable"},
		{"legacy finished without destination", patched(t, "example_binary_audit_LogEntryData-bigqueryjobcompleted.json", func(m map[string]any) {
			delete(at(legacyJob(m), "jobConfiguration", "query"), "destinationTable")
		}), "protoPayload.serviceData.jobCompletedEvent.job.jobConfiguration.query.destinationTable"},
		{"legacy labels of the wrong type", patched(t, "example_binary_audit_LogEntryData-bigqueryjobcompleted.json", func(m map[string]any) {
			at(legacyJob(m), "jobConfiguration")["labels"] = []any{"pltv_date"}
		}), "protoPayload.serviceData.jobCompletedEvent.job.jobConfiguration.labels"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeJobDoneJSON(tc.data)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			if !strings.Contains(err.Error(), tc.wantField) {
				t.Errorf("err = %q, want it to name %s", err, tc.wantField)
			}
		})
	}
}

func TestDecodeJobDone(t *testing.T) {
	data := fixture(t, "insertjob_query_done.json")
	tests := []struct {
		name      string
		event     func() []byte
		typ       string
		ctype     string
		wantField string
	}{
		{name: "binary-mode audit event", typ: TypeAuditLogWritten, ctype: "application/json; charset=utf-8"},
		{name: "Pub/Sub event", typ: TypeMessagePublished, ctype: "application/json", wantField: "type"},
		{name: "not JSON", typ: TypeAuditLogWritten, ctype: "text/plain", wantField: "datacontenttype"},
		{name: "no data", typ: TypeAuditLogWritten, ctype: "application/json", event: func() []byte { return nil }, wantField: "data"},
		{name: "bad body", typ: TypeAuditLogWritten, ctype: "application/json", event: func() []byte { return []byte(`{"protoPayload":{}}`) },
			wantField: "protoPayload.serviceName"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := data
			if tc.event != nil {
				body = tc.event()
			}
			got, err := DecodeJobDone(rawEvent(t, tc.typ, tc.ctype, body))
			if tc.wantField == "" {
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(fixtureJobs(t)["insertjob_query_done.json"], got); diff != "" {
					t.Errorf("DecodeJobDone (-want +got):\n%s", diff)
				}
				return
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			var de *DecodeError
			if !errors.As(err, &de) || de.ID != "evt-1" || de.Type != tc.typ || de.Field != tc.wantField {
				t.Errorf("err = %#v, want a DecodeError for event evt-1 of type %s, field %s", err, tc.typ, tc.wantField)
			}
			for _, s := range []string{"evt-1", tc.typ, tc.wantField} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("err = %q, want it to contain %q", err, s)
				}
			}
		})
	}
}

// TestStructuredAuditEvent reads Google's structured-mode audit event with the CloudEvents SDK.
func TestStructuredAuditEvent(t *testing.T) {
	var e event.Event
	if err := json.Unmarshal(fixture(t, "example_structured_audit_LogEntryData-bigqueryjobcompleted.json"), &e); err != nil {
		t.Fatal(err)
	}
	got, err := DecodeJobDone(e)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fixtureJobs(t)["example_binary_audit_LogEntryData-bigqueryjobcompleted.json"], got); diff != "" {
		t.Errorf("DecodeJobDone (-want +got):\n%s", diff)
	}
	if _, err := DecodePubSub(e); !errors.Is(err, ErrMalformed) {
		t.Errorf("DecodePubSub of an audit event: err = %v, want ErrMalformed", err)
	}
}
