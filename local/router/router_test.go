package router_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/local/router"
)

// clock records the waits asked of it and ends each at once.
type clock struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (c *clock) Now() time.Time { return time.Date(2024, 5, 2, 5, 0, 0, 0, time.UTC) }

func (c *clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- c.Now()
	return ch
}

func (c *clock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// received is what a destination got.
type received struct {
	header http.Header
	body   string
}

// destination answers the statuses of answers in turn (200 once they run out) and records the requests.
type destination struct {
	mu      sync.Mutex
	answers []int
	got     []received
	gate    chan struct{} // when set, the first request waits for it
}

func (d *destination) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	d.mu.Lock()
	gate := d.gate
	if len(d.got) > 0 {
		gate = nil
	}
	d.got = append(d.got, received{r.Header.Clone(), string(body)})
	status := 200
	if len(d.answers) > 0 {
		status, d.answers = d.answers[0], d.answers[1:]
	}
	d.mu.Unlock()
	if gate != nil {
		<-gate
	}
	w.WriteHeader(status)
}

func (d *destination) IDs() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for _, r := range d.got {
		out = append(out, r.header.Get("Ce-Id"))
	}
	return out
}

func serve(t *testing.T, d *destination) string {
	t.Helper()
	srv := httptest.NewServer(d)
	t.Cleanup(srv.Close)
	return srv.URL
}

func newRouter(t *testing.T, opts router.Options) *router.Router {
	t.Helper()
	r := router.New(opts)
	t.Cleanup(func() { r.Close() })
	return r
}

