package middleware_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/cloudlog"
	"github.com/pltv/pltv/services/middleware"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/tracking/embedded"
)

func newEvent(id string) event.Event {
	e := event.New()
	e.SetID(id)
	e.SetSource("//pubsub.googleapis.com/projects/p/topics/t")
	e.SetType(events.TypeMessagePublished)
	e.SetExtension("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	return e
}

func TestDefaultStack(t *testing.T) {
	tests := []struct {
		name    string
		answers []error // what the handler returns on each call (a nil error at the end of the list)
		panics  bool
		sends   int
		want    []bool // whether each delivery was answered with an error (redelivered)
		calls   int
	}{
		{"success once, duplicates dropped", nil, false, 3, []bool{false, false, false}, 1},
		{"a retryable error is redelivered and run again", []error{errors.New("unavailable")}, false, 2, []bool{true, false}, 2},
		{"a permanent error is acknowledged and not run again", []error{services.Permanentf("bad input")}, false, 2, []bool{false, false}, 1},
		{"a malformed event is acknowledged", []error{&events.DecodeError{Field: "data", Err: errors.New("empty")}}, false, 2, []bool{false, false}, 1},
		{"a panic is redelivered and run again", nil, true, 2, []bool{true, false}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := tracking.New(embedded.NewMemory(), tracking.Options{Prefix: "demo_pltv"})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			log := cloudlog.New(&buf, cloudlog.Options{Level: slog.LevelDebug})
			calls := 0
			h := services.Chain(func(context.Context, event.Event) error {
				calls++
				if tt.panics && calls == 1 {
					panic("boom")
				}
				if calls <= len(tt.answers) {
					return tt.answers[calls-1]
				}
				return nil
			}, middleware.Default(log, tr, "prepare")...)
			var got []bool
			for range tt.sends {
				got = append(got, h(context.Background(), newEvent("m1")) != nil)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors per delivery (-want +got):\n%s", diff)
			}
			if calls != tt.calls {
				t.Errorf("handler ran %d times, want %d", calls, tt.calls)
			}
			if !strings.Contains(buf.String(), `"logging.googleapis.com/trace":"4bf92f3577b34da6a3ce929d0e0e4736"`) {
				t.Errorf("no trace in the log:\n%s", buf.String())
			}
		})
	}
}

func TestDedupeIsPerConsumer(t *testing.T) {
	tr, err := tracking.New(embedded.NewMemory(), tracking.Options{Prefix: "demo_pltv"})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	calls := map[string]int{}
	for _, consumer := range []string{"filter", "predictstart", "filter"} {
		h := services.Chain(func(context.Context, event.Event) error { calls[consumer]++; return nil },
			middleware.Dedupe(tr, log, consumer))
		if err := h(context.Background(), newEvent("m1")); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(map[string]int{"filter": 1, "predictstart": 1}, calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestHTTP(t *testing.T) {
	var buf bytes.Buffer
	log := cloudlog.New(&buf, cloudlog.Options{Level: slog.LevelDebug, Project: "p"})
	h := middleware.HTTP(log, middleware.RecoverHTTP(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(cloudlog.WithDate(r.Context(), "20101201"))
		if r.URL.Path == "/panic" {
			panic("boom")
		}
		w.WriteHeader(http.StatusTeapot)
	})))
	for _, tt := range []struct {
		path   string
		status int
		level  string
	}{{"/panic", 500, "ERROR"}, {"/", 418, "WARNING"}} {
		buf.Reset()
		r := httptest.NewRequest(http.MethodPost, tt.path, nil)
		r.Header.Set(cloudlog.HeaderCloudTrace, "105445aa7843bc8bf206b12000100000/1;o=1")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.path, rec.Code, tt.status)
		}
		last := buf.String()[strings.LastIndex(strings.TrimSpace(buf.String()), "\n")+1:]
		for _, want := range []string{`"severity":"` + tt.level + `"`, `"date":"20101201"`, `"logging.googleapis.com/trace":"projects/p/traces/105445aa7843bc8bf206b12000100000"`} {
			if !strings.Contains(last, want) {
				t.Errorf("%s: the answer's line %s lacks %s", tt.path, last, want)
			}
		}
	}
}

// TestDedupeLeaseSurvivesACrash: a delivery whose handler never returns (its process died) leaves the event
// in progress; a redelivery meanwhile is answered with an error so that it comes back, and once the lease has
// expired it runs the handler, instead of being dropped as a duplicate for the whole memory of the ledger.
func TestDedupeLeaseSurvivesACrash(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tr, err := tracking.New(embedded.NewMemory(), tracking.Options{Prefix: "demo_pltv", EventLease: 10 * time.Minute,
		Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	e := newEvent("m1")
	// The first delivery's handler took the lease and its process died before answering.
	if c, err := tr.ClaimEvent(context.Background(), "prepare "+e.Source(), e.ID()); err != nil || c != tracking.Claimed {
		t.Fatalf("claim = %v, %v", c, err)
	}
	calls := 0
	h := services.Chain(func(context.Context, event.Event) error { calls++; return nil },
		middleware.Dedupe(tr, slog.New(slog.DiscardHandler), "prepare"))
	if err := h(context.Background(), e); !errors.Is(err, tracking.ErrEventHeld) || calls != 0 {
		t.Fatalf("redelivery within the lease: error %v and %d calls, want ErrEventHeld and none", err, calls)
	}
	now = now.Add(10 * time.Minute)
	if err := h(context.Background(), e); err != nil || calls != 1 {
		t.Fatalf("redelivery after the lease: error %v and %d calls, want the handler run once", err, calls)
	}
	now = now.Add(time.Hour)
	if err := h(context.Background(), e); err != nil || calls != 1 {
		t.Fatalf("duplicate after it was done: error %v and %d calls, want it dropped", err, calls)
	}
}
