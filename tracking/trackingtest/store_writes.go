package trackingtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/pltv/pltv/tracking"
)

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
	for range workers {
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
				if !errors.Is(err, tracking.ErrConflict) || attempt > 10*workers {
					t.Errorf("Replace: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	wantFields(t, s, coll, "n", tracking.Fields{"n": int64(workers)})
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
