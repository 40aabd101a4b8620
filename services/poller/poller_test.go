package poller_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/internal/servicetest"
	"github.com/pltv/pltv/services/poller"
	"github.com/pltv/pltv/tracking"
)

// runner fails the tasks of the dates in fail, with the error given.
type runner struct {
	mu      sync.Mutex
	ran     []string
	expired []string
	fail    map[string]error
}

func (r *runner) RunTask(_ context.Context, t tracking.Task) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ran = append(r.ran, t.Date)
	return r.fail[t.Date]
}

func (r *runner) ExpireTask(_ context.Context, t tracking.Task) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.expired = append(r.expired, t.Date)
	return nil
}

type sweeper struct{ calls int }

func (s *sweeper) Release(context.Context) ([]string, error) {
	s.calls++
	return []string{"20101205"}, nil
}

func TestTick(t *testing.T) {
	ctx := context.Background()
	clock := servicetest.NewClock(time.Date(2024, 5, 2, 6, 0, 0, 0, time.UTC))
	tr, err := tracking.New(servicetest.Tracker(t, clock.Now).Store(), tracking.Options{Prefix: "demo_pltv", Clock: clock.Now,
		DiscardTasksAfter: 23 * time.Hour, Logger: servicetest.Log(t)})
	if err != nil {
		t.Fatal(err)
	}
	enqueue := func(date string, delay time.Duration) {
		if _, err := tr.Enqueue(ctx, tracking.TaskSpec{ID: "prepare_" + date, Kind: "prepare", Date: date, Delay: delay}); err != nil {
			t.Fatal(err)
		}
	}
	enqueue("20101130", 0) // will be too old
	clock.Add(23 * time.Hour)
	for _, d := range []string{"20101201", "20101202", "20101203"} {
		enqueue(d, time.Minute)
	}
	enqueue("20101204", time.Hour) // not due yet
	if _, err := tr.Enqueue(ctx, tracking.TaskSpec{ID: "odd", Kind: "unknown", Date: "20101201"}); err != nil {
		t.Fatal(err)
	}
	clock.Add(time.Minute)

	r := &runner{fail: map[string]error{"20101202": errors.New("busy"), "20101203": services.Permanentf("bad payload")}}
	sw := &sweeper{}
	svc, err := poller.New(poller.Config{Queue: tr, Max: 10, Log: servicetest.Log(t), Sweepers: []poller.Sweeper{sw},
		Kinds: map[string]poller.Kind{"prepare": {Runner: r, Retry: time.Minute}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc)
	defer srv.Close()
	status, body := servicetest.Post(t, srv.URL, "")
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	want := `{"claimed":4,"done":1,"failed":2,"postponed":1,"expired":1,"released":["20101205"]}` + "\n"
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"20101130"}, r.expired); diff != "" {
		t.Errorf("expired (-want +got):\n%s", diff)
	}
	states := map[string]tracking.Status{}
	tasks, _, err := tr.Tasks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range tasks {
		states[k.ID] = k.Status
	}
	wantStates := map[string]tracking.Status{
		"prepare_20101130": tracking.StatusExpired, "prepare_20101201": tracking.StatusDone,
		"prepare_20101202": tracking.StatusPending, "prepare_20101203": tracking.StatusFailed,
		"prepare_20101204": tracking.StatusPending, "odd": tracking.StatusFailed,
	}
	if diff := cmp.Diff(wantStates, states); diff != "" {
		t.Errorf("task states (-want +got):\n%s", diff)
	}

	// The postponed task is due a minute later; nothing else is.
	r.fail = nil
	clock.Add(time.Minute)
	rep, err := svc.Tick(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Claimed != 1 || rep.Done != 1 {
		t.Errorf("second tick %+v, want the postponed task done", rep)
	}
}

func TestMaxTasksPerPoll(t *testing.T) {
	ctx := context.Background()
	clock := servicetest.NewClock(time.Date(2024, 5, 2, 6, 0, 0, 0, time.UTC))
	tr := servicetest.Tracker(t, clock.Now)
	for _, d := range []string{"20101201", "20101202", "20101203", "20101204", "20101205"} {
		if _, err := tr.Enqueue(ctx, tracking.TaskSpec{ID: d, Kind: "prepare", Date: d}); err != nil {
			t.Fatal(err)
		}
	}
	r := &runner{}
	svc, err := poller.New(poller.Config{Queue: tr, Max: 2, Log: servicetest.Log(t), Kinds: map[string]poller.Kind{"prepare": {Runner: r}}})
	if err != nil {
		t.Fatal(err)
	}
	var claimed []int
	for range 3 {
		rep, err := svc.Tick(ctx)
		if err != nil {
			t.Fatal(err)
		}
		claimed = append(claimed, rep.Claimed)
	}
	if diff := cmp.Diff([]int{2, 2, 1}, claimed); diff != "" {
		t.Errorf("claimed per tick (-want +got):\n%s", diff)
	}
}
