package events

import (
	"encoding/json"
	"testing"

	"github.com/cloudevents/sdk-go/v2/event"

	"cloud.google.com/go/bigquery/datatransfer/apiv1/datatransferpb"
	"github.com/googleapis/google-cloudevents-go/cloud/auditdata"
	"google.golang.org/genproto/googleapis/cloud/audit"
	logging "google.golang.org/genproto/googleapis/cloud/bigquery/logging/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// The fixtures and the builders' output must parse strictly (no unknown field) into the protos Google
// defines for them: the field names are real ones.

func TestAuditLogsMatchProtos(t *testing.T) {
	bodies := map[string][]byte{}
	for _, name := range append(finishedFixtures,
		"insertjob_query_inserted.json", "insertjob_query_running.json", "insertjob_tabledatachange.json") {
		bodies[name] = fixture(t, name)
	}
	for name, j := range fixtureJobs(t) {
		if !j.Finished() {
			continue
		}
		for format, build := range map[string]func(JobDone) (eventBody, error){
			"built InsertJob ": wrapBuild(NewJobDoneEvent), "built legacy ": wrapBuild(NewLegacyJobDoneEvent),
		} {
			data, err := build(j)
			if err != nil {
				t.Fatal(err)
			}
			bodies[format+name] = data
		}
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			var entry map[string]json.RawMessage
			if err := json.Unmarshal(body, &entry); err != nil {
				t.Fatal(err)
			}
			var payload map[string]json.RawMessage
			if err := json.Unmarshal(entry["protoPayload"], &payload); err != nil {
				t.Fatal(err)
			}
			metadata, serviceData := payload["metadata"], payload["serviceData"]
			delete(payload, "@type")
			delete(payload, "metadata")
			delete(payload, "serviceData")
			entry["protoPayload"] = marshal(t, payload)
			strict(t, "LogEntry", marshal(t, entry), &auditdata.LogEntryData{})
			if metadata != nil {
				strict(t, "metadata", withoutType(t, metadata), &audit.BigQueryAuditMetadata{})
			}
			if serviceData != nil {
				strict(t, "serviceData", withoutType(t, serviceData), &logging.AuditData{})
			}
		})
	}
}

func TestTransferRunsMatchProto(t *testing.T) {
	for _, name := range []string{"transferrun_succeeded.json", "transferrun_failed.json"} {
		t.Run(name, func(t *testing.T) {
			strict(t, "fixture", fixture(t, name), &datatransferpb.TransferRun{})
			run, err := ParseTransferRun(fixture(t, name))
			if err != nil {
				t.Fatal(err)
			}
			built, err := json.Marshal(transferRunWire(run))
			if err != nil {
				t.Fatal(err)
			}
			strict(t, "built", built, &datatransferpb.TransferRun{})
		})
	}
}

type eventBody = []byte

func wrapBuild(build func(JobDone) (event.Event, error)) func(JobDone) (eventBody, error) {
	return func(j JobDone) (eventBody, error) {
		e, err := build(j)
		if err != nil {
			return nil, err
		}
		return e.Data(), nil
	}
}

func strict(t *testing.T, what string, data []byte, m proto.Message) {
	t.Helper()
	if err := protojson.Unmarshal(data, m); err != nil {
		t.Errorf("%s does not match %s: %v", what, m.ProtoReflect().Descriptor().FullName(), err)
	}
}

func withoutType(t *testing.T, data []byte) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "@type")
	return marshal(t, m)
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
