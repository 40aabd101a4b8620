package trackingtest

import (
	"context"
	"errors"
	"fmt"
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
