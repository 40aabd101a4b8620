package tracking

import (
	"context"
	"errors"
	"fmt"
)

// maxModifyAttempts bounds the reads and conditional writes of one modify when writers keep racing it.
const maxModifyAttempts = 20

// modify reads a document and writes what change makes of it, with a conditional write that fails if another
// writer got in between, in which case it reads again. change gets nil for a missing document and returns the
// new fields, or nil to leave the document as it is; its error ends modify.
func (t *Tracker) modify(ctx context.Context, coll, id string, change func(cur *Doc) (Fields, error)) error {
	for range maxModifyAttempts {
		var cur *Doc
		doc, err := t.store.Get(ctx, coll, id)
		switch {
		case err == nil:
			cur = &doc
		case !errors.Is(err, ErrNotFound):
			return err
		}
		fields, err := change(cur)
		if err != nil || fields == nil {
			return err
		}
		if cur == nil {
			err = t.store.Create(ctx, coll, id, fields)
		} else {
			err = t.store.Replace(ctx, doc, fields)
		}
		if errors.Is(err, ErrExists) || errors.Is(err, ErrConflict) {
			continue // someone else wrote it: read again
		}
		return err
	}
	return fmt.Errorf("%d attempts: %w", maxModifyAttempts, ErrConflict)
}
