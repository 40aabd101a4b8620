package events

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// seed adds the testdata files whose names match to a fuzz corpus.
func seed(f *testing.F, match func(name string) bool, transform func([]byte) []byte) {
	f.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range names {
		if !match(filepath.Base(p)) {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(transform(b))
	}
}

func same(b []byte) []byte { return b }

// FuzzDecodeJobDone: any body either decodes, or fails with ErrMalformed; a decoded completion names its
// job and destination, and building it again gives an event that decodes to the same job.
func FuzzDecodeJobDone(f *testing.F) {
	seed(f, func(n string) bool { return strings.Contains(n, "audit") || strings.HasPrefix(n, "insertjob_") }, same)
	f.Fuzz(func(t *testing.T, data []byte) {
		j, err := DecodeJobDoneJSON(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, not ErrMalformed", err)
			}
			return
		}
		if !j.Finished() {
			return
		}
		if j.Job.Project == "" || j.Job.ID == "" || (j.Kind != KindExtract && j.Destination.IsZero()) {
			t.Fatalf("finished job without a name or destination: %+v", j)
		}
		if j.StartTime.IsZero() && j.EndTime.IsZero() {
			return // nothing to date a rebuilt entry with
		}
		build := NewJobDoneEvent
		if j.Method == MethodJobCompleted {
			build = NewLegacyJobDoneEvent
		}
		e, err := build(j)
		if err != nil {
			t.Fatalf("rebuild %+v: %v", j, err)
		}
		got, err := DecodeJobDone(e)
		if err != nil {
			t.Fatalf("decode rebuilt %+v: %v", j, err)
		}
		if ignore := cmpopts.IgnoreFields(JobDone{}, "Method", "Event"); !cmp.Equal(j, got, ignore) {
			diff := cmp.Diff(j, got, ignore)
			t.Fatalf("rebuilt event (-decoded +rebuilt):\n%s", diff)
		}
	})
}

// FuzzDecodePubSub: any body either decodes, or fails with ErrMalformed; a decoded message has an id,
// and building it again gives an event that decodes to the same message.
func FuzzDecodePubSub(f *testing.F) {
	seed(f, func(n string) bool { return strings.Contains(n, "pubsub") }, same)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodePubSubJSON(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, not ErrMalformed", err)
			}
			return
		}
		if p.Message.MessageID == "" || p.Message.PublishTime.IsZero() {
			t.Fatalf("message without id or publish time: %+v", p)
		}
		d := Delivery{Topic: "projects/p/topics/t", Subscription: "projects/p/subscriptions/s",
			MessageID: p.Message.MessageID, PublishTime: p.Message.PublishTime}
		e, err := NewPubSubEvent(d, p.Message.Data, p.Message.Attributes)
		if err != nil {
			t.Fatalf("rebuild: %v", err)
		}
		got, err := DecodePubSub(e)
		if err != nil {
			t.Fatalf("decode rebuilt: %v", err)
		}
		if diff := cmp.Diff(p.Message, got.Message, cmpopts.IgnoreFields(Message{}, "OrderingKey")); diff != "" {
			t.Fatalf("rebuilt message (-decoded +rebuilt):\n%s", diff)
		}
	})
}

// FuzzDecodeTransferRun fuzzes the TransferRun JSON a notification carries, wrapped as Eventarc
// delivers it: any run either decodes, or fails with ErrMalformed; a decoded run has a valid run date,
// and building its notification again gives an event that decodes to the same run.
func FuzzDecodeTransferRun(f *testing.F) {
	seed(f, func(n string) bool { return strings.HasPrefix(n, "transferrun_") }, same)
	seed(f, func(n string) bool { return strings.HasPrefix(n, "pubsub_transferrun_") }, func(b []byte) []byte {
		var body struct {
			Message struct {
				Data string `json:"data"`
			} `json:"message"`
		}
		if err := json.Unmarshal(b, &body); err != nil {
			f.Fatal(err)
		}
		run, err := base64.StdEncoding.DecodeString(body.Message.Data)
		if err != nil {
			f.Fatal(err)
		}
		return run
	})
	f.Fuzz(func(t *testing.T, run []byte) {
		body, err := json.Marshal(pubsubJSON{
			Message: &messageJSON{
				Attributes:  map[string]string{AttrEventType: EventTransferRunDone, AttrPayloadFormat: PayloadFormatJSONAPI1},
				Data:        base64.StdEncoding.EncodeToString(run),
				MessageID:   "1",
				PublishTime: "2024-05-02T05:00:41.345Z",
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeTransferRun(mustEvent(t, body))
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, not ErrMalformed", err)
			}
			return
		}
		if err := CheckDate(got.Run.RunDate()); err != nil {
			t.Fatalf("run date of %v: %v", got.Run.RunTime, err)
		}
		d := Delivery{Topic: "projects/p/topics/t", Subscription: "projects/p/subscriptions/s", MessageID: "1", PublishTime: got.PublishTime}
		e, err := NewTransferRunFinishedEvent(d, got.Run)
		if err != nil {
			t.Fatalf("rebuild: %v", err)
		}
		again, err := DecodeTransferRun(e)
		if err != nil {
			t.Fatalf("decode rebuilt: %v", err)
		}
		if diff := cmp.Diff(got.Run, again.Run); diff != "" {
			t.Fatalf("rebuilt run (-decoded +rebuilt):\n%s", diff)
		}
	})
}

func mustEvent(t *testing.T, body []byte) event.Event {
	t.Helper()
	e := event.New()
	e.SetID("1")
	e.SetSource("//pubsub.googleapis.com/projects/p/topics/t")
	e.SetType(TypeMessagePublished)
	if err := e.SetData(contentTypePubSub, body); err != nil {
		t.Fatal(err)
	}
	return e
}

// FuzzDestinationTable checks that any table name template either fills in to a name without template
// braces or is refused as malformed.
func FuzzDestinationTable(f *testing.F) {
	for _, s := range []string{"all_daily_transactions_{run_date}", `t_{run_time|"%Y%m%d"}`, `t_{run_time-2h|"%H"}`,
		`{run_time|"%"}`, "{run_date", `{run_time+1x|"%Y"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tmpl string) {
		r := TransferRun{RunTime: time.Date(2011, 12, 9, 5, 0, 0, 0, time.UTC), DestinationDatasetID: "pltv",
			Params: TransferParams{DestinationTableNameTemplate: tmpl}}
		ref, err := r.DestinationTable()
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("%q: %v is not ErrMalformed", tmpl, err)
			}
			return
		}
		if strings.ContainsAny(ref.Table, "{}") {
			t.Fatalf("%q filled in to %q", tmpl, ref.Table)
		}
	})
}