func jobDone(t *testing.T, id string) event.Event {
	t.Helper()
	e, err := events.NewJobDoneEvent(events.JobDone{
		Job: events.JobRef{Project: "p", ID: id}, Kind: events.KindQuery,
		Destination: mustRef("pltv", "t"), EndTime: time.Date(2024, 5, 2, 5, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func drain(t *testing.T, r *router.Router) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.Drain(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestMatches(t *testing.T) {
	e := jobDone(t, "j1")
	tests := []struct {
		name    string
		filters map[string]string
		want    bool
	}{
		{"type", map[string]string{"type": events.TypeAuditLogWritten}, true},
		{"type and audit log extensions", map[string]string{"type": events.TypeAuditLogWritten,
			"serviceName": events.ServiceBigQuery, "methodName": events.MethodInsertJob}, true},
		{"resource name", map[string]string{"type": events.TypeAuditLogWritten, "resourcename": "projects/p/jobs/j1"}, true},
		{"another type", map[string]string{"type": events.TypeMessagePublished}, false},
		{"another method", map[string]string{"type": events.TypeAuditLogWritten, "methodname": events.MethodJobCompleted}, false},
		{"an extension the event lacks", map[string]string{"type": events.TypeAuditLogWritten, "bucket": "b"}, false},
		{"source", map[string]string{"type": events.TypeAuditLogWritten, "source": "//cloudaudit.googleapis.com/projects/p/logs/data_access"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (router.Trigger{Filters: tt.filters}).Matches(e); got != tt.want {
				t.Errorf("Matches = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMatchesPathPatterns(t *testing.T) {
	e := jobDone(t, "pltv_demo_pltv_prepare_20101201_abc")
	audit := map[string]string{"type": events.TypeAuditLogWritten}
	tests := []struct {
		name     string
		patterns map[string]string
		want     bool
	}{
		{"the stage's jobs", map[string]string{"resourcename": "projects/p/jobs/pltv_demo_pltv_prepare_*"}, true},
		{"any project", map[string]string{"resourcename": "projects/*/jobs/pltv_demo_pltv_prepare_*"}, true},
		{"another stage's jobs", map[string]string{"resourcename": "projects/p/jobs/pltv_demo_pltv_filter_*"}, false},
		{"another deployment's jobs", map[string]string{"resourcename": "projects/p/jobs/pltv_other_pltv_prepare_*"}, false},
		{"'*' does not cross a segment", map[string]string{"resourcename": "projects/*"}, false},
		{"an attribute the event lacks", map[string]string{"bucket": "*"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (router.Trigger{Filters: audit, PathPatterns: tt.patterns}).Matches(e); got != tt.want {
				t.Errorf("Matches = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAddRefusesBadTriggers(t *testing.T) {
	r := newRouter(t, router.Options{})
	for _, tr := range []router.Trigger{
		{Name: "", Filters: map[string]string{"type": "x"}, Destination: "http://127.0.0.1:1/"},
		{Name: "no type", Filters: map[string]string{"source": "x"}, Destination: "http://127.0.0.1:1/"},
		{Name: "bad url", Filters: map[string]string{"type": "x"}, Destination: "127.0.0.1:1"},
		{Name: "bad path pattern", Filters: map[string]string{"type": "x"}, PathPatterns: map[string]string{"resourcename": "projects/["},
			Destination: "http://127.0.0.1:1/"},
	} {
		if err := r.Add(tr); err == nil {
			t.Errorf("%+v added", tr)
		}
	}
	ok := router.Trigger{Name: "t", Filters: map[string]string{"type": "x"}, Destination: "http://127.0.0.1:1/"}
	if err := r.Add(ok); err != nil {
		t.Fatal(err)
	}
	if err := r.Add(ok); err == nil {
		t.Error("a second trigger of the same name was added")
	}
}

func TestBinaryModeAsEventarc(t *testing.T) {
	d := &destination{}
	r := newRouter(t, router.Options{})
	if err := r.Add(router.Trigger{Name: "filter", Filters: map[string]string{"type": events.TypeAuditLogWritten}, Destination: serve(t, d)}); err != nil {
		t.Fatal(err)
	}
	e := jobDone(t, "j1")
	if n, err := r.Publish(context.Background(), e); err != nil || n != 1 {
		t.Fatalf("Publish = %d, %v", n, err)
	}
	drain(t, r)
	if len(d.got) != 1 {
		t.Fatalf("%d requests", len(d.got))
	}
	h := d.got[0].header
	want := map[string]string{
		"Ce-Id": e.ID(), "Ce-Source": e.Source(), "Ce-Type": events.TypeAuditLogWritten, "Ce-Specversion": "1.0",
		"Ce-Subject": e.Subject(), "Ce-Servicename": events.ServiceBigQuery, "Ce-Methodname": events.MethodInsertJob,
		"Ce-Resourcename": "projects/p/jobs/j1", "Content-Type": "application/json; charset=utf-8",
	}
	got := map[string]string{}
	for k := range want {
		got[k] = h.Get(k)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	if d.got[0].body != string(e.Data()) {
		t.Errorf("body is not the event data")
	}
}

func TestRetryWithBackoff(t *testing.T) {
	d := &destination{answers: []int{500, 503, 429}}
	c := &clock{}
	var attempts []int
	var mu sync.Mutex
	r := newRouter(t, router.Options{Clock: c, Retry: router.Backoff{Initial: time.Second, Max: 3 * time.Second, Attempts: 5},
		Observe: func(del router.Delivery) { mu.Lock(); attempts = append(attempts, del.Status); mu.Unlock() }})
	if err := r.Add(router.Trigger{Name: "t", Filters: map[string]string{"type": events.TypeAuditLogWritten}, Destination: serve(t, d)}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Publish(context.Background(), jobDone(t, "j1")); err != nil {
		t.Fatal(err)
	}
	drain(t, r)
	if diff := cmp.Diff([]int{500, 503, 429, 200}, attempts); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second, 3 * time.Second}, c.Waits()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestRetriesAreBounded(t *testing.T) {
	d := &destination{answers: slices.Repeat([]int{500}, 10)}
	var dropped []router.Delivery
	r := newRouter(t, router.Options{Clock: &clock{}, Retry: router.Backoff{Attempts: 3},
		Dropped: func(del router.Delivery) { dropped = append(dropped, del) }})
	if err := r.Add(router.Trigger{Name: "t", Filters: map[string]string{"type": events.TypeAuditLogWritten}, Destination: serve(t, d)}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Publish(context.Background(), jobDone(t, "j1")); err != nil {
		t.Fatal(err)
	}
	drain(t, r)
	if len(d.got) != 3 || len(dropped) != 1 || dropped[0].Attempt != 3 || dropped[0].Status != 500 {
		t.Errorf("%d attempts, dropped %+v", len(d.got), dropped)
	}
}

func TestUnreachableDestination(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	var dropped int
	r := newRouter(t, router.Options{Clock: &clock{}, Retry: router.Backoff{Attempts: 2}, Dropped: func(router.Delivery) { dropped++ }})
	if err := r.Add(router.Trigger{Name: "t", Filters: map[string]string{"type": events.TypeAuditLogWritten}, Destination: url}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Publish(context.Background(), jobDone(t, "j1")); err != nil {
		t.Fatal(err)
	}
	drain(t, r)
	if dropped != 1 {
		t.Errorf("dropped %d, want 1", dropped)
	}
}

func TestFaults(t *testing.T) {
	t.Run("duplicates", func(t *testing.T) {
		d := &destination{}
		r := newRouter(t, router.Options{Faults: router.Faults{Seed: 1, Duplicate: 1}})
		if err := r.Add(router.Trigger{Name: "t", Filters: map[string]string{"type": events.TypeAuditLogWritten}, Destination: serve(t, d)}); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if _, err := r.Publish(context.Background(), jobDone(t, fmt.Sprint("j", i))); err != nil {
				t.Fatal(err)
			}
		}
		drain(t, r)
		ids := d.IDs()
		slices.Sort(ids)
		if len(ids) != 6 || ids[0] != ids[1] || ids[2] != ids[3] || ids[4] != ids[5] {
			t.Errorf("ids %v, want each twice", ids)
		}
	})
	t.Run("reordering", func(t *testing.T) {
		d := &destination{gate: make(chan struct{})}
		r := newRouter(t, router.Options{Workers: 1, Faults: router.Faults{Seed: 7, Reorder: 8}})
		if err := r.Add(router.Trigger{Name: "t", Filters: map[string]string{"type": events.TypeAuditLogWritten}, Destination: serve(t, d)}); err != nil {
			t.Fatal(err)
		}
		var published []string
		for i := range 20 {
			e := jobDone(t, fmt.Sprintf("j%02d", i))
			published = append(published, e.ID())
			if _, err := r.Publish(context.Background(), e); err != nil {
				t.Fatal(err)
			}
		}
		close(d.gate) // the first delivery waited until all were queued
		drain(t, r)
		got := d.IDs()
		if slices.Equal(got, published) {
			t.Error("delivered in publication order")
		}
		slices.Sort(got)
		want := slices.Clone(published)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("delivered %v, want each of %v once", got, want)
		}
	})
}

func TestEventsWithoutTriggerAreDropped(t *testing.T) {
	r := newRouter(t, router.Options{})
	n, err := r.Publish(context.Background(), jobDone(t, "j1"))
	if err != nil || n != 0 {
		t.Fatalf("Publish = %d, %v", n, err)
	}
	drain(t, r)
}

func TestPublishAfterClose(t *testing.T) {
	r := router.New(router.Options{})
	r.Close()
	if _, err := r.Publish(context.Background(), jobDone(t, "j1")); err == nil {
		t.Error("published after close")
	}
}
