package embedded

import (
	"maps"
	"slices"
	"strings"
	"sync"
)

// NewMemory returns a Store that keeps its documents in memory, for tests.
func NewMemory() *Store { return &Store{kv: &memKV{colls: map[string]map[string][]byte{}}} }

// memKV is a map of collections guarded by one lock; a write transaction holds it, and undoes its changes
// unless it commits.
type memKV struct {
	mu      sync.RWMutex
	colls   map[string]map[string][]byte
	version uint64
}

func (m *memKV) view(fn func(txn) error) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return fn(&memTxn{m: m})
}

func (m *memKV) update(fn func(txn) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := &memTxn{m: m}
	committed := false
	defer func() {
		if !committed {
			t.rollback()
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	committed = true
	return nil
}

func (m *memKV) close() error { return nil }

type memTxn struct {
	m    *memKV
	undo []change
}

// change is a document's value before a write: nil when it did not exist.
type change struct {
	coll, id string
	prev     []byte
}

func (t *memTxn) get(coll, id string) []byte { return t.m.colls[coll][id] }

func (t *memTxn) put(coll, id string, v []byte) error {
	t.undo = append(t.undo, change{coll, id, t.get(coll, id)})
	docs := t.m.colls[coll]
	if docs == nil {
		docs = map[string][]byte{}
		t.m.colls[coll] = docs
	}
	docs[id] = v
	return nil
}

func (t *memTxn) del(coll, id string) error {
	prev := t.get(coll, id)
	if prev == nil {
		return nil
	}
	t.undo = append(t.undo, change{coll, id, prev})
	t.remove(coll, id)
	return nil
}

func (t *memTxn) remove(coll, id string) {
	delete(t.m.colls[coll], id)
	if len(t.m.colls[coll]) == 0 {
		delete(t.m.colls, coll)
	}
}

func (t *memTxn) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		c := t.undo[i]
		if c.prev == nil {
			t.remove(c.coll, c.id)
			continue
		}
		if t.m.colls[c.coll] == nil {
			t.m.colls[c.coll] = map[string][]byte{}
		}
		t.m.colls[c.coll][c.id] = c.prev
	}
}

func (t *memTxn) scan(coll string, fn func(id string, v []byte) error) error {
	docs := t.m.colls[coll]
	for _, id := range slices.Sorted(maps.Keys(docs)) {
		if err := fn(id, docs[id]); err != nil {
			return err
		}
	}
	return nil
}

func (t *memTxn) collections(prefix string) ([]string, error) {
	var names []string
	for name := range t.m.colls {
		if strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names, nil
}

func (t *memTxn) nextVersion(string) (uint64, error) {
	t.m.version++ // not undone on rollback: versions need only be unique
	return t.m.version, nil
}

func (t *memTxn) count(coll string) int { return len(t.m.colls[coll]) }
