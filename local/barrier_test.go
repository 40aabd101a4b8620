package local_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/services"
)

// TestServeBarrierThroughTheRouter holds the filter of a date while the prepare of the day before is
// pending, and lets it go as soon as that prepare finishes, through the services alone; a pending prepare
// of the day after holds nothing.
func TestServeBarrierThroughTheRouter(t *testing.T) {
	const before, date, after = "20101202", "20101203", "20101204"
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	jobs := local.NewJobEvents("", "", nil)
	rt := openRuntime(t, config.Default(), jobs, "2010-12-0")
	x := &recordedExecutions{}
	srv, err := local.Serve(ctx, rt, local.ServeOptions{Jobs: jobs,
		Executions: func(map[string]string) (executions.Executions, error) { return x, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	// The prepares of the days around are under way elsewhere.
	for _, d := range []string{before, after} {
		if err := srv.Tracker.StartPrepare(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan []local.DateResult, 1)
	go func() {
		res, err := srv.Backfill(ctx, date, date)
		if err != nil {
			t.Error(err)
		}
		done <- res
	}()
	if err := srv.Progress.WaitFor(ctx, date, services.Waiting); err != nil {
		t.Fatal(err)
	}
	if got := x.dates(t); len(got) != 0 {
		t.Fatalf("started %v while the prepare of %s was pending", got, before)
	}
	if got := newCustomerRows(t, rt, []string{date}); len(got) != 0 {
		t.Fatalf("filtered %v while the prepare of %s was pending", got, before)
	}

	// The prepare of the day before finishes (its extract notification reaches the prepare service).
	if _, err := srv.Backfill(ctx, before, before); err != nil {
		t.Fatal(err)
	}
	res := <-done
	for i := range res {
		res[i].Reason = "" // the execution id
	}
	if diff := cmp.Diff([]local.DateResult{{Date: date, Stage: "predict", Outcome: services.Started}}, res); diff != "" {
		t.Errorf("backfill of %s (-want +got):\n%s", date, diff)
	}
	var outcomes []services.Outcome
	for _, s := range srv.Progress.Steps(date) {
		if s.Stage != "prepare" { // reported when the prepare service answers, before or after the filter's steps
			outcomes = append(outcomes, s.Outcome)
		}
	}
	want := []services.Outcome{services.Waiting, services.Done, services.Started}
	if diff := cmp.Diff(want, outcomes); diff != "" {
		t.Errorf("steps of %s (-want +got):\n%s", date, diff)
	}
	pending, _, err := srv.Tracker.PendingPrepares(ctx, "99991231")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{after}, pending); diff != "" {
		t.Errorf("pending prepares (-want +got):\n%s", diff)
	}
}
