package events

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/warehouse"
)

const (
	runName   = "projects/684203917531/locations/us/transferConfigs/6634c7a2-0000-2d85-8e33-089e08267a44/runs/663a1f5e-0000-2b1c-a9f4-14223bb0c52e"
	extractSQ = "SELECT InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country\n" +
		"FROM `pltv-demo.source.online_retail`\nWHERE DATE(InvoiceDate) = DATE_SUB(@run_date, INTERVAL 1 DAY)"
	subscription = "projects/pltv-demo/subscriptions/eventarc-us-central1-pltv-prepare-extract-done-sub-412"
)

// fixtureRuns are the notifications the pubsub_transferrun_* fixtures decode to.
func fixtureRuns(t testing.TB) map[string]TransferRunFinished {
	params := TransferParams{
		Query:                        extractSQ,
		DestinationTableNameTemplate: "all_daily_transactions_{run_date}",
		WriteDisposition:             "WRITE_TRUNCATE",
	}
	return map[string]TransferRunFinished{
		"pubsub_transferrun_succeeded.json": {
			MessageID:    "11301524782516693",
			PublishTime:  ts(t, "2024-05-02T05:00:41.345Z"),
			Subscription: subscription,
			Run: TransferRun{
				Name:                    runName,
				DataSourceID:            "scheduled_query",
				DestinationDatasetID:    "pltv",
				Params:                  params,
				State:                   TransferSucceeded,
				RunTime:                 ts(t, "2010-12-02T05:00:00Z"),
				ScheduleTime:            ts(t, "2024-05-02T05:00:00.511483Z"),
				StartTime:               ts(t, "2024-05-02T05:00:00.843220Z"),
				EndTime:                 ts(t, "2024-05-02T05:00:41.291622Z"),
				UpdateTime:              ts(t, "2024-05-02T05:00:41.29165Z"),
				UserID:                  "7208881807604616456",
				Schedule:                "every day 05:00",
				NotificationPubsubTopic: "projects/pltv-demo/topics/pltv-demo-extract-done",
			},
		},
		"pubsub_transferrun_failed.json": {
			MessageID:    "11304415929937580",
			PublishTime:  ts(t, "2024-05-03T05:00:12.061Z"),
			Subscription: subscription,
			Run: TransferRun{
				Name:                 strings.Replace(runName, "663a1f5e-0000-2b1c-a9f4-14223bb0c52e", "663a2b90-0000-2e11-b7c2-30fd38159a21", 1),
				DataSourceID:         "scheduled_query",
				DestinationDatasetID: "pltv",
				Params:               params,
				State:                TransferFailed,
				Err: &Status{Code: 3, Reason: "INVALID_ARGUMENT", Message: "Query error: Unrecognized name: InvoiceDat; " +
					"Did you mean InvoiceDate? at [3:12]; JobID: 684203917531:scheduled_query_663a2b90-0000-2e11-b7c2-30fd38159a21"},
				RunTime:                 ts(t, "2010-12-03T05:00:00Z"),
				ScheduleTime:            ts(t, "2024-05-03T05:00:00.498120Z"),
				StartTime:               ts(t, "2024-05-03T05:00:00.901377Z"),
				EndTime:                 ts(t, "2024-05-03T05:00:12.004511Z"),
				UpdateTime:              ts(t, "2024-05-03T05:00:12.00458Z"),
				UserID:                  "7208881807604616456",
				NotificationPubsubTopic: "projects/pltv-demo/topics/pltv-demo-extract-done",
			},
		},
	}
}

