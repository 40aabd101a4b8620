package bigquery

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	gbq "cloud.google.com/go/bigquery"
	"golang.org/x/sync/errgroup"
	"google.golang.org/api/iterator"

	"github.com/pltv/pltv/warehouse"
)

// describeConcurrency bounds the tables.get calls that Tables makes at once.
const describeConcurrency = 8

// Table describes a table with tables.get. Rows still in the streaming buffer count as rows: BigQuery
// leaves them out of numRows for a while after an insert.
func (w *Warehouse) Table(ctx context.Context, table warehouse.Ref) (warehouse.TableInfo, error) {
	info, err := w.tableInfo(ctx, table)
	if err != nil {
		return warehouse.TableInfo{}, fmt.Errorf("bigquery: describe %s: %w", w.resolve(table), err)
	}
	return info, nil
}

func (w *Warehouse) tableInfo(ctx context.Context, table warehouse.Ref) (warehouse.TableInfo, error) {
	md, err := w.table(table).Metadata(ctx)
	if isNotFound(err) {
		return warehouse.TableInfo{Ref: table, State: warehouse.Missing}, nil
	}
	if err != nil {
		return warehouse.TableInfo{}, callError(err, "table "+w.resolve(table).String())
	}
	return describe(table, md), nil
}

func describe(table warehouse.Ref, md *gbq.TableMetadata) warehouse.TableInfo {
	rows := int64(md.NumRows)
	if md.StreamingBuffer != nil {
		rows += int64(md.StreamingBuffer.EstimatedRows)
	}
	info := warehouse.TableInfo{Ref: table, State: warehouse.Empty, Rows: rows, Schema: fromBQSchema(md.Schema)}
	if rows > 0 {
		info.State = warehouse.HasRows
	}
	return info
}

// Tables lists a dataset's tables (tables.list, every page) and describes those whose name starts with
// prefix (one tables.get each, a few at a time). A table dropped meanwhile is left out.
func (w *Warehouse) Tables(ctx context.Context, dataset warehouse.Dataset, prefix string) ([]warehouse.TableInfo, error) {
	out, err := w.tables(ctx, dataset, prefix)
	if err != nil {
		return nil, fmt.Errorf("bigquery: list tables of %s.%s: %w", cmp.Or(dataset.Project, w.opts.Project), dataset.Dataset, err)
	}
	return out, nil
}

func (w *Warehouse) tables(ctx context.Context, dataset warehouse.Dataset, prefix string) ([]warehouse.TableInfo, error) {
	project := cmp.Or(dataset.Project, w.opts.Project)
	it := w.client.DatasetInProject(project, dataset.Dataset).Tables(ctx)
	var names []string
	for {
		t, err := it.Next()
		if errors.Is(err, iterator.Done) {
			break
		}
		if err != nil {
			return nil, callError(err, "dataset "+project+"."+dataset.Dataset)
		}
		if strings.HasPrefix(t.TableID, prefix) {
			names = append(names, t.TableID)
		}
	}
	var (
		mu  sync.Mutex
		out []warehouse.TableInfo
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(describeConcurrency)
	for _, name := range names {
		g.Go(func() error {
			info, err := w.tableInfo(gctx, dataset.Table(name))
			if err != nil || info.State == warehouse.Missing {
				return err
			}
			mu.Lock()
			out = append(out, info)
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b warehouse.TableInfo) int { return cmp.Compare(a.Ref.Table, b.Ref.Table) })
	return out, nil
}

// Drop deletes a table with tables.delete; a missing table is not an error.
func (w *Warehouse) Drop(ctx context.Context, table warehouse.Ref) error {
	err := w.table(table).Delete(ctx)
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("bigquery: drop %s: %w", w.resolve(table), callError(err, "table "+w.resolve(table).String()))
	}
	return nil
}
