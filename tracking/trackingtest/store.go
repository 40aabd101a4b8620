package trackingtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pltv/pltv/tracking"
)

func testStoreDocuments(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx, s, coll := context.Background(), e.store, e.names.Of("docs")

	if _, err := s.Get(ctx, coll, "a"); !errors.Is(err, tracking.ErrNotFound) {
		t.Fatalf("Get missing: err = %v, want ErrNotFound", err)
	}
	if err := s.Create(ctx, coll, "a", tracking.Fields{"n": int64(1), "s": "x"}); err != nil {
		t.Fatalf("Create: %v", err)
	}
	if err := s.Create(ctx, coll, "a", tracking.Fields{"n": int64(2)}); !errors.Is(err, tracking.ErrExists) {
		t.Fatalf("Create existing: err = %v, want ErrExists", err)
	}
	if err := s.Set(ctx, coll, "a", tracking.Fields{"n": int64(3)}); err != nil {
		t.Fatalf("Set: %v", err)
	}
	got, err := s.Get(ctx, coll, "a")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	want := tracking.Doc{Collection: coll, ID: "a", Fields: tracking.Fields{"n": int64(3)}}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(tracking.Doc{}, "Version")); diff != "" {
		t.Errorf("Set replaces all fields (-want +got):\n%s", diff)
	}
	if got.Path() != coll+"/a" {
		t.Errorf("Path = %q", got.Path())
	}
	for i := range 2 { // deleting a missing document is fine
		if err := s.Delete(ctx, coll, "a"); err != nil {
			t.Fatalf("Delete #%d: %v", i+1, err)
		}
	}
	if _, err := s.Get(ctx, coll, "a"); !errors.Is(err, tracking.ErrNotFound) {
		t.Errorf("Get deleted: err = %v, want ErrNotFound", err)
	}
}

func testStoreValueTypes(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx, s, coll := context.Background(), e.store, e.names.Of("types")
	local := time.FixedZone("CEST", 2*3600)
	fields := tracking.Fields{
		"null":   nil,
		"bool":   true,
		"int":    int64(-1 << 40),
		"float":  2.5,
		"string": "día/ü",
		"bytes":  []byte{0, 1, 255},
		"time":   time.Date(2020, 5, 11, 10, 0, 0, 123456789, local),
		"map":    map[string]any{"k": "v", "n": int64(1)},
		"array":  []any{"a", int64(2), true},
	}
	if err := s.Set(ctx, coll, "doc", fields); err != nil {
		t.Fatalf("Set: %v", err)
	}
	got, err := s.Get(ctx, coll, "doc")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	want := tracking.Fields{}
	for k, v := range fields {
		want[k] = v
	}
	want["time"] = time.Date(2020, 5, 11, 8, 0, 0, 123456000, time.UTC) // UTC, microseconds
	if diff := cmp.Diff(want, got.Fields); diff != "" {
		t.Errorf("values do not round-trip (-want +got):\n%s", diff)
	}
}

func testStoreInvalidIDs(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx, s, coll := context.Background(), e.store, e.names.Of("ids")
	for _, id := range []string{"", "a/b", ".", "..", "__reserved__"} {
		if err := s.Set(ctx, coll, id, tracking.Fields{"x": int64(1)}); err == nil {
			t.Errorf("Set with id %q: no error", id)
		}
	}
	if err := s.Set(ctx, coll+"/sub", "a", tracking.Fields{"x": int64(1)}); err == nil {
		t.Errorf("Set in collection %q: no error", coll+"/sub")
	}
	weird := tracking.DocID("a/b/../__c__ d%e")
	if err := s.Set(ctx, coll, weird, tracking.Fields{"x": int64(1)}); err != nil {
		t.Errorf("Set with DocID %q: %v", weird, err)
	}
}

