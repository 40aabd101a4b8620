// Package embedded is the tracking driver for one machine: documents in a bbolt file in the state directory,
// so a later `pltv status` or `pltv tracking ls` sees what an earlier command left, or in memory for tests.
//
// A collection is a bbolt bucket; a document is stored under its id as its version (a per-collection
// sequence) followed by its fields in CBOR. Writes are bbolt write transactions, one at a time; queries scan
// their collection, which suits the thousands of documents a local run keeps. bbolt locks its file: one
// process at a time opens it, and another waits up to Options.LockTimeout, then fails with ErrLocked.
package embedded

import (
	"bytes"
	"context"
	"fmt"

	"github.com/pltv/pltv/tracking"
)

// Store is the embedded tracking.Store.
type Store struct {
	kv    backend
	cache decoded
}

var _ tracking.Store = (*Store)(nil)

// backend is where the documents live: a bbolt file or memory.
type backend interface {
	view(fn func(txn) error) error
	update(fn func(txn) error) error // fn's writes apply together, or not at all when it fails
	close() error
}

// txn is one transaction of a backend. Values it returns are valid only until the transaction ends.
type txn interface {
	get(coll, id string) []byte // nil when missing
	put(coll, id string, v []byte) error
	del(coll, id string) error
	scan(coll string, fn func(id string, v []byte) error) error // by id
	collections(prefix string) ([]string, error)                // those with documents, sorted
	count(coll string) int
	nextVersion(coll string) (uint64, error)
}

// Get implements tracking.Store.
func (s *Store) Get(ctx context.Context, coll, id string) (tracking.Doc, error) {
	if err := validPath(coll, id); err != nil {
		return tracking.Doc{}, fmt.Errorf("get %s/%s: %w", coll, id, err)
	}
	var v []byte
	err := s.view(ctx, func(t txn) error {
		v = bytes.Clone(t.get(coll, id))
		return nil
	})
	if err != nil {
		return tracking.Doc{}, fmt.Errorf("get %s/%s: %w", coll, id, err)
	}
	if v == nil {
		return tracking.Doc{}, fmt.Errorf("get %s/%s: %w", coll, id, tracking.ErrNotFound)
	}
	doc, err := s.cache.doc(coll, id, v)
	if err != nil {
		return tracking.Doc{}, fmt.Errorf("get %s/%s: %w", coll, id, err)
	}
	return own(doc), nil
}

