package trackingtest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pltv/pltv/tracking"
)

var (
	topicOK  = tracking.Destination{Kind: tracking.ToTopic, Name: "pltv-prepare-done"}
	topicErr = tracking.Destination{Kind: tracking.ToTopic, Name: "pltv-errors"}
	service  = tracking.Destination{Kind: tracking.ToService, Name: "filter"}
)

func poll(t *testing.T, e *env, max int) tracking.PollResult {
	t.Helper()
	res, err := e.tr.Poll(context.Background(), max)
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	return res
}

func enqueue(t *testing.T, e *env, spec tracking.TaskSpec) tracking.Task {
	t.Helper()
	task, err := e.tr.Enqueue(context.Background(), spec)
	if err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	return task
}

func taskIDs(tasks []tracking.Task) []string {
	out := []string{}
	for _, k := range tasks {
		out = append(out, k.ID)
	}
	return out
}

func testQueueDelay(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	later := enqueue(t, e, tracking.TaskSpec{Kind: "filter", Date: "20200511", Delay: time.Minute})
	now := enqueue(t, e, tracking.TaskSpec{Kind: "prepare", Date: "20200511"})
	if got := taskIDs(poll(t, e, 10).Claimed); !cmp.Equal(got, []string{now.ID}) {
		t.Errorf("claimed %v, want only the task due now %s", got, now.ID)
	}
	e.clock.Advance(time.Minute - time.Microsecond)
	if got := poll(t, e, 10).Claimed; len(got) != 0 {
		t.Errorf("claimed %v before its due time", taskIDs(got))
	}
	e.clock.Advance(time.Microsecond)
	if got := taskIDs(poll(t, e, 10).Claimed); !cmp.Equal(got, []string{later.ID}) {
		t.Errorf("claimed %v at its due time, want %s", got, later.ID)
	}
	for _, bad := range []tracking.TaskSpec{
		{},
		{Kind: "x", Delay: -time.Second},
		{Kind: "x", OnSuccess: tracking.Destination{Kind: "queue", Name: "q"}},
		{Kind: "x", OnError: tracking.Destination{Kind: tracking.ToTopic}},
	} {
		if _, err := e.tr.Enqueue(context.Background(), bad); err == nil {
			t.Errorf("Enqueue(%+v): no error", bad)
		}
	}
}

func testQueuePollLimit(t *testing.T, newStore NewStore) {
	e := setup(t, newStore, func(o *tracking.Options) { o.MaxTasksPerPoll = 4 })
	var want []string
	for i := range 11 {
		// Enqueued in reverse due order: the poll takes the earliest due first.
		k := enqueue(t, e, tracking.TaskSpec{Kind: "predict", Delay: time.Duration(10-i) * time.Second})
		want = append([]string{k.ID}, want...)
	}
	e.clock.Advance(time.Minute)
	var got []string
	for _, wantN := range []int{4, 4, 3, 0} {
		claimed := taskIDs(poll(t, e, 0).Claimed)
		if len(claimed) != wantN {
			t.Errorf("poll claimed %d tasks, want %d", len(claimed), wantN)
		}
		got = append(got, claimed...)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("claim order (-want +got):\n%s", diff)
	}
	if n := len(poll(t, e, 2).Claimed); n != 0 {
		t.Errorf("claimed %d more", n)
	}
}

