package bigquery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	gbq "cloud.google.com/go/bigquery"
	"google.golang.org/api/googleapi"

	"github.com/pltv/pltv/warehouse"
)

// Insert appends rows to a table with one load job (newline-delimited JSON, WRITE_APPEND, the table created
// with the schema when it is missing), never with streaming inserts: BigQuery may drop rows streamed into
// a table just deleted and created again without an error, and streamed rows sit in the streaming buffer,
// where copy jobs do not see them. A loaded row is in the table, for every job, once the load is done.
// With no rows it only makes sure the table exists (tables.insert).
func (w *Warehouse) Insert(ctx context.Context, table warehouse.Ref, schema warehouse.Schema, rows []warehouse.Row) error {
	if err := w.insert(ctx, table, schema, rows); err != nil {
		return fmt.Errorf("bigquery: insert into %s: %w", w.resolve(table), err)
	}
	return nil
}

func (w *Warehouse) insert(ctx context.Context, table warehouse.Ref, schema warehouse.Schema, rows []warehouse.Row) error {
	bqSchema := toBQSchema(schema)
	if len(rows) == 0 {
		return w.create(ctx, w.table(table), bqSchema)
	}
	data, err := ndjson(rows, schema)
	if err != nil {
		return err
	}
	src := gbq.NewReaderSource(bytes.NewReader(data))
	src.SourceFormat = gbq.JSON
	src.Schema = bqSchema
	l := w.table(table).LoaderFrom(src)
	l.WriteDisposition, l.CreateDisposition = gbq.WriteAppend, gbq.CreateIfNeeded
	if w.opts.UploadChunkSize > 0 {
		l.MediaOptions = []googleapi.MediaOption{googleapi.ChunkSize(w.opts.UploadChunkSize)}
	}
	// Appending is not idempotent: each insert is a job of its own (a random id, no attempt key), and a
	// caller that retries replaces the table first, as the pipeline's staging does.
	id := w.jobID(context.Background(), nil, "insert")
	j, err := w.startJob(ctx, id, func(id string) (*gbq.Job, error) {
		l.JobID = id
		return l.Run(ctx)
	})
	if err != nil {
		return callError(err, "load job")
	}
	_, err = w.wait(ctx, j)
	return err
}

// ndjson encodes rows as newline-delimited JSON objects keyed by column, in the text forms BigQuery loads.
func ndjson(rows []warehouse.Row, schema warehouse.Schema) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	obj := make(map[string]any, len(schema))
	for n, r := range rows {
		if len(r) != len(schema) {
			return nil, fmt.Errorf("row %d has %d values, the schema %d columns", n, len(r), len(schema))
		}
		for i, v := range r {
			j, err := jsonValue(v)
			if err != nil {
				return nil, fmt.Errorf("row %d: column %s: %w", n, schema[i].Name, err)
			}
			obj[schema[i].Name] = j
		}
		if err := enc.Encode(obj); err != nil {
			return nil, fmt.Errorf("row %d: %w", n, err)
		}
	}
	return buf.Bytes(), nil
}

// jsonValue is a value as a JSON load takes it: DATE as YYYY-MM-DD, TIMESTAMP in RFC 3339 (UTC), a float
// that JSON cannot hold as BigQuery's text for it.
func jsonValue(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, int64, bool:
		return x, nil
	case int:
		return int64(x), nil
	case float64:
		switch {
		case math.IsNaN(x):
			return "NaN", nil
		case math.IsInf(x, 1):
			return "Infinity", nil
		case math.IsInf(x, -1):
			return "-Infinity", nil
		}
		return x, nil
	case warehouse.Date:
		return x.String(), nil
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), nil
	}
	return nil, fmt.Errorf("unsupported value type %T", v)
}

// create creates a table with the schema; one that exists already is fine.
func (w *Warehouse) create(ctx context.Context, t *gbq.Table, schema gbq.Schema) error {
	err := t.Create(ctx, &gbq.TableMetadata{Schema: schema})
	if err != nil && !isDuplicate(err) {
		return fmt.Errorf("create table: %w", callError(err, "dataset "+t.ProjectID+"."+t.DatasetID))
	}
	return nil
}
