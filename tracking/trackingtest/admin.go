package trackingtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pltv/pltv/tracking"
)

// fillDeployment leaves records of every kind in every state, and returns the paths a clean deletes.
func fillDeployment(t *testing.T, e *env) (table string, cleanable []string) {
	t.Helper()
	ctx, tr := context.Background(), e.tr
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	path := func(kind, id string) string { return e.names.Of(kind) + "/" + id }
	table = "p.d.predictions_20200101"

	expiring := enqueue(t, e, tracking.TaskSpec{Kind: "prepare", OnError: topicErr})
	first, err := tr.FirstSeen(ctx, "src", "old")
	must(err)
	if !first {
		t.Fatal("event old not first")
	}
	e.clock.Advance(72 * time.Hour) // past the task age limit and the event TTL

	must(tr.StartPrepare(ctx, "20200101"))
	must(tr.StartPrepare(ctx, "20200102"))
	must(tr.FinishPrepare(ctx, "20200101", nil))
	must(tr.StartPrediction(ctx, "p0", "20200101"))
	must(tr.StartPrediction(ctx, "p1", "20200101"))
	must(tr.StartPrediction(ctx, "p2", "20200102"))
	must(tr.FinishPrediction(ctx, "p0", nil))
	e.clock.Advance(time.Second)
	must(tr.FinishPrediction(ctx, "p1", errors.New("quota")))
	must(tr.TraceRows(ctx, table, []tracking.RowTrace{
		{RowID: "r1", Status: tracking.TracePredicted},
		{RowID: "r2", Status: tracking.TraceFailed, Error: "bad row"},
		{RowID: "r3", Status: tracking.TraceSent},
	}))
	done := enqueue(t, e, tracking.TaskSpec{Kind: "a"})
	failed := enqueue(t, e, tracking.TaskSpec{Kind: "b"})
	held := enqueue(t, e, tracking.TaskSpec{Kind: "c"})
	enqueue(t, e, tracking.TaskSpec{Kind: "d", Delay: time.Hour})
	res := poll(t, e, 3)
	if len(res.Claimed) != 3 || !cmp.Equal(taskIDs(res.Expired), []string{expiring.ID}) {
		t.Fatalf("poll: %+v", res)
	}
	for _, k := range res.Claimed {
		switch k.ID {
		case done.ID:
			must(tr.Complete(ctx, k))
		case failed.ID:
			must(tr.Fail(ctx, k, "boom"))
		case held.ID:
		default:
			t.Fatalf("claimed unexpected %s", k.ID)
		}
	}
	first, err = tr.FirstSeen(ctx, "src", "new")
	must(err)
	if !first {
		t.Fatal("event new not first")
	}
	oldEvent, err := e.store.Query(ctx, tracking.Query{Collection: e.names.Of(tracking.KindEvents),
		Filters: []tracking.Filter{{Field: "event_id", Op: tracking.OpEq, Value: "old"}}})
	must(err)
	if len(oldEvent) != 1 {
		t.Fatalf("ledger entry of event old: %v", oldEvent)
	}
	cleanable = []string{
		path(tracking.KindPrepare, "20200101"),
		path(tracking.KindPrediction, "p0"),
		e.names.Trace(table) + "/r1",
		path(tracking.KindTasks, done.ID),
		path(tracking.KindTasks, failed.ID),
		path(tracking.KindTasks, expiring.ID),
		oldEvent[0].Path(),
	}
	slices.Sort(cleanable)
	return table, cleanable
}

// counts returns the document count of each collection of a deployment.
func counts(t *testing.T, e *env) map[string]int {
	t.Helper()
	inv, err := e.tr.Inventory(context.Background(), tracking.ListOptions{})
	if err != nil {
		t.Fatalf("Inventory: %v", err)
	}
	out := map[string]int{}
	for _, c := range inv.Collections {
		out[c.Name] = c.Count
	}
	return out
}

// otherKind is a collection another package keeps for the deployment.
const otherKind = "filter_waiting"

func withOther(t *testing.T, e *env) {
	t.Helper()
	if err := e.store.Set(context.Background(), e.names.Of(otherKind), "20200103", tracking.Fields{"date": "20200103"}); err != nil {
		t.Fatal(err)
	}
}

