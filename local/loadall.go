package local

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/pltv/pltv/warehouse"
)

// stagedLoad is one table a load writes: load fills the staging table it is given.
type stagedLoad struct {
	dest warehouse.Ref
	load func(ctx context.Context, wh warehouse.Warehouse, staging warehouse.Ref) (int64, error)
}

// loadMark ends the name of the staging table of a load.
const loadMark = "__load"

// loadAll loads every table in two steps, so that a bad file changes nothing: each load fills a staging
// table beside its destination (up to workers at once); only when all succeeded are the staging tables
// copied over their destinations. On a failure the staging tables are dropped and every destination is as it
// was. It returns the rows loaded.
func loadAll(ctx context.Context, wh warehouse.Warehouse, loads []stagedLoad, workers int) (int64, error) {
	staging := func(l stagedLoad) warehouse.Ref { return l.dest.DatasetOf().Table(l.dest.Table + loadMark) }
	drop := func() error {
		var errs []error
		for _, l := range loads {
			errs = append(errs, wh.Drop(context.WithoutCancel(ctx), staging(l)))
		}
		return errors.Join(errs...)
	}
	var rows atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(workers, 1))
	for _, l := range loads {
		g.Go(func() error {
			n, err := l.load(gctx, wh, staging(l))
			rows.Add(n)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		if derr := drop(); derr != nil {
			return 0, fmt.Errorf("%w (and dropping the staged tables: %v)", err, derr)
		}
		return 0, fmt.Errorf("%w; nothing was loaded", err)
	}
	for _, l := range loads {
		if _, err := wh.Copy(ctx, warehouse.CopyJob{Source: staging(l), Destination: l.dest}); err != nil {
			return 0, fmt.Errorf("load %s: %w", l.dest, err)
		}
	}
	return rows.Load(), drop()
}