func testStoreQuery(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx, s, coll := context.Background(), e.store, e.names.Of("query")
	t0 := start
	docs := map[string]tracking.Fields{
		"a": {"n": int64(3), "t": t0, "s": "x"},
		"b": {"n": 1.5, "t": t0.Add(time.Hour), "s": "y"},
		"c": {"n": int64(2), "t": t0.Add(-time.Hour)},
		"d": {"n": "2", "t": "not a time", "s": "x"}, // values of other types
		"e": {"s": "z"},                              // no n, no t
		"f": {"n": int64(2), "t": t0},
	}
	for id, f := range docs {
		if err := s.Set(ctx, coll, id, f); err != nil {
			t.Fatalf("Set %s: %v", id, err)
		}
	}
	tests := []struct {
		name string
		q    tracking.Query
		want []string
	}{
		{name: "all by id", q: tracking.Query{}, want: []string{"a", "b", "c", "d", "e", "f"}},
		{name: "limit", q: tracking.Query{Limit: 2}, want: []string{"a", "b"}},
		{name: "equal string", q: tracking.Query{Filters: []tracking.Filter{{Field: "s", Op: tracking.OpEq, Value: "x"}}},
			want: []string{"a", "d"}},
		{name: "numbers across int and float",
			q:    tracking.Query{Filters: []tracking.Filter{{Field: "n", Op: tracking.OpLe, Value: int64(2)}}, OrderBy: "n"},
			want: []string{"b", "c", "f"}},
		{name: "greater than float",
			q:    tracking.Query{Filters: []tracking.Filter{{Field: "n", Op: tracking.OpGt, Value: 1.5}}, OrderBy: "n"},
			want: []string{"c", "f", "a"}},
		{name: "equal number", q: tracking.Query{Filters: []tracking.Filter{{Field: "n", Op: tracking.OpEq, Value: int64(2)}}},
			want: []string{"c", "f"}},
		{name: "time range, ties by id",
			q:    tracking.Query{Filters: []tracking.Filter{{Field: "t", Op: tracking.OpLe, Value: t0}}, OrderBy: "t"},
			want: []string{"c", "a", "f"}},
		{name: "time range below",
			q:    tracking.Query{Filters: []tracking.Filter{{Field: "t", Op: tracking.OpLt, Value: t0}}, OrderBy: "t"},
			want: []string{"c"}},
		{name: "time range above, descending",
			q:    tracking.Query{Filters: []tracking.Filter{{Field: "t", Op: tracking.OpGe, Value: t0}}, OrderBy: "t", Desc: true},
			want: []string{"b", "f", "a"}},
		{name: "descending with limit",
			q:    tracking.Query{Filters: []tracking.Filter{{Field: "t", Op: tracking.OpGe, Value: time.Time{}}}, OrderBy: "t", Desc: true, Limit: 1},
			want: []string{"b"}},
		{name: "order leaves out missing fields, types in Firestore's order",
			q:    tracking.Query{OrderBy: "t"},
			want: []string{"c", "a", "f", "b", "d"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Collection = coll
			got, err := s.Query(ctx, tc.q)
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("range on another field than the order", func(t *testing.T) {
		_, err := s.Query(ctx, tracking.Query{Collection: coll, OrderBy: "t",
			Filters: []tracking.Filter{{Field: "n", Op: tracking.OpLe, Value: int64(2)}}})
		if err == nil {
			t.Error("no error")
		}
	})
}

func ids(docs []tracking.Doc) []string {
	out := []string{}
	for _, d := range docs {
		out = append(out, d.ID)
	}
	return out
}

func testStoreConditionalWrites(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx, s, coll := context.Background(), e.store, e.names.Of("cas")
	if err := s.Set(ctx, coll, "a", tracking.Fields{"n": int64(1), "gone": "soon"}); err != nil {
		t.Fatal(err)
	}
	read, err := s.Get(ctx, coll, "a")
	if err != nil {
		t.Fatal(err)
	}
	if read.Version == "" {
		t.Fatal("document read without a version")
	}
	if err := s.Replace(ctx, read, tracking.Fields{"n": int64(2)}); err != nil {
		t.Fatalf("Replace at the version read: %v", err)
	}
	wantFields(t, s, coll, "a", tracking.Fields{"n": int64(2)})
	if err := s.Replace(ctx, read, tracking.Fields{"n": int64(3)}); !errors.Is(err, tracking.ErrConflict) {
		t.Errorf("Replace at a stale version = %v, want ErrConflict", err)
	}
	if err := s.Remove(ctx, read); !errors.Is(err, tracking.ErrConflict) {
		t.Errorf("Remove at a stale version = %v, want ErrConflict", err)
	}
	wantFields(t, s, coll, "a", tracking.Fields{"n": int64(2)})

	queried, err := s.Query(ctx, tracking.Query{Collection: coll})
	if err != nil || len(queried) != 1 {
		t.Fatalf("Query = %v, %v", queried, err)
	}
	current, err := s.Get(ctx, coll, "a")
	if err != nil {
		t.Fatal(err)
	}
	if queried[0].Version != current.Version || current.Version == read.Version {
		t.Errorf("versions: read %q, queried %q, current %q", read.Version, queried[0].Version, current.Version)
	}
	if err := s.Remove(ctx, queried[0]); err != nil {
		t.Fatalf("Remove at the version queried: %v", err)
	}
	if _, err := s.Get(ctx, coll, "a"); !errors.Is(err, tracking.ErrNotFound) {
		t.Errorf("Get removed: err = %v, want ErrNotFound", err)
	}
	if err := s.Replace(ctx, current, tracking.Fields{"n": int64(4)}); !errors.Is(err, tracking.ErrConflict) {
		t.Errorf("Replace of a removed document = %v, want ErrConflict", err)
	}
	if err := s.Remove(ctx, current); !errors.Is(err, tracking.ErrConflict) {
		t.Errorf("Remove of a removed document = %v, want ErrConflict", err)
	}
	// Created again, the document does not take up an old version.
	if err := s.Create(ctx, coll, "a", tracking.Fields{"n": int64(5)}); err != nil {
		t.Fatal(err)
	}
	for _, old := range []tracking.Doc{read, current} {
		if err := s.Replace(ctx, old, tracking.Fields{"n": int64(6)}); !errors.Is(err, tracking.ErrConflict) {
			t.Errorf("Replace of the recreated document at old version %q = %v, want ErrConflict", old.Version, err)
		}
	}
	wantFields(t, s, coll, "a", tracking.Fields{"n": int64(5)})
}

// testStoreNoLostUpdates has 32 goroutines increment one counter with read and conditional write: none of
// the increments may be lost.
func testStoreNoLostUpdates(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx, s, coll := context.Background(), e.store, e.names.Of("counter")
	if err := s.Set(ctx, coll, "n", tracking.Fields{"n": int64(0)}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for attempt := 0; ; attempt++ {
				d, err := s.Get(ctx, coll, "n")
				if err != nil {
					t.Errorf("Get: %v", err)
					return
				}
				err = s.Replace(ctx, d, tracking.Fields{"n": d.Fields["n"].(int64) + 1})
				if err == nil {
					return
				}
				if !errors.Is(err, tracking.ErrConflict) || attempt > 10*Workers {
					t.Errorf("Replace: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	wantFields(t, s, coll, "n", tracking.Fields{"n": int64(Workers)})
}

func testStoreSetAll(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx, s, coll := context.Background(), e.store, e.names.Of("batch")
	docs := map[string]tracking.Fields{}
	for i := range tracking.MaxBatch {
		docs[fmt.Sprintf("d%03d", i)] = tracking.Fields{"i": int64(i)}
	}
	if err := s.SetAll(ctx, coll, docs); err != nil {
		t.Fatalf("SetAll: %v", err)
	}
	if n, err := s.Count(ctx, coll); err != nil || n != tracking.MaxBatch {
		t.Errorf("Count = %d, %v; want %d", n, err, tracking.MaxBatch)
	}
	wantFields(t, s, coll, "d499", tracking.Fields{"i": int64(499)})

	docs["d500"] = tracking.Fields{"i": int64(500)}
	if err := s.SetAll(ctx, coll, docs); err == nil {
		t.Error("SetAll of more than MaxBatch documents: no error")
	}
	// One invalid document and none is written.
	bad := map[string]tracking.Fields{"new": {"i": int64(1)}, "a/b": {"i": int64(2)}}
	if err := s.SetAll(ctx, coll, bad); err == nil {
		t.Error("SetAll with an invalid id: no error")
	}
	if _, err := s.Get(ctx, coll, "new"); !errors.Is(err, tracking.ErrNotFound) {
		t.Errorf("SetAll wrote part of a failed batch: %v", err)
	}
}

func wantFields(t *testing.T, s tracking.Store, coll, id string, want tracking.Fields) {
	t.Helper()
	d, err := s.Get(context.Background(), coll, id)
	if err != nil {
		t.Fatalf("Get %s: %v", id, err)
	}
	if diff := cmp.Diff(want, d.Fields); diff != "" {
		t.Errorf("%s (-want +got):\n%s", id, diff)
	}
}

func testStoreCollections(t *testing.T, newStore NewStore) {
	e := setup(t, newStore)
	ctx, s := context.Background(), e.store
	for i, name := range []string{"b", "a", "a.b.c", "b"} {
		if err := s.Set(ctx, e.names.Of(name), fmt.Sprint(i), tracking.Fields{}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Collections(ctx, e.names.Prefix+"_")
	if err != nil {
		t.Fatalf("Collections: %v", err)
	}
	want := []string{e.names.Of("a"), e.names.Of("a.b.c"), e.names.Of("b")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Collections (-want +got):\n%s", diff)
	}
	counts := map[string]int{}
	for _, c := range append(want, e.names.Of("none")) {
		if counts[c], err = s.Count(ctx, c); err != nil {
			t.Fatalf("Count %s: %v", c, err)
		}
	}
	wantCounts := map[string]int{want[0]: 1, want[1]: 1, want[2]: 2, e.names.Of("none"): 0}
	if diff := cmp.Diff(wantCounts, counts); diff != "" {
		t.Errorf("Count (-want +got):\n%s", diff)
	}
	// A collection whose last document is deleted is gone.
	if err := s.Delete(ctx, e.names.Of("a"), "1"); err != nil {
		t.Fatal(err)
	}
	got, err = s.Collections(ctx, e.names.Prefix+"_")
	if err != nil {
		t.Fatalf("Collections: %v", err)
	}
	if diff := cmp.Diff(want[1:], got); diff != "" {
		t.Errorf("Collections after deleting a's last document (-want +got):\n%s", diff)
	}
}
