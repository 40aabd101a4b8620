package tracking

import (
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeTask(t *testing.T) {
	now := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	sound := Task{ID: "k", Kind: "deploy", Date: "20200511", Payload: []byte("{}"), Operation: "operations/1",
		OnSuccess: Destination{ToService, "predict"}, OnError: Destination{ToTopic, "errors"},
		Status: StatusClaimed, Attempts: 2, Inserted: now, Due: now, Claimed: now, LeaseUntil: now.Add(time.Minute),
		Token: "tok"}
	with := func(change func(Fields)) Fields {
		f := maps.Clone(sound.fields())
		change(f)
		return f
	}
	tests := []struct {
		name   string
		fields Fields
		want   []string // parts of the problem's reason; none: sound
	}{
		{name: "sound", fields: sound.fields()},
		{name: "wrong types", fields: with(func(f Fields) { f[fAttempts], f[fInserted], f[fPayload] = "2", "now", 7 }),
			want: []string{`"attempts" is string, want integer`, `"inserted" is string, want timestamp`, `"payload" is int, want bytes`}},
		{name: "missing fields", fields: with(func(f Fields) { delete(f, fKind); delete(f, fDue) }),
			want: []string{`missing field "kind"`, `missing field "due"`}},
		{name: "unknown status", fields: with(func(f Fields) { f[fStatus] = "waiting" }),
			want: []string{`"status" is "waiting"`}},
		{name: "bad destination", fields: with(func(f Fields) { f[fOnError] = map[string]any{"kind": "queue"} }),
			want: []string{`"on_error": field "kind" is "queue"`, `"on_error": missing field "name"`}},
		{name: "destination not a map", fields: with(func(f Fields) { f[fOnSuccess] = "predict" }),
			want: []string{`"on_success" is string, want map`}},
		{name: "claimed without a token", fields: with(func(f Fields) { delete(f, fToken) }),
			want: []string{`claimed without a "token"`}},
		{name: "visible out of step", fields: with(func(f Fields) { f[fVisible] = now }),
			want: []string{`field "visible"`}},
		{name: "finished but visible", fields: with(func(f Fields) { f[fStatus] = string(StatusDone) }),
			want: []string{`field "visible"`}},
		{name: "quarantined", fields: with(func(f Fields) { delete(f, fVisible); f[fProblem] = "x"; f[fStatus] = "done" }),
			want: []string{"taken out of the queue: x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, prob := decodeTask(Doc{Collection: "c", ID: "k", Fields: tc.fields})
			if len(tc.want) == 0 {
				if prob != nil {
					t.Fatalf("problem: %v", prob)
				}
				if diff := cmp.Diff(sound, got); diff != "" {
					t.Errorf("decoded (-want +got):\n%s", diff)
				}
				return
			}
			if prob == nil {
				t.Fatalf("no problem, want %q", tc.want)
			}
			if prob.Path != "c/k" {
				t.Errorf("path %q", prob.Path)
			}
			for _, w := range tc.want {
				if !strings.Contains(prob.Reason, w) {
					t.Errorf("reason %q lacks %q", prob.Reason, w)
				}
			}
		})
	}
}

func TestDecodeRecords(t *testing.T) {
	now := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	tests := []struct {
		name   string
		decode func(Doc) *Problem
		id     string // 20200511 when empty
		fields Fields
		want   string // part of the reason; empty: sound
	}{
		{name: "prepare pending", decode: decoders[KindPrepare],
			fields: Fields{fDate: "20200511", fStatus: "pending", fStarted: now, fPending: "20200511"}},
		{name: "prepare done but pending", decode: decoders[KindPrepare],
			fields: Fields{fDate: "20200511", fStatus: "done", fStarted: now, fPending: "20200511"}, want: `field "pending"`},
		{name: "prepare bad date", decode: decoders[KindPrepare],
			fields: Fields{fDate: "2020-05-11", fStatus: "done", fStarted: now}, want: "want a YYYYMMDD date"},
		{name: "prediction running", decode: decoders[KindPrediction],
			fields: Fields{fID: "b", fStatus: "running", fStarted: now, fRunning: now, fActivity: now}},
		{name: "prediction done yet running", decode: decoders[KindPrediction],
			fields: Fields{fID: "b", fStatus: "done", fStarted: now, fRunning: now, fActivity: now}, want: `field "running"`},
		{name: "trace", decode: decoders[KindTrace], fields: Fields{fRowID: "r", fStatus: "sent", fAt: now}},
		{name: "trace unknown status", decode: decoders[KindTrace],
			fields: Fields{fRowID: "r", fStatus: "lost", fAt: now}, want: `"status" is "lost"`},
		{name: "event", decode: decoders[KindEvents], id: eventDocID("s", "1"),
			fields: Fields{fSource: "s", fEventID: "1", fState: "in_progress", fEventClaimed: now, fExpires: now}},
		{name: "event in an unknown state", decode: decoders[KindEvents], id: eventDocID("s", "1"),
			fields: Fields{fSource: "s", fEventID: "1", fState: "seen", fEventClaimed: now, fExpires: now}, want: `"state" is "seen"`},
		{name: "event under a foreign id", decode: decoders[KindEvents], id: "other",
			fields: Fields{fSource: "s", fEventID: "1", fState: "done", fEventClaimed: now, fExpires: now}, want: "id does not match"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := Doc{Collection: "c", ID: tc.id, Fields: tc.fields}
			if doc.ID == "" {
				doc.ID = "20200511"
			}
			prob := tc.decode(doc)
			switch {
			case tc.want == "" && prob != nil:
				t.Errorf("problem: %v", prob)
			case tc.want != "" && (prob == nil || !strings.Contains(prob.Reason, tc.want)):
				t.Errorf("problem %v, want one saying %q", prob, tc.want)
			}
		})
	}
}

func TestNewValidates(t *testing.T) {
	for _, bad := range []Options{
		{Prefix: "a/b"},
		{Prefix: "food_pltv", OtherKinds: []string{""}},
		{Prefix: "food_pltv", OtherKinds: []string{"a/b"}},
		{Prefix: "food_pltv", OtherKinds: []string{KindTasks}},
	} {
		if _, err := New(nil, bad); err == nil {
			t.Errorf("New(%+v): no error", bad)
		}
	}
	tr, err := New(nil, Options{Prefix: "food_pltv"})
	if err != nil {
		t.Fatal(err)
	}
	want := Options{Prefix: "food_pltv", MaxTasksPerPoll: 10, Lease: 10 * time.Minute,
		DiscardTasksAfter: 24 * time.Hour, EventTTL: 48 * time.Hour, EventLease: 10 * time.Minute}
	got := tr.opts
	got.Clock, got.Logger = nil, nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}
