package bigquery

import (
	"context"
	"errors"
	"fmt"

	gbq "cloud.google.com/go/bigquery"
	"google.golang.org/api/iterator"

	"github.com/pltv/pltv/warehouse"
)

// defaultBatchSize is the batch size of a ReadRequest that names none.
const defaultBatchSize = 1000

// Read streams a table (tabledata.list) or a query's result (jobs.query, then jobs.getQueryResults for the
// further pages) in batches. The client holds one page at a time, of at most BatchSize rows after the first
// page of a query (whose size BigQuery chooses).
func (w *Warehouse) Read(ctx context.Context, req warehouse.ReadRequest, fn func(warehouse.Batch) error) error {
	op := "read query"
	if req.Table != nil {
		op = "read " + w.resolve(*req.Table).String()
	}
	if err := w.read(ctx, req, fn); err != nil {
		return fmt.Errorf("bigquery: %s: %w", op, err)
	}
	return nil
}

func (w *Warehouse) read(ctx context.Context, req warehouse.ReadRequest, fn func(warehouse.Batch) error) error {
	size := req.BatchSize
	if size <= 0 {
		size = defaultBatchSize
	}
	var it *gbq.RowIterator
	subject := "query result"
	switch {
	case req.Table != nil && req.SQL != "":
		return errors.New("name a table or a query, not both")
	case req.Table != nil:
		subject = "table " + w.resolve(*req.Table).String()
		it = w.table(*req.Table).Read(ctx)
	case req.SQL != "":
		q := w.client.Query(req.SQL)
		params, err := queryParams(req.Params)
		if err != nil {
			return err
		}
		q.Parameters = params
		q.Location = w.opts.Location // jobs.query takes no location from the client's default
		if it, err = q.Read(ctx); err != nil {
			return callError(err, "query")
		}
	default:
		return errors.New("name a table or a query")
	}
	it.PageInfo().MaxSize = size
	return drain(it, size, subject, fn)
}

// drain hands the iterator's rows to fn in batches of size rows (the last one may be shorter).
func drain(it *gbq.RowIterator, size int, subject string, fn func(warehouse.Batch) error) error {
	var schema warehouse.Schema
	batch := make([]warehouse.Row, 0, size)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := fn(warehouse.Batch{Schema: schema, Rows: batch})
		batch = make([]warehouse.Row, 0, size)
		return err
	}
	for {
		var vals []gbq.Value
		err := it.Next(&vals)
		if errors.Is(err, iterator.Done) {
			break
		}
		if err != nil {
			return callError(err, subject)
		}
		if schema == nil {
			schema = fromBQSchema(it.Schema)
		}
		row, err := fromBQRow(vals, it.Schema)
		if err != nil {
			return err
		}
		batch = append(batch, row)
		if len(batch) == size {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
