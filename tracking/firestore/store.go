// Package firestore is the tracking driver for Google Cloud Firestore (native mode), through
// cloud.google.com/go/firestore. Each tracking collection is a root collection of the database; queries need
// only the single-field indexes Firestore creates by itself. Conditional writes (Replace, Remove) are updates
// and deletes with the update time read as precondition: optimistic, lock-free. With FIRESTORE_EMULATOR_HOST set, the client
// talks to the emulator, which is how the conformance suite runs it.
package firestore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	fs "cloud.google.com/go/firestore"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pltv/pltv/tracking"
)

// Store is the Firestore tracking.Store.
type Store struct {
	client *fs.Client
	owned  bool // Close closes the client
}

var _ tracking.Store = (*Store)(nil)

// New returns a Store over a client the caller keeps (and closes).
func New(client *fs.Client) *Store { return &Store{client: client} }

// Open connects to a project's Firestore database ("" or "(default)" for the default one).
func Open(ctx context.Context, project, database string, opts ...option.ClientOption) (*Store, error) {
	if database == "" {
		database = fs.DefaultDatabaseID
	}
	client, err := fs.NewClientWithDatabase(ctx, project, database, opts...)
	if err != nil {
		return nil, fmt.Errorf("open firestore %s/%s: %w", project, database, err)
	}
	return &Store{client: client, owned: true}, nil
}

// Close implements tracking.Store.
func (s *Store) Close() error {
	if !s.owned {
		return nil
	}
	return s.client.Close()
}

// Get implements tracking.Ops.
func (s *Store) Get(ctx context.Context, coll, id string) (tracking.Doc, error) {
	ref, err := s.doc(coll, id)
	if err != nil {
		return tracking.Doc{}, fmt.Errorf("get %s/%s: %w", coll, id, err)
	}
	snap, err := ref.Get(ctx)
	return snapshot("get", coll, id, snap, err)
}

// Query implements tracking.Ops.
func (s *Store) Query(ctx context.Context, q tracking.Query) ([]tracking.Doc, error) {
	fq, err := s.query(q)
	if err != nil {
		return nil, err
	}
	return collect(q.Collection, fq.Documents(ctx))
}

// Create implements tracking.Ops.
func (s *Store) Create(ctx context.Context, coll, id string, fields tracking.Fields) error {
	ref, err := s.doc(coll, id)
	if err == nil {
		_, err = ref.Create(ctx, map[string]any(fields))
	}
	return wrap("create", coll, id, err)
}

// Set implements tracking.Ops.
func (s *Store) Set(ctx context.Context, coll, id string, fields tracking.Fields) error {
	ref, err := s.doc(coll, id)
	if err == nil {
		_, err = ref.Set(ctx, map[string]any(fields))
	}
	return wrap("set", coll, id, err)
}

// Delete implements tracking.Ops.
func (s *Store) Delete(ctx context.Context, coll, id string) error {
	ref, err := s.doc(coll, id)
	if err == nil {
		_, err = ref.Delete(ctx)
	}
	return wrap("delete", coll, id, err)
}

// Collections implements tracking.Store.
func (s *Store) Collections(ctx context.Context, prefix string) ([]string, error) {
	var names []string
	it := s.client.Collections(ctx)
	for {
		c, err := it.Next()
		if errors.Is(err, iterator.Done) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("list collections: %w", err)
		}
		if strings.HasPrefix(c.ID, prefix) {
			names = append(names, c.ID)
		}
	}
	slices.Sort(names)
	return names, nil
}

// Count implements tracking.Store with a count aggregation, which reads no documents.
func (s *Store) Count(ctx context.Context, coll string) (int, error) {
	if err := tracking.ValidID(coll); err != nil {
		return 0, fmt.Errorf("count %s: %w", coll, err)
	}
	res, err := s.client.Collection(coll).NewAggregationQuery().WithCount("n").Get(ctx)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", coll, err)
	}
	n, ok := res.Data()["n"].(int64)
	if !ok {
		return 0, fmt.Errorf("count %s: unexpected result %v", coll, res.Data())
	}
	return int(n), nil
}

func (s *Store) doc(coll, id string) (*fs.DocumentRef, error) {
	if err := tracking.ValidID(coll); err != nil {
		return nil, fmt.Errorf("collection: %w", err)
	}
	if err := tracking.ValidID(id); err != nil {
		return nil, fmt.Errorf("document: %w", err)
	}
	return s.client.Collection(coll).Doc(id), nil
}

func (s *Store) query(q tracking.Query) (fs.Query, error) {
	if err := tracking.ValidID(q.Collection); err != nil {
		return fs.Query{}, fmt.Errorf("query %s: %w", q.Collection, err)
	}
	if err := q.Validate(); err != nil {
		return fs.Query{}, fmt.Errorf("query %s: %w", q.Collection, err)
	}
	fq := s.client.Collection(q.Collection).Query
	for _, f := range q.Filters {
		fq = fq.Where(f.Field, string(f.Op), f.Value)
	}
	if q.OrderBy != "" {
		dir := fs.Asc
		if q.Desc {
			dir = fs.Desc
		}
		fq = fq.OrderBy(q.OrderBy, dir)
		if q.Desc {
			fq = fq.OrderBy(fs.DocumentID, fs.Desc) // Firestore's implicit tie-break follows the last direction
		}
	}
	if q.Limit > 0 {
		fq = fq.Limit(q.Limit)
	}
	return fq, nil
}

func collect(coll string, it *fs.DocumentIterator) ([]tracking.Doc, error) {
	defer it.Stop()
	var docs []tracking.Doc
	for {
		snap, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return docs, nil
		}
		if err != nil {
			return nil, wrap("query", coll, "", err)
		}
		docs = append(docs, tracking.Doc{Collection: coll, ID: snap.Ref.ID, Fields: snap.Data(), Version: version(snap)})
	}
}

func snapshot(op, coll, id string, snap *fs.DocumentSnapshot, err error) (tracking.Doc, error) {
	if err != nil {
		return tracking.Doc{}, wrap(op, coll, id, err)
	}
	return tracking.Doc{Collection: coll, ID: id, Fields: snap.Data(), Version: version(snap)}, nil
}

// conflict wraps the error of a conditional write: whether the document changed or is gone, it is a conflict.
func conflict(op string, read tracking.Doc, err error) error {
	if status.Code(err) == codes.NotFound {
		return fmt.Errorf("%s %s: deleted since read: %w", op, read.Path(), tracking.ErrConflict)
	}
	return wrap(op, read.Collection, read.ID, err)
}

// wrap names the operation and maps Firestore's codes to tracking's errors.
func wrap(op, coll, id string, err error) error {
	if err == nil {
		return nil
	}
	path := coll
	if id != "" {
		path += "/" + id
	}
	var sentinel error
	switch status.Code(err) {
	case codes.NotFound:
		sentinel = tracking.ErrNotFound
	case codes.AlreadyExists:
		sentinel = tracking.ErrExists
	case codes.Aborted, codes.FailedPrecondition:
		sentinel = tracking.ErrConflict
	}
	prefix := op
	if path != "" {
		prefix += " " + path
	}
	if sentinel != nil && !errors.Is(err, sentinel) {
		return fmt.Errorf("%s: %w: %w", prefix, sentinel, err)
	}
	return fmt.Errorf("%s: %w", prefix, err)
}
