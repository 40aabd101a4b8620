package trackingtest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/tracking"
)

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
