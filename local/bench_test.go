package local_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/local/router"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/services/filter"
	"github.com/pltv/pltv/services/middleware"
	"github.com/pltv/pltv/tracking"
	"github.com/pltv/pltv/tracking/embedded"
	"github.com/pltv/pltv/warehouse"
)

// stageClock records when the filter stage starts for each date.
type stageClock struct {
	mu     sync.Mutex
	starts map[string]time.Time
	n      atomic.Int64
	done   chan struct{}
	want   int64
}

func (s *stageClock) Filter(_ context.Context, date string) (pipeline.Result, error) {
	s.mu.Lock()
	s.starts[date] = time.Now()
	s.mu.Unlock()
	if s.n.Add(1) == s.want {
		close(s.done)
	}
	return pipeline.Result{Stage: pipeline.StageFilter, Date: date}, nil
}

// filterServer serves the filter service, with its middleware, as functions-framework does, over a tracker
// on store, with stage as its stage.
func filterServer(b *testing.B, stage pipeline.StageFunc, store tracking.Store) string {
	b.Helper()
	tr, err := tracking.New(store, tracking.Options{Prefix: "demo_pltv", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	svc, err := filter.New(filter.Config{Scope: services.Scope{Deployment: "demo", LTV: warehouse.Dataset{Dataset: "pltv"}},
		Filter: stage, Tracker: tr, Log: log})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(app.CloudEventHandler(services.Chain(svc.Handle, middleware.Default(log, tr, app.FnFilter)...)))
	b.Cleanup(srv.Close)
	return srv.URL
}

// prepareDoneEvents builds the completion events of n prepare jobs, one per date from 2000-01-01.
func prepareDoneEvents(b *testing.B, n int) ([]event.Event, []string) {
	b.Helper()
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	evs := make([]event.Event, n)
	dates := make([]string, n)
	for i := range n {
		d := start.AddDate(0, 0, i).Format("20060102")
		e, err := events.NewJobDoneEvent(events.JobDone{
			Job: events.JobRef{Project: "pltv-local", ID: fmt.Sprintf("job_%d", i)}, Kind: events.KindQuery,
			Destination: warehouse.Ref{Dataset: "pltv", Table: "prepared_daily_transactions_" + d},
			Labels:      warehouse.JobLabels("demo", pipeline.StagePrepare, d),
			StartTime:   start, EndTime: start.Add(time.Second),
		})
		if err != nil {
			b.Fatal(err)
		}
		evs[i], dates[i] = e, d
	}
	return evs, dates
}

// BenchmarkRouterEventToStageBurst is BenchmarkRouterEventToStage for b.N events published at once, as a
// backfill publishes them: the latency then is mostly the wait in the router's queue.
func BenchmarkRouterEventToStageBurst(b *testing.B) {
	evs, dates := prepareDoneEvents(b, b.N)
	stage := &stageClock{starts: map[string]time.Time{}, done: make(chan struct{}), want: int64(b.N)}
	url := filterServer(b, stage.Filter, embedded.NewMemory())
	r := router.New(router.Options{})
	defer r.Close()
	if err := r.Add(router.Trigger{Name: "filter", Destination: url, Filters: map[string]string{"type": events.TypeAuditLogWritten}}); err != nil {
		b.Fatal(err)
	}
	published := make([]time.Time, b.N)
	b.ResetTimer()
	for i, e := range evs {
		published[i] = time.Now()
		if _, err := r.Publish(context.Background(), e); err != nil {
			b.Fatal(err)
		}
	}
	<-stage.done
	b.StopTimer()
	lat := make([]time.Duration, b.N)
	for i, d := range dates {
		lat[i] = stage.starts[d].Sub(published[i])
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "µs-p50")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "µs-p99")
}

// BenchmarkRouterEventToStage measures the time from an event's publication to the start of the stage it
// triggers, one event at a time (each published once the previous one reached its stage): the local
// router's delivery over loopback HTTP, the CloudEvent decoding, the middleware (de-duplication in the
// tracking store) and the filter service's decision (labels, job ledger, barrier query). It reports the
// median and the 99th percentile, with the tracking store in memory and in its file (bbolt, an fsync per
// commit, as `pltv serve` keeps it).
func BenchmarkRouterEventToStage(b *testing.B) {
	for _, st := range stores() {
		b.Run(st.name, func(b *testing.B) { benchEventToStage(b, st.open(b)) })
	}
}

func benchEventToStage(b *testing.B, store tracking.Store) {
	evs, _ := prepareDoneEvents(b, b.N)
	reached := make(chan time.Time, 1)
	url := filterServer(b, func(_ context.Context, date string) (pipeline.Result, error) {
		reached <- time.Now()
		return pipeline.Result{}, nil
	}, store)
	r := router.New(router.Options{})
	defer r.Close()
	if err := r.Add(router.Trigger{Name: "filter", Destination: url, Filters: map[string]string{"type": events.TypeAuditLogWritten}}); err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for _, e := range evs {
		start := time.Now()
		if _, err := r.Publish(context.Background(), e); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, (<-reached).Sub(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "µs-p50")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "µs-p99")
}

// BenchmarkServiceEventsPerSecond measures the events per second the filter service sustains on loopback,
// from concurrent senders posting binary-mode CloudEvents, every one new (each runs the de-duplication, the
// label checks, the barrier query and the stage, stubbed here to measure the service itself).
func BenchmarkServiceEventsPerSecond(b *testing.B) {
	for _, st := range stores() {
		b.Run(st.name, func(b *testing.B) { benchEventsPerSecond(b, st.open(b)) })
	}
}

func benchEventsPerSecond(b *testing.B, store tracking.Store) {
	evs, _ := prepareDoneEvents(b, b.N)
	url := filterServer(b, func(context.Context, string) (pipeline.Result, error) { return pipeline.Result{}, nil }, store)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			e := evs[next.Add(1)-1]
			req, err := cloudevents.NewHTTPRequestFromEvent(context.Background(), url, e)
			if err != nil {
				b.Error(err)
				return
			}
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}

// stores are the tracking stores the benchmarks run over.
func stores() []struct {
	name string
	open func(b *testing.B) tracking.Store
} {
	return []struct {
		name string
		open func(b *testing.B) tracking.Store
	}{
		{"memory", func(*testing.B) tracking.Store { return embedded.NewMemory() }},
		{"file", func(b *testing.B) tracking.Store {
			st, err := embedded.Open(filepath.Join(b.TempDir(), embedded.FileName), embedded.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			return st
		}},
	}
}
