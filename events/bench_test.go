package events

import (
	"testing"

	"github.com/cloudevents/sdk-go/v2/event"
)

// The decoders' throughput, in events per second (go test -bench . ./events).

func BenchmarkDecodeJobDone(b *testing.B) {
	for _, file := range []string{"insertjob_query_done.json", "testdata_audit_v1_LogEntryData-bigqueryjobcompleted.json"} {
		b.Run(file, func(b *testing.B) {
			e := rawEvent(b, TypeAuditLogWritten, contentTypeAuditLog, fixture(b, file))
			benchmarkDecode(b, e, func(e event.Event) error { _, err := DecodeJobDone(e); return err })
		})
	}
}

func BenchmarkDecodePubSub(b *testing.B) {
	e := rawEvent(b, TypeMessagePublished, contentTypePubSub, fixture(b, "pubsub_transferrun_succeeded.json"))
	benchmarkDecode(b, e, func(e event.Event) error { _, err := DecodePubSub(e); return err })
}

func BenchmarkDecodeTransferRun(b *testing.B) {
	e := rawEvent(b, TypeMessagePublished, contentTypePubSub, fixture(b, "pubsub_transferrun_succeeded.json"))
	benchmarkDecode(b, e, func(e event.Event) error { _, err := DecodeTransferRun(e); return err })
}

func BenchmarkNewJobDoneEvent(b *testing.B) {
	j := fixtureJobs(b)["insertjob_query_done.json"]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewJobDoneEvent(j); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func benchmarkDecode(b *testing.B, e event.Event, decode func(event.Event) error) {
	b.ReportAllocs()
	b.SetBytes(int64(len(e.Data())))
	for b.Loop() {
		if err := decode(e); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
