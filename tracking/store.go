package tracking

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Store is the driver interface: a document store with Firestore's data model. A collection holds documents
// named by an id; a document holds typed fields and a version that changes with every write. Drivers:
// tracking/firestore and tracking/embedded.
//
// Field values are nil, bool, int64, float64, string, []byte, time.Time (UTC, microsecond precision),
// map[string]any and []any. Drivers return exactly these types, whatever a writer stored.
//
// Read-modify-write goes through Replace and Remove: conditional writes that apply only if the document is
// still at the version read (Firestore's update-time precondition). They take no locks, so concurrent
// pollers never wait on each other: the loser of a race gets ErrConflict and moves on or reads again.
type Store interface {
	// Get reads one document; a missing one is an error wrapping ErrNotFound.
	Get(ctx context.Context, collection, id string) (Doc, error)
	// Query returns the documents that match q.
	Query(ctx context.Context, q Query) ([]Doc, error)
	// Create writes a new document; an existing one is an error wrapping ErrExists.
	Create(ctx context.Context, collection, id string, fields Fields) error
	// Set writes a document, replacing all its fields.
	Set(ctx context.Context, collection, id string, fields Fields) error
	// SetAll writes up to MaxBatch documents of one collection in one atomic commit.
	SetAll(ctx context.Context, collection string, docs map[string]Fields) error
	// Delete removes a document; a missing one is not an error.
	Delete(ctx context.Context, collection, id string) error
	// Replace replaces all fields of a document read earlier (by Get or Query), only if it is still at the
	// version read; if it changed or is gone, nothing is written and the error wraps ErrConflict.
	Replace(ctx context.Context, read Doc, fields Fields) error
	// Remove deletes a document read earlier, only if it is still at the version read (ErrConflict otherwise).
	Remove(ctx context.Context, read Doc) error
	// Collections returns the names of the collections that start with prefix and hold documents, sorted.
	Collections(ctx context.Context, prefix string) ([]string, error)
	// Count returns the number of documents in a collection.
	Count(ctx context.Context, collection string) (int, error)
	// Close releases the driver's resources.
	Close() error
}

// MaxBatch is the most documents SetAll writes at once (Firestore's limit of writes in one commit).
const MaxBatch = 500

// Fields are a document's fields by name.
type Fields map[string]any

// Doc is one stored document.
type Doc struct {
	Collection string
	ID         string
	Fields     Fields
	Version    string // opaque; changes with every write of the document
}

// Path returns collection/id, the way problems and listings name a document.
func (d Doc) Path() string { return d.Collection + "/" + d.ID }

// Query selects documents of one collection. Like Firestore, a filter or an order on a field leaves out the
// documents without that field, and a range or equality filter matches only values of the filter value's
// type (int64 and float64 compare as numbers). Documents come ordered by OrderBy, then by id (both
// descending with Desc); by id when OrderBy is empty. A range filter's field must be the OrderBy field.
type Query struct {
	Collection string
	Filters    []Filter
	OrderBy    string
	Desc       bool
	Limit      int // 0: no limit
}

// Validate refuses what Firestore refuses: an unknown operator, or a range filter on a field other than the
// one ordered by.
func (q Query) Validate() error {
	for _, f := range q.Filters {
		switch f.Op {
		case OpEq:
		case OpLt, OpLe, OpGt, OpGe:
			if q.OrderBy != "" && q.OrderBy != f.Field {
				return fmt.Errorf("range filter on %q needs the order on it, not on %q", f.Field, q.OrderBy)
			}
		default:
			return fmt.Errorf("unknown operator %q", f.Op)
		}
	}
	if q.Limit < 0 {
		return fmt.Errorf("negative limit %d", q.Limit)
	}
	return nil
}

// Filter compares one field with a value.
type Filter struct {
	Field string
	Op    Op
	Value any
}

// Op is a comparison operator.
type Op string

// The comparison operators every driver supports.
const (
	OpEq Op = "=="
	OpLt Op = "<"
	OpLe Op = "<="
	OpGt Op = ">"
	OpGe Op = ">="
)

// Errors drivers wrap, so callers can branch with errors.Is.
var (
	ErrNotFound = errors.New("document not found")
	ErrExists   = errors.New("document already exists")
	ErrConflict = errors.New("document changed since it was read")
)

// Precision is the finest time step a Store keeps (Firestore keeps microseconds).
const Precision = time.Microsecond
