package filter_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/services"
)

func TestBarrier(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		pending []string // prepares pending when the filter's event arrives
		finish  []string // prepares that finish then, each followed by a release
		want    []string // filter runs at the end
		waiting bool     // whether the date waited
	}{
		{"no prepare pending", nil, nil, []string{"20101202"}, false},
		{"the date's own prepare, not recorded finished yet", []string{"20101202"}, nil, []string{"20101202"}, false},
		{"a later date's prepare does not hold it", []string{"20101203"}, nil, []string{"20101202"}, false},
		{"an earlier prepare holds it", []string{"20101201"}, nil, nil, true},
		{"released when the earlier prepare finishes", []string{"20101201"}, []string{"20101201"}, []string{"20101202"}, true},
		{"held until the last earlier prepare finishes", []string{"20101130", "20101201"}, []string{"20101130"}, nil, true},
		{"released by the last of two", []string{"20101130", "20101201"}, []string{"20101201", "20101130"}, []string{"20101202"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			for _, d := range tt.pending {
				if err := f.tracker.StartPrepare(ctx, d); err != nil {
					t.Fatal(err)
				}
			}
			if got := f.send(t, prepareDone(t, "20101202", "job_2", nil)); got != http.StatusOK {
				t.Fatalf("status %d", got)
			}
			for _, d := range tt.finish {
				if err := f.tracker.FinishPrepare(ctx, d, nil); err != nil {
					t.Fatal(err)
				}
				if _, err := f.service.Release(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tt.want, f.stage.Runs()); diff != "" {
				t.Errorf("filter runs (-want +got):\n%s", diff)
			}
			waited := false
			for _, s := range f.progress.Steps() {
				waited = waited || s.Outcome == services.Waiting
			}
			if waited != tt.waiting {
				t.Errorf("waited: %v, want %v", waited, tt.waiting)
			}
		})
	}
}

func TestReleaseRunsEachDateOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if err := f.tracker.StartPrepare(ctx, "20101201"); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"20101203", "20101202"} {
		if got := f.send(t, prepareDone(t, d, "job_"+d, nil)); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
	}
	if err := f.tracker.FinishPrepare(ctx, "20101201", nil); err != nil {
		t.Fatal(err)
	}
	done := make(chan []string, 4)
	for range 4 {
		go func() {
			ran, err := f.service.Release(ctx)
			if err != nil {
				t.Error(err)
			}
			done <- ran
		}()
	}
	total := 0
	for range 4 {
		total += len(<-done)
	}
	if total != 2 {
		t.Errorf("four concurrent releases ran %d filters, want 2", total)
	}
	if diff := cmp.Diff([]string{"20101202", "20101203"}, sorted(f.stage.Runs())); diff != "" {
		t.Errorf("filter runs (-want +got):\n%s", diff)
	}
}

func TestWaitingDateExpires(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if err := f.tracker.StartPrepare(ctx, "20101201"); err != nil {
		t.Fatal(err)
	}
	if got := f.send(t, prepareDone(t, "20101202", "job_2", nil)); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	f.clock.Add(24 * time.Hour)
	if _, err := f.service.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.tracker.FinishPrepare(ctx, "20101201", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.service.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if runs := f.stage.Runs(); len(runs) != 0 {
		t.Errorf("an expired date was filtered: %v", runs)
	}
	steps := f.progress.Steps()
	if last := steps[len(steps)-1]; last.Outcome != services.Failed || last.Date != "20101202" {
		t.Errorf("last step %+v, want 20101202 failed", last)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
