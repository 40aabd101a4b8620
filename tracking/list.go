package tracking

import (
	"context"
	"fmt"
)

// listAll reads every document of a collection with decode, keeping the sound ones in the order the store
// returned them and reporting the others as problems (logged as what, e.g. "list tasks").
func listAll[T any](ctx context.Context, t *Tracker, collection, what string, decode func(Doc) (T, *Problem)) ([]T, []Problem, error) {
	return queryAll(ctx, t, Query{Collection: collection}, what, decode)
}

// queryAll is listAll of the documents q selects.
func queryAll[T any](ctx context.Context, t *Tracker, q Query, what string, decode func(Doc) (T, *Problem)) ([]T, []Problem, error) {
	docs, err := t.store.Query(ctx, q)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", what, err)
	}
	var out []T
	var problems []Problem
	for _, d := range docs {
		v, prob := decode(d)
		if prob != nil {
			problems = append(problems, *prob)
			continue
		}
		out = append(out, v)
	}
	report(ctx, t.opts.Logger, what, problems...)
	return out, problems, nil
}
