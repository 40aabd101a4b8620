package bigquery

import (
	"context"
	"fmt"

	gbq "cloud.google.com/go/bigquery"

	"github.com/pltv/pltv/warehouse"
)

// Insert streams rows into a table with insertAll, InsertBatchRows rows per request. When the table is
// missing it creates it with the schema (tables.insert) and sends the rows again; with no rows it only
// makes sure the table exists. Streamed rows sit in BigQuery's streaming buffer for a while: a copy or a
// DML statement does not see them yet, a query does.
func (w *Warehouse) Insert(ctx context.Context, table warehouse.Ref, schema warehouse.Schema, rows []warehouse.Row) error {
	if err := w.insert(ctx, table, schema, rows); err != nil {
		return fmt.Errorf("bigquery: insert into %s: %w", w.resolve(table), err)
	}
	return nil
}

func (w *Warehouse) insert(ctx context.Context, table warehouse.Ref, schema warehouse.Schema, rows []warehouse.Row) error {
	t := w.table(table)
	bqSchema := toBQSchema(schema)
	if len(rows) == 0 {
		return w.create(ctx, t, bqSchema)
	}
	created := false
	for start := 0; start < len(rows); start += w.opts.InsertBatchRows {
		end := min(start+w.opts.InsertBatchRows, len(rows))
		savers := make([]*gbq.ValuesSaver, 0, end-start)
		for i, r := range rows[start:end] {
			vals, err := toBQRow(r, schema)
			if err != nil {
				return fmt.Errorf("row %d: %w", start+i, err)
			}
			savers = append(savers, &gbq.ValuesSaver{Schema: bqSchema, Row: vals})
		}
		err := t.Inserter().Put(ctx, savers)
		if isNotFound(err) && !created {
			if err := w.create(ctx, t, bqSchema); err != nil {
				return err
			}
			created = true
			err = t.Inserter().Put(ctx, savers)
		}
		if err != nil {
			return fmt.Errorf("rows %d to %d: %w", start, end-1, callError(err, "table "+w.resolve(table).String()))
		}
	}
	return nil
}

// create creates a table with the schema; one that exists already is fine.
func (w *Warehouse) create(ctx context.Context, t *gbq.Table, schema gbq.Schema) error {
	err := t.Create(ctx, &gbq.TableMetadata{Schema: schema})
	if err != nil && !isDuplicate(err) {
		return fmt.Errorf("create table: %w", callError(err, "dataset "+t.ProjectID+"."+t.DatasetID))
	}
	return nil
}
