package model_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/services/internal/servicetest"
	"github.com/pltv/pltv/services/middleware"
	"github.com/pltv/pltv/services/model"
	"github.com/pltv/pltv/services/stopper"
	"github.com/pltv/pltv/tracking"
)

type fixture struct {
	m        *servicetest.Model
	tracker  *tracking.Tracker
	clock    *servicetest.Clock
	url      string
	stopper  string
	postStop int
}

func newFixture(t *testing.T, hookErr error) *fixture {
	t.Helper()
	f := &fixture{m: &servicetest.Model{}, clock: servicetest.NewClock(time.Date(2011, 3, 2, 10, 0, 0, 0, time.UTC))}
	f.tracker = servicetest.Tracker(t, f.clock.Now)
	rt := servicetest.Runtime(t, servicetest.Models{M: f.m}, f.tracker, 0, 4)
	log := servicetest.Log(t)
	svc, err := model.New(model.Config{WH: rt.WH, LTV: rt.Config.LTVDataset(), Models: servicetest.Models{M: f.m},
		Tracker: f.tracker, Wait: 30 * time.Minute, Now: f.clock.Now, Log: log,
		PostStop: func(context.Context) error { f.postStop++; return hookErr }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(middleware.HTTP(log, svc))
	t.Cleanup(srv.Close)
	stop := httptest.NewServer(middleware.HTTP(log, stopper.New(svc, log)))
	t.Cleanup(stop.Close)
	f.url, f.stopper = srv.URL, stop.URL
	return f
}

func (f *fixture) post(t *testing.T, body string) (int, map[string]any) {
	t.Helper()
	status, b := servicetest.Post(t, f.url, body)
	var got map[string]any
	if err := json.Unmarshal([]byte(b), &got); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return status, got
}

func TestDeployAndState(t *testing.T) {
	f := newFixture(t, nil)
	status, got := f.post(t, `{"action":"state","date":"20110301"}`)
	if status != 200 || got["state"] != "undeployed" {
		t.Fatalf("state before deploy: %d %v", status, got)
	}
	for range 2 { // deploy is idempotent
		status, got = f.post(t, `{"action":"deploy","date":"20110301"}`)
		if diff := cmp.Diff(map[string]any{"state": "deployed", "model": "fake", "date": "20110301"}, got); status != 200 || diff != "" {
			t.Fatalf("deploy: %d (-want +got):\n%s", status, diff)
		}
	}
	act, _, err := f.tracker.PredictionActivity(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !act.Last.Equal(f.clock.Now()) || act.InFlight != 0 {
		t.Errorf("activity after deploy %+v, want the deploy as last activity", act)
	}
}

func TestStop(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		setup    func(t *testing.T, f *fixture)
		body     string
		stopped  bool
		reason   string
		postStop int
	}{
		{"not deployed", func(*testing.T, *fixture) {}, `{"action":"stop","date":"20110301"}`, false, "the model is undeployed", 0},
		{"deployed a minute ago", func(t *testing.T, f *fixture) {
			f.post(t, `{"action":"deploy","date":"20110301"}`)
			f.clock.Add(time.Minute)
		}, `{"action":"stop","date":"20110301"}`, false, "last prediction activity 1m0s ago, less than 30m0s", 0},
		{"a prediction in flight for hours", func(t *testing.T, f *fixture) {
			f.post(t, `{"action":"deploy","date":"20110301"}`)
			if err := f.tracker.StartPrediction(ctx, "20110301-00000", "20110301"); err != nil {
				t.Fatal(err)
			}
			f.clock.Add(3 * time.Hour)
		}, `{"action":"stop","date":"20110301"}`, false, "1 predictions in flight, the oldest since 2011-03-02T10:00:00Z", 0},
		{"idle long enough", func(t *testing.T, f *fixture) {
			f.post(t, `{"action":"deploy","date":"20110301"}`)
			f.clock.Add(31 * time.Minute)
		}, `{"action":"stop","date":"20110301"}`, true, "no prediction in flight and none for 31m0s", 1},
		{"without a date, today's model", func(t *testing.T, f *fixture) {
			f.post(t, `{"action":"deploy","date":"20110301"}`)
			f.clock.Add(time.Hour)
		}, `{"action":"stop"}`, true, "no prediction in flight and none for 1h0m0s", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			tt.setup(t, f)
			status, got := f.post(t, tt.body)
			if status != 200 {
				t.Fatalf("status %d: %v", status, got)
			}
			if got["stopped"] != tt.stopped || got["reason"] != tt.reason {
				t.Errorf("answer %v, want stopped=%v reason=%q", got, tt.stopped, tt.reason)
			}
			if f.postStop != tt.postStop {
				t.Errorf("post-stop hook ran %d times, want %d", f.postStop, tt.postStop)
			}
		})
	}
}

func TestStopperIsTheSafetyNet(t *testing.T) {
	f := newFixture(t, nil)
	f.post(t, `{"action":"deploy","date":"20110301"}`)
	f.clock.Add(2 * time.Hour)
	status, body := servicetest.Post(t, f.stopper, "")
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	if f.m.Undeploys != 1 || f.postStop != 1 {
		t.Errorf("undeploys %d, post-stop %d, want 1 and 1: %s", f.m.Undeploys, f.postStop, body)
	}
}

func TestPostStopHookFailure(t *testing.T) {
	f := newFixture(t, errors.New("copy failed"))
	f.post(t, `{"action":"deploy","date":"20110301"}`)
	f.clock.Add(time.Hour)
	status, got := f.post(t, `{"action":"stop","date":"20110301"}`)
	if status != http.StatusUnprocessableEntity || f.m.Undeploys != 1 {
		t.Errorf("status %d undeploys %d: %v", status, f.m.Undeploys, got)
	}
}

func TestBadRequests(t *testing.T) {
	f := newFixture(t, nil)
	for _, tt := range []struct {
		body   string
		status int
	}{
		{`{"action":"undeploy","date":"20110301"}`, 400},
		{`{"action":"deploy"}`, 400},
		{`{"action":"deploy","date":"20111301"}`, 400},
		{`[`, 400},
		{`{"action":"deploy","date":"20100101"}`, 422}, // before any model
	} {
		if status, got := f.post(t, tt.body); status != tt.status {
			t.Errorf("%s: status %d, want %d: %v", tt.body, status, tt.status, got)
		}
	}
}