func TestDecodeTransferRunJSON(t *testing.T) {
	tests := []struct {
		name          string
		file          string
		runFile       string
		wantDate      string
		wantSucceeded bool
	}{
		{"succeeded", "pubsub_transferrun_succeeded.json", "transferrun_succeeded.json", "20101202", true},
		{"failed", "pubsub_transferrun_failed.json", "transferrun_failed.json", "20101203", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeTransferRunJSON(fixture(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			want := fixtureRuns(t)[tc.file]
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("DecodeTransferRunJSON (-want +got):\n%s", diff)
			}
			if got.Run.RunDate() != tc.wantDate || got.Run.Succeeded() != tc.wantSucceeded {
				t.Errorf("RunDate, Succeeded = %s, %v, want %s, %v", got.Run.RunDate(), got.Run.Succeeded(), tc.wantDate, tc.wantSucceeded)
			}
			table, err := got.Run.DestinationTable()
			if err != nil {
				t.Fatal(err)
			}
			if want := (warehouse.Ref{Dataset: "pltv", Table: "all_daily_transactions_" + tc.wantDate}); table != want {
				t.Errorf("DestinationTable = %v, want %v", table, want)
			}
			// The message data is the TransferRun fixture.
			run, err := ParseTransferRun(fixture(t, tc.runFile))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.Run, run); diff != "" {
				t.Errorf("ParseTransferRun(%s) (-want +got):\n%s", tc.runFile, diff)
			}
		})
	}
}

func TestDecodeTransferRunJSONMalformed(t *testing.T) {
	data := func(edit func(run map[string]any)) func(m map[string]any) {
		return func(m map[string]any) {
			msg := at(m, "message")
			var run map[string]any
			if err := json.Unmarshal(mustBase64(t, msg["data"].(string)), &run); err != nil {
				t.Fatal(err)
			}
			edit(run)
			b, _ := json.Marshal(run)
			msg["data"] = b // encoding/json writes []byte as base64
		}
	}
	const file = "pubsub_transferrun_succeeded.json"
	tests := []struct {
		name      string
		edit      func(m map[string]any)
		wantField string
	}{
		{"another event type", func(m map[string]any) { at(m, "message", "attributes")["eventType"] = "TRANSFER_RUN_STARTED" },
			"message.attributes.eventType"},
		{"no attributes", func(m map[string]any) { delete(at(m, "message"), "attributes") }, "message.attributes.eventType"},
		{"another payload format", func(m map[string]any) { at(m, "message", "attributes")["payloadFormat"] = "PROTOBUF" },
			"message.attributes.payloadFormat"},
		{"data not JSON", func(m map[string]any) { at(m, "message")["data"] = []byte("SUCCEEDED") }, "message.data"},
		{"no run time", data(func(r map[string]any) { delete(r, "runTime") }), "message.data.runTime"},
		{"bad run time", data(func(r map[string]any) { r["runTime"] = "2010-12-02" }), "message.data.runTime"},
		{"bad end time", data(func(r map[string]any) { r["endTime"] = "now" }), "message.data.endTime"},
		{"unknown state", data(func(r map[string]any) { r["state"] = "DONE" }), "message.data.state"},
		{"no name", data(func(r map[string]any) { delete(r, "name") }), "message.data.name"},
		{"name of a config", data(func(r map[string]any) { r["name"] = "projects/1/locations/us/transferConfigs/c" }), "message.data.name"},
		{"params not an object", data(func(r map[string]any) { r["params"] = "query" }), "message.data.params"},
		{"error code not a number", data(func(r map[string]any) { r["errorStatus"] = map[string]any{"code": "INVALID"} }),
			"message.data.errorStatus.code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeTransferRunJSON(patched(t, file, tc.edit))
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			if !strings.Contains(err.Error(), tc.wantField) {
				t.Errorf("err = %q, want it to name %s", err, tc.wantField)
			}
		})
	}
}