func testQueueFinish(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx, tr := context.Background(), e.tr
	spec := tracking.TaskSpec{Kind: "deploy", Date: "20200511", Payload: []byte(`{"model":"m1"}`),
		Operation: "projects/p/locations/l/operations/123", OnSuccess: service, OnError: topicErr}
	enqueued := enqueue(t, e, spec)
	wantTask := tracking.Task{ID: enqueued.ID, Kind: spec.Kind, Date: spec.Date, Payload: spec.Payload,
		Operation: spec.Operation, OnSuccess: spec.OnSuccess, OnError: spec.OnError,
		Status: tracking.StatusPending, Inserted: start, Due: start}
	if diff := cmp.Diff(wantTask, enqueued); diff != "" {
		t.Errorf("Enqueue (-want +got):\n%s", diff)
	}

	// The operation is not done: back to the queue for 30 s.
	e.clock.Advance(time.Second)
	t1 := start.Add(time.Second)
	first := poll(t, e, 1).Claimed
	if len(first) != 1 {
		t.Fatalf("claimed %d tasks, want 1", len(first))
	}
	wantTask.Status, wantTask.Attempts, wantTask.Claimed, wantTask.LeaseUntil = tracking.StatusClaimed, 1, t1, t1.Add(10*time.Minute)
	if diff := cmp.Diff(wantTask, first[0], cmpopts.IgnoreFields(tracking.Task{}, "Token")); diff != "" {
		t.Errorf("claimed (-want +got):\n%s", diff)
	}
	if first[0].Token == "" {
		t.Error("claimed task without a token")
	}
	if err := tr.Postpone(ctx, first[0], 30*time.Second); err != nil {
		t.Fatalf("Postpone: %v", err)
	}
	e.clock.Advance(29 * time.Second)
	if n := len(poll(t, e, 1).Claimed); n != 0 {
		t.Errorf("postponed task claimed early")
	}
	e.clock.Advance(time.Second)
	t2 := t1.Add(30 * time.Second)
	second := poll(t, e, 1).Claimed
	if len(second) != 1 || second[0].Attempts != 2 || !second[0].Due.Equal(t2) || second[0].Token == first[0].Token {
		t.Fatalf("second claim = %+v, want attempt 2 due %v with a new token", second, t2)
	}
	e.clock.Advance(time.Second)
	t3 := t2.Add(time.Second)
	if err := tr.Complete(ctx, second[0]); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if err := tr.Complete(ctx, second[0]); !errors.Is(err, tracking.ErrLeaseLost) {
		t.Errorf("second Complete = %v, want ErrLeaseLost", err)
	}
	if err := tr.Fail(ctx, second[0], "late"); !errors.Is(err, tracking.ErrLeaseLost) {
		t.Errorf("Fail after Complete = %v, want ErrLeaseLost", err)
	}
	wantTask.Status, wantTask.Attempts, wantTask.Claimed, wantTask.Due = tracking.StatusDone, 2, t2, t2
	wantTask.Finished, wantTask.LeaseUntil = t3, time.Time{}

	// A second task fails.
	failing := enqueue(t, e, tracking.TaskSpec{Kind: "predict", OnError: topicErr})
	claimed := poll(t, e, 1).Claimed
	if len(claimed) != 1 || claimed[0].ID != failing.ID {
		t.Fatalf("claimed %v, want %s", taskIDs(claimed), failing.ID)
	}
	if err := tr.Fail(ctx, claimed[0], "model not found"); err != nil {
		t.Fatalf("Fail: %v", err)
	}
	wantFailed := tracking.Task{ID: failing.ID, Kind: "predict", OnError: topicErr, Status: tracking.StatusFailed,
		Attempts: 1, Error: "model not found", Inserted: t3, Due: t3, Claimed: t3, Finished: t3}

	tasks, problems, err := tr.Tasks(ctx)
	if err != nil || len(problems) > 0 {
		t.Fatalf("Tasks: %v %v", problems, err)
	}
	want := map[string]tracking.Task{wantTask.ID: wantTask, wantFailed.ID: wantFailed}
	got := map[string]tracking.Task{}
	for _, k := range tasks {
		got[k.ID] = k
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Tasks (-want +got):\n%s", diff)
	}
	if n := len(poll(t, e, 10).Claimed); n != 0 {
		t.Errorf("finished tasks claimed again: %d", n)
	}
}