func adminOptions(o *tracking.Options) {
	o.DiscardTasksAfter, o.EventTTL, o.OtherKinds = time.Hour, time.Hour, []string{otherKind}
}

func testListAndClean(t *testing.T, newStore NewStore) {
	e := setup(t, newStore, adminOptions)
	withOther(t, e)
	other := setupOn(t, e.store, uniquePrefix(t))
	ctx := context.Background()
	if err := other.tr.StartPrepare(ctx, "20200101"); err != nil {
		t.Fatal(err)
	}
	if err := other.tr.FinishPrepare(ctx, "20200101", nil); err != nil {
		t.Fatal(err)
	}
	table, cleanable := fillDeployment(t, e)
	read := tracking.FilterRead{Date: "20200102", WindowStart: "20190102", WindowEnd: "20200101",
		Days: map[string]string{"20200101": "3:0a1b"}, Job: "job_1"}
	if err := e.tr.RecordFilterRead(ctx, read); err != nil {
		t.Fatal(err)
	}
	if reads, _, err := e.tr.FilterReads(ctx); err != nil || len(reads) != 1 ||
		!cmp.Equal(read, reads[0], cmpopts.IgnoreFields(tracking.FilterRead{}, "Read")) {
		t.Fatalf("FilterReads = %+v, %v; want %+v", reads, err, read)
	}
	n := e.names
	wantCounts := map[string]int{
		n.Of(tracking.KindPrepare): 2, n.Of(tracking.KindPrediction): 3, n.Of(tracking.KindTasks): 5,
		n.Of(tracking.KindEvents): 2, n.Trace(table): 3, n.Of(otherKind): 1, n.Of(tracking.KindFilterRead): 1,
	}

	t.Run("ls json", func(t *testing.T) {
		var out bytes.Buffer
		if err := tracking.List(ctx, e.tr, &out, tracking.ListOptions{}, true); err != nil {
			t.Fatalf("List: %v", err)
		}
		var inv tracking.Inventory
		if err := json.Unmarshal(out.Bytes(), &inv); err != nil {
			t.Fatalf("List output is not JSON: %v\n%s", err, out.String())
		}
		got := map[string]int{}
		for _, c := range inv.Collections {
			got[c.Name] = c.Count
			if c.Documents != nil {
				t.Errorf("%s: documents listed without asking", c.Name)
			}
		}
		if diff := cmp.Diff(wantCounts, got); diff != "" {
			t.Errorf("counts (-want +got):\n%s", diff)
		}
		if inv.Prefix != n.Prefix {
			t.Errorf("prefix %q, want %q", inv.Prefix, n.Prefix)
		}
	})

	t.Run("ls text with documents", func(t *testing.T) {
		var out bytes.Buffer
		if err := tracking.List(ctx, e.tr, &out, tracking.ListOptions{Documents: true}, false); err != nil {
			t.Fatalf("List: %v", err)
		}
		text := out.String()
		lines := strings.Split(text, "\n")
		if !strings.HasPrefix(lines[0], "COLLECTION") {
			t.Errorf("no header:\n%s", text)
		}
		for name, count := range wantCounts {
			if !slices.ContainsFunc(lines, func(l string) bool {
				f := strings.Fields(l)
				return len(f) == 3 && f[0] == name && f[2] == strconv.Itoa(count)
			}) {
				t.Errorf("no line for %s with %d documents:\n%s", name, count, text)
			}
		}
		for _, want := range []string{"  20200102  {", `"status":"pending"`, "  r2  {", `"error":"bad row"`} {
			if !strings.Contains(text, want) {
				t.Errorf("listing lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, other.names.Prefix) {
			t.Errorf("listing shows another deployment:\n%s", text)
		}
	})

	t.Run("clean dry run", func(t *testing.T) {
		var out bytes.Buffer
		if err := tracking.Clean(ctx, e.tr, &out, tracking.CleanOptions{DryRun: true}, true); err != nil {
			t.Fatalf("Clean: %v", err)
		}
		var rep tracking.CleanReport
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("Clean output is not JSON: %v\n%s", err, out.String())
		}
		if diff := cmp.Diff(cleanable, deletedPaths(rep)); diff != "" {
			t.Errorf("would delete (-want +got):\n%s", diff)
		}
		if !rep.DryRun {
			t.Error("report does not say dry run")
		}
		if diff := cmp.Diff(wantCounts, counts(t, e)); diff != "" {
			t.Errorf("dry run deleted (-want +got):\n%s", diff)
		}
	})

	t.Run("clean", func(t *testing.T) {
		var out bytes.Buffer
		if err := tracking.Clean(ctx, e.tr, &out, tracking.CleanOptions{}, false); err != nil {
			t.Fatalf("Clean: %v", err)
		}
		for _, p := range cleanable {
			if !strings.Contains(out.String(), "deleted "+p+" (") {
				t.Errorf("output does not report %s:\n%s", p, out.String())
			}
		}
		if !strings.Contains(out.String(), "deleted 7 documents") {
			t.Errorf("output lacks the total:\n%s", out.String())
		}
		want := map[string]int{
			n.Of(tracking.KindPrepare): 1, n.Of(tracking.KindPrediction): 2, n.Of(tracking.KindTasks): 2,
			n.Of(tracking.KindEvents): 1, n.Trace(table): 2, n.Of(otherKind): 1,
			n.Of(tracking.KindFilterRead): 1, // what filters read is kept: it is what finds them stale
		}
		if diff := cmp.Diff(want, counts(t, e)); diff != "" {
			t.Errorf("after clean (-want +got):\n%s", diff)
		}
		act, _, err := e.tr.PredictionActivity(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := start.Add(72*time.Hour + time.Second); !act.Last.Equal(want) {
			t.Errorf("last activity after clean = %v, want %v (the latest prediction is kept)", act.Last, want)
		}
		rep, err := e.tr.Cleanup(ctx, tracking.CleanOptions{})
		if err != nil || len(rep.Deleted) != 0 {
			t.Errorf("second clean deleted %v (%v)", rep.Deleted, err)
		}
		if got := counts(t, other)[other.names.Of(tracking.KindPrepare)]; got != 1 {
			t.Errorf("other deployment's prepares: %d, want 1", got)
		}
	})
}

func testCleanAll(t *testing.T, newStore NewStore) {
	e := setup(t, newStore, adminOptions)
	withOther(t, e)
	other := setupOn(t, e.store, uniquePrefix(t))
	ctx := context.Background()
	if _, err := other.tr.Enqueue(ctx, tracking.TaskSpec{Kind: "x"}); err != nil {
		t.Fatal(err)
	}
	fillDeployment(t, e)
	if err := e.store.Set(ctx, e.names.Of(tracking.KindTasks), "hand-made", tracking.Fields{"x": true}); err != nil {
		t.Fatal(err)
	}
	before := counts(t, e)
	total := 0
	for _, n := range before {
		total += n
	}

	dry, err := e.tr.Cleanup(ctx, tracking.CleanOptions{All: true, DryRun: true})
	if err != nil {
		t.Fatalf("Cleanup dry run: %v", err)
	}
	if len(dry.Deleted) != total || len(dry.Problems) != 0 {
		t.Errorf("dry run of --all lists %d documents and %d problems, want %d and 0", len(dry.Deleted), len(dry.Problems), total)
	}
	if diff := cmp.Diff(before, counts(t, e)); diff != "" {
		t.Errorf("dry run deleted (-want +got):\n%s", diff)
	}

	rep, err := e.tr.Cleanup(ctx, tracking.CleanOptions{All: true})
	if err != nil {
		t.Fatalf("Cleanup: %v", err)
	}
	if diff := cmp.Diff(deletedPaths(dry), deletedPaths(rep)); diff != "" {
		t.Errorf("deleted other than the dry run listed (-dry +deleted):\n%s", diff)
	}
	left, err := e.store.Collections(ctx, e.names.Prefix+"_")
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("collections left after --all: %v", left)
	}
	if got := counts(t, other)[other.names.Of(tracking.KindTasks)]; got != 1 {
		t.Errorf("other deployment's tasks: %d, want 1", got)
	}
}

func deletedPaths(rep tracking.CleanReport) []string {
	out := []string{}
	for _, d := range rep.Deleted {
		out = append(out, d.Path)
	}
	slices.Sort(out)
	return out
}
