package firestore

import (
	"context"
	"fmt"
	"slices"
	"time"

	fs "cloud.google.com/go/firestore"

	"github.com/pltv/pltv/tracking"
)

// SetAll implements tracking.Store with a write-only transaction: one atomic commit, and no reads, so no locks.
func (s *Store) SetAll(ctx context.Context, coll string, docs map[string]tracking.Fields) error {
	if len(docs) > tracking.MaxBatch {
		return fmt.Errorf("set %d documents in %s: more than %d", len(docs), coll, tracking.MaxBatch)
	}
	refs := map[string]*fs.DocumentRef{}
	for id := range docs {
		ref, err := s.doc(coll, id)
		if err != nil {
			return fmt.Errorf("set %s/%s: %w", coll, id, err)
		}
		refs[id] = ref
	}
	err := s.client.RunTransaction(ctx, func(ctx context.Context, tx *fs.Transaction) error {
		for id, fields := range docs {
			if err := tx.Set(refs[id], map[string]any(fields)); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap("set documents in", coll, "", err)
}

// Replace implements tracking.Store with an update whose precondition is the update time read: it sets every
// new field and deletes every field read that the new ones lack.
func (s *Store) Replace(ctx context.Context, read tracking.Doc, fields tracking.Fields) error {
	ref, pre, err := s.conditional(read)
	if err != nil {
		return fmt.Errorf("replace %s: %w", read.Path(), err)
	}
	if len(fields) == 0 && len(read.Fields) == 0 {
		return fmt.Errorf("replace %s: no fields to write", read.Path())
	}
	var updates []fs.Update
	for _, k := range sortedKeys(fields) {
		updates = append(updates, fs.Update{FieldPath: fs.FieldPath{k}, Value: fields[k]})
	}
	for _, k := range sortedKeys(read.Fields) {
		if _, kept := fields[k]; !kept {
			updates = append(updates, fs.Update{FieldPath: fs.FieldPath{k}, Value: fs.Delete})
		}
	}
	_, err = ref.Update(ctx, updates, pre)
	return conflict("replace", read, err)
}

// Remove implements tracking.Store with a delete whose precondition is the update time read.
func (s *Store) Remove(ctx context.Context, read tracking.Doc) error {
	ref, pre, err := s.conditional(read)
	if err != nil {
		return fmt.Errorf("remove %s: %w", read.Path(), err)
	}
	_, err = ref.Delete(ctx, pre)
	return conflict("remove", read, err)
}

// conditional returns a document's reference and the precondition that it is still at the version read.
func (s *Store) conditional(read tracking.Doc) (*fs.DocumentRef, fs.Precondition, error) {
	ref, err := s.doc(read.Collection, read.ID)
	if err != nil {
		return nil, nil, err
	}
	updated, err := time.Parse(time.RFC3339Nano, read.Version)
	if err != nil {
		return nil, nil, fmt.Errorf("version %q was not read from Firestore", read.Version)
	}
	return ref, fs.LastUpdateTime(updated), nil
}

// version is the opaque version of a snapshot: its update time.
func version(snap *fs.DocumentSnapshot) string { return snap.UpdateTime.UTC().Format(time.RFC3339Nano) }

func sortedKeys(m tracking.Fields) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