func testQueueLease(t *testing.T, newStore NewStore) {
	e := setup(t, newStore, func(o *tracking.Options) { o.Lease = time.Minute })
	ctx := context.Background()
	k := enqueue(t, e, tracking.TaskSpec{Kind: "prepare"})
	crashed := poll(t, e, 1).Claimed
	if len(crashed) != 1 {
		t.Fatalf("claimed %d, want 1", len(crashed))
	}
	e.clock.Advance(time.Minute - time.Microsecond)
	if n := len(poll(t, e, 1).Claimed); n != 0 {
		t.Fatalf("task handed out again within its lease")
	}
	// The lease ends unfinished, yet the poller may still finish while nobody took the task over.
	e.clock.Advance(time.Microsecond)
	if err := e.tr.Postpone(ctx, crashed[0], 0); err != nil {
		t.Fatalf("Postpone at the lease's end: %v", err)
	}
	held := poll(t, e, 1).Claimed
	if len(held) != 1 {
		t.Fatalf("claimed %d, want 1", len(held))
	}
	// This poller crashes: the task comes back after the lease, to another poller.
	e.clock.Advance(time.Minute)
	again := poll(t, e, 1).Claimed
	if len(again) != 1 || again[0].ID != k.ID || again[0].Attempts != 3 {
		t.Fatalf("after the lease claimed %+v, want %s at attempt 3", again, k.ID)
	}
	for name, finish := range map[string]func(tracking.Task) error{
		"Complete": func(k tracking.Task) error { return e.tr.Complete(ctx, k) },
		"Fail":     func(k tracking.Task) error { return e.tr.Fail(ctx, k, "x") },
		"Postpone": func(k tracking.Task) error { return e.tr.Postpone(ctx, k, 0) },
	} {
		if err := finish(held[0]); !errors.Is(err, tracking.ErrLeaseLost) {
			t.Errorf("%s by the poller that lost the lease = %v, want ErrLeaseLost", name, err)
		}
	}
	if err := e.tr.Complete(ctx, again[0]); err != nil {
		t.Errorf("Complete by the new holder: %v", err)
	}
	unknown := again[0]
	unknown.ID = "no-such-task"
	if err := e.tr.Complete(ctx, unknown); !errors.Is(err, tracking.ErrLeaseLost) {
		t.Errorf("Complete of a missing task = %v, want ErrLeaseLost", err)
	}
}

func testQueueExpiry(t *testing.T, newStore NewStore) {
	e := setup(t, newStore, func(o *tracking.Options) { o.DiscardTasksAfter = 23 * time.Hour })
	old := enqueue(t, e, tracking.TaskSpec{Kind: "prepare", Date: "20200510", Payload: []byte("p"),
		OnSuccess: topicOK, OnError: topicErr})
	e.clock.Advance(time.Hour)
	young := enqueue(t, e, tracking.TaskSpec{Kind: "prepare", Date: "20200511"})
	e.clock.Advance(22 * time.Hour)
	res := poll(t, e, 10)
	if got := taskIDs(res.Claimed); !cmp.Equal(got, []string{young.ID}) {
		t.Errorf("claimed %v, want only %s", got, young.ID)
	}
	if len(res.Expired) != 1 {
		t.Fatalf("expired %v, want %s", taskIDs(res.Expired), old.ID)
	}
	now := start.Add(23 * time.Hour)
	want := tracking.Task{ID: old.ID, Kind: "prepare", Date: "20200510", Payload: []byte("p"), OnSuccess: topicOK,
		OnError: topicErr, Status: tracking.StatusExpired, Inserted: start, Due: start, Finished: now}
	got := res.Expired[0]
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(tracking.Task{}, "Error")); diff != "" {
		t.Errorf("expired task (-want +got):\n%s", diff)
	}
	if !strings.Contains(got.Error, "expired") || !strings.Contains(got.Error, "23h") {
		t.Errorf("expiry reason %q does not say why", got.Error)
	}
	again := poll(t, e, 10)
	if len(again.Claimed)+len(again.Expired) != 0 {
		t.Errorf("second poll: %+v", again)
	}
	// A claimed task whose poller crashed expires when its lease ends past the age limit.
	e.clock.Advance(time.Hour)
	if res := poll(t, e, 10); len(res.Claimed) != 0 || !cmp.Equal(taskIDs(res.Expired), []string{young.ID}) {
		t.Errorf("after the lease: claimed %v expired %v, want %s expired", taskIDs(res.Claimed), taskIDs(res.Expired), young.ID)
	}
}

func testQueueIdempotentEnqueue(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	spec := tracking.TaskSpec{ID: "//bigquery.googleapis.com/projects/p/jobs/j1#filter", Kind: "filter", Delay: time.Minute}
	first := enqueue(t, e, spec)
	e.clock.Advance(time.Second)
	again := enqueue(t, e, spec)
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("second Enqueue of the same id (-first +second):\n%s", diff)
	}
	tasks, _, err := e.tr.Tasks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 {
		t.Errorf("%d tasks queued, want 1", len(tasks))
	}
	if first.ID != tracking.DocID(spec.ID) {
		t.Errorf("task id %q, want DocID of %q", first.ID, spec.ID)
	}
	other := enqueue(t, e, tracking.TaskSpec{Kind: "filter"})
	if other.ID == first.ID || other.ID == "" {
		t.Errorf("generated id %q", other.ID)
	}
}
