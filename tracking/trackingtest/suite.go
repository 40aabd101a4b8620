// Package trackingtest is the conformance suite of tracking drivers: Run checks a driver's Store (documents,
// value types, queries, conditional writes, batches) and the whole Tracker over it (prepare barrier, prediction activity, per-row traces,
// task queue under concurrency, processed-events ledger, documents of an unknown shape, ls and clean).
//
// A driver's test calls it with a function that returns a Store for one test:
//
//	func TestConformance(t *testing.T) {
//		trackingtest.Run(t, func(testing.TB) tracking.Store { return embedded.NewMemory() })
//	}
//
// Tests run in parallel and may share one Store (one emulator): each uses its own collection prefix.
package trackingtest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/pltv/pltv/tracking"
)

// NewStore returns the Store one test or benchmark uses. The suite closes it when the test ends.
type NewStore func(t testing.TB) tracking.Store

// Run runs the conformance suite against a driver.
func Run(t *testing.T, newStore NewStore) {
	tests := []struct {
		name string
		fn   func(*testing.T, NewStore)
	}{
		{"StoreDocuments", testStoreDocuments},
		{"StoreValueTypes", testStoreValueTypes},
		{"StoreInvalidIDs", testStoreInvalidIDs},
		{"StoreQuery", testStoreQuery},
		{"StoreConditionalWrites", testStoreConditionalWrites},
		{"StoreNoLostUpdates", testStoreNoLostUpdates},
		{"StoreSetAll", testStoreSetAll},
		{"StoreCollections", testStoreCollections},
		{"CollectionNames", testCollectionNames},
		{"PrepareBarrier", testPrepareBarrier},
		{"PredictionActivity", testPredictionActivity},
		{"RowTraces", testRowTraces},
		{"QueueDelay", testQueueDelay},
		{"QueuePollLimit", testQueuePollLimit},
		{"QueueFinish", testQueueFinish},
		{"QueueLease", testQueueLease},
		{"QueueExpiry", testQueueExpiry},
		{"QueueIdempotentEnqueue", testQueueIdempotentEnqueue},
		{"QueueConcurrent", testQueueConcurrent},
		{"Ledger", testLedger},
		{"LedgerConcurrent", testLedgerConcurrent},
		{"Reconcile", testReconcile},
		{"UnknownShapes", testUnknownShapes},
		{"ListAndClean", testListAndClean},
		{"CleanAll", testCleanAll},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newStore)
		})
	}
}

// start is the suite's fixed time; the clock only moves when a test moves it.
var start = time.Date(2026, 3, 14, 15, 9, 26, 535897000, time.UTC)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is one test's tracker on its own prefix.
type env struct {
	store tracking.Store
	clock *fakeClock
	tr    *tracking.Tracker
	names tracking.Names
	logs  *syncBuffer
}

// setup opens a Store and a Tracker on a fresh prefix; change adjusts the options.
func setup(t testing.TB, newStore NewStore, change ...func(*tracking.Options)) *env {
	t.Helper()
	store := newStore(t)
	t.Cleanup(func() { store.Close() })
	return setupOn(t, store, uniquePrefix(t), change...)
}

// setupOn makes a Tracker on a given store and prefix.
func setupOn(t testing.TB, store tracking.Store, prefix string, change ...func(*tracking.Options)) *env {
	t.Helper()
	e := &env{store: store, clock: &fakeClock{now: start}, logs: &syncBuffer{}}
	opts := tracking.Options{
		Prefix: prefix,
		Clock:  e.clock.Now,
		Logger: slog.New(slog.NewJSONHandler(e.logs, nil)),
	}
	for _, c := range change {
		c(&opts)
	}
	tr, err := tracking.New(store, opts)
	if err != nil {
		t.Fatalf("tracking.New: %v", err)
	}
	e.tr, e.names = tr, tr.Names()
	return e
}

// uniquePrefix returns a deployment prefix no other test (nor an earlier run on the same emulator) uses.
func uniquePrefix(t testing.TB) string {
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "t" + hex.EncodeToString(b) + "_pltv"
}

// syncBuffer collects log lines from concurrent goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