// Query implements tracking.Store. It copies the collection's raw documents in a short read transaction and
// decodes them after, so a scan does not hold up writers.
func (s *Store) Query(ctx context.Context, q tracking.Query) ([]tracking.Doc, error) {
	if err := tracking.ValidID(q.Collection); err != nil {
		return nil, fmt.Errorf("query %s: %w", q.Collection, err)
	}
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("query %s: %w", q.Collection, err)
	}
	type raw struct {
		id string
		v  []byte
	}
	var raws []raw
	err := s.view(ctx, func(t txn) error {
		return t.scan(q.Collection, func(id string, v []byte) error {
			raws = append(raws, raw{id, bytes.Clone(v)})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", q.Collection, err)
	}
	var docs []tracking.Doc
	for _, r := range raws {
		doc, err := s.cache.doc(q.Collection, r.id, r.v)
		if err != nil {
			return nil, fmt.Errorf("query %s: document %s: %w", q.Collection, r.id, err)
		}
		if matches(doc.Fields, q) {
			docs = append(docs, doc)
		}
	}
	sortDocs(docs, q)
	if q.Limit > 0 && len(docs) > q.Limit {
		docs = docs[:q.Limit]
	}
	for i := range docs {
		docs[i] = own(docs[i])
	}
	return docs, nil
}

// Create implements tracking.Store.
func (s *Store) Create(ctx context.Context, coll, id string, fields tracking.Fields) error {
	return s.write(ctx, "create", coll, id, func(t txn) error {
		if t.get(coll, id) != nil {
			return tracking.ErrExists
		}
		return put(t, coll, id, fields)
	})
}

// Set implements tracking.Store.
func (s *Store) Set(ctx context.Context, coll, id string, fields tracking.Fields) error {
	return s.write(ctx, "set", coll, id, func(t txn) error { return put(t, coll, id, fields) })
}

// SetAll implements tracking.Store.
func (s *Store) SetAll(ctx context.Context, coll string, docs map[string]tracking.Fields) error {
	if len(docs) > tracking.MaxBatch {
		return fmt.Errorf("set %d documents in %s: more than %d", len(docs), coll, tracking.MaxBatch)
	}
	for id := range docs {
		if err := validPath(coll, id); err != nil {
			return fmt.Errorf("set %s/%s: %w", coll, id, err)
		}
	}
	err := s.update(ctx, func(t txn) error {
		for id, fields := range docs {
			if err := put(t, coll, id, fields); err != nil {
				return fmt.Errorf("%s: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set documents in %s: %w", coll, err)
	}
	return nil
}

// Delete implements tracking.Store.
func (s *Store) Delete(ctx context.Context, coll, id string) error {
	return s.write(ctx, "delete", coll, id, func(t txn) error { return t.del(coll, id) })
}

// Replace implements tracking.Store.
func (s *Store) Replace(ctx context.Context, read tracking.Doc, fields tracking.Fields) error {
	return s.write(ctx, "replace", read.Collection, read.ID, func(t txn) error {
		if err := unchanged(t, read); err != nil {
			return err
		}
		return put(t, read.Collection, read.ID, fields)
	})
}

// Remove implements tracking.Store.
func (s *Store) Remove(ctx context.Context, read tracking.Doc) error {
	return s.write(ctx, "remove", read.Collection, read.ID, func(t txn) error {
		if err := unchanged(t, read); err != nil {
			return err
		}
		return t.del(read.Collection, read.ID)
	})
}

// Collections implements tracking.Store.
func (s *Store) Collections(ctx context.Context, prefix string) ([]string, error) {
	var names []string
	err := s.view(ctx, func(t txn) (err error) {
		names, err = t.collections(prefix)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list collections: %w", err)
	}
	return names, nil
}

// Count implements tracking.Store.
func (s *Store) Count(ctx context.Context, coll string) (int, error) {
	var n int
	err := s.view(ctx, func(t txn) error {
		n = t.count(coll)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", coll, err)
	}
	return n, nil
}

// Close implements tracking.Store.
func (s *Store) Close() error { return s.kv.close() }

func (s *Store) view(ctx context.Context, fn func(txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.kv.view(fn)
}

func (s *Store) update(ctx context.Context, fn func(txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.kv.update(fn)
}

// write runs one document's write in a transaction.
func (s *Store) write(ctx context.Context, op, coll, id string, fn func(txn) error) error {
	if err := validPath(coll, id); err != nil {
		return fmt.Errorf("%s %s/%s: %w", op, coll, id, err)
	}
	if err := s.update(ctx, fn); err != nil {
		return fmt.Errorf("%s %s/%s: %w", op, coll, id, err)
	}
	return nil
}

func validPath(coll, id string) error {
	if err := tracking.ValidID(coll); err != nil {
		return fmt.Errorf("collection: %w", err)
	}
	if err := tracking.ValidID(id); err != nil {
		return fmt.Errorf("document: %w", err)
	}
	return nil
}

// put stores fields under a new version.
func put(t txn, coll, id string, fields tracking.Fields) error {
	version, err := t.nextVersion(coll)
	if err != nil {
		return err
	}
	v, err := encode(version, fields)
	if err != nil {
		return err
	}
	return t.put(coll, id, v)
}

// unchanged checks that a document is still at the version it was read at.
func unchanged(t txn, read tracking.Doc) error {
	v := t.get(read.Collection, read.ID)
	if v == nil {
		return fmt.Errorf("deleted since read: %w", tracking.ErrConflict)
	}
	if version(v) != read.Version {
		return fmt.Errorf("version %s, read at %s: %w", version(v), read.Version, tracking.ErrConflict)
	}
	return nil
}