func TestTransferRunDates(t *testing.T) {
	tests := []struct {
		name      string
		runTime   string
		template  string
		wantDate  string
		wantTable string
		wantErr   bool
	}{
		{name: "midnight UTC", runTime: "2011-12-09T00:00:00Z", template: "all_daily_transactions_{run_date}", wantDate: "20111209",
			wantTable: "all_daily_transactions_20111209"},
		{name: "offset before midnight UTC", runTime: "2011-12-09T02:00:00+05:00", template: "t_{run_date}", wantDate: "20111208",
			wantTable: "t_20111208"},
		{name: "fixed name", runTime: "2011-12-09T05:00:00Z", template: "all_transactions", wantDate: "20111209", wantTable: "all_transactions"},
		{name: "run_time parameter", runTime: "2011-12-09T05:00:00Z", template: `t_{run_time|"%Y%m%d"}`, wantDate: "20111209",
			wantTable: "t_20111209"},
		{name: "run_time with an offset", runTime: "2011-12-09T00:00:00Z", template: `t_{run_time-2h|"%Y%m%d"}_{run_time+90m|"%H%M"}`,
			wantDate: "20111209", wantTable: "t_20111208_0130"},
		{name: "run_time in another zone", runTime: "2011-12-09T02:00:00+05:00", template: `t_{run_time|"%Y%m%d%H"}`,
			wantDate: "20111208", wantTable: "t_2011120821"},
		{name: "an unknown directive", runTime: "2011-12-09T05:00:00Z", template: `t_{run_time|"%A"}`, wantDate: "20111209", wantErr: true},
		{name: "an unknown parameter", runTime: "2011-12-09T05:00:00Z", template: `t_{run_day}`, wantDate: "20111209", wantErr: true},
		{name: "no template", runTime: "2011-12-09T05:00:00Z", wantDate: "20111209", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := TransferRun{RunTime: ts(t, tc.runTime), DestinationDatasetID: "pltv", Params: TransferParams{DestinationTableNameTemplate: tc.template}}
			if got := r.RunDate(); got != tc.wantDate {
				t.Errorf("RunDate = %s, want %s", got, tc.wantDate)
			}
			table, err := r.DestinationTable()
			if tc.wantErr {
				if !errors.Is(err, ErrMalformed) {
					t.Errorf("DestinationTable: err = %v, want ErrMalformed", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if table.Table != tc.wantTable || table.Dataset != "pltv" {
				t.Errorf("DestinationTable = %v, want pltv.%s", table, tc.wantTable)
			}
		})
	}
}

func TestNewTransferRunFinishedEvent(t *testing.T) {
	for file, want := range fixtureRuns(t) {
		t.Run(file, func(t *testing.T) {
			d := Delivery{Topic: "projects/pltv-demo/topics/pltv-demo-extract-done", Subscription: want.Subscription,
				MessageID: want.MessageID, PublishTime: want.PublishTime}
			e, err := NewTransferRunFinishedEvent(d, want.Run)
			if err != nil {
				t.Fatal(err)
			}
			req, err := cehttp.NewHTTPRequestFromEvent(context.Background(), "http://localhost:8080/", e)
			if err != nil {
				t.Fatal(err)
			}
			for h, v := range map[string]string{
				"Ce-Id":     want.MessageID,
				"Ce-Type":   TypeMessagePublished,
				"Ce-Source": "//pubsub.googleapis.com/projects/pltv-demo/topics/pltv-demo-extract-done",
			} {
				if got := req.Header.Get(h); got != v {
					t.Errorf("header %s = %q, want %q", h, got, v)
				}
			}
			received, err := cehttp.NewEventFromHTTPRequest(req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := DecodeTransferRun(*received)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("received (-want +got):\n%s", diff)
			}
			// The body has the shape of the fixture Eventarc delivered.
			if diff := cmp.Diff(keyPaths(t, fixture(t, file)), keyPaths(t, e.Data())); diff != "" {
				t.Errorf("body fields (-fixture +built):\n%s", diff)
			}
		})
	}
}

func TestNewTransferRunFinishedEventRejects(t *testing.T) {
	d := Delivery{Topic: "projects/p/topics/t", Subscription: "projects/p/subscriptions/s", MessageID: "1", PublishTime: ts(t, "2024-05-02T05:00:41Z")}
	good := fixtureRuns(t)["pubsub_transferrun_succeeded.json"].Run
	tests := []struct {
		name string
		edit func(*TransferRun)
	}{
		{"no name", func(r *TransferRun) { r.Name = "" }},
		{"no state", func(r *TransferRun) { r.State = "" }},
		{"no run time", func(r *TransferRun) { r.RunTime = time.Time{} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := good
			tc.edit(&r)
			if _, err := NewTransferRunFinishedEvent(d, r); err == nil {
				t.Error("built an event, want an error")
			}
		})
	}
}

func mustBase64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
