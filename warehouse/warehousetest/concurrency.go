package warehousetest

import (
	"fmt"
	"sync"

	"github.com/pltv/pltv/warehouse"
)

var concurrencyTests = []test{
	{name: "ConcurrentWritersAndReaders", needs: func(f Features) string {
		if !f.Concurrency {
			return "Concurrency"
		}
		return needsSQL(f)
	}, run: func(h *harness) {
		const writers, batches, size = 8, 5, 20
		h.insert("source", numbers, seq(100)...)
		var wg sync.WaitGroup
		errs := make(chan error, writers*batches*3)
		for g := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for b := range batches {
					rows := make([]warehouse.Row, size)
					for i := range rows {
						rows[i] = warehouse.Row{fmt.Sprintf("c%d-%d-%d", g, b, i), "o", "g", "20200101", float64(i)}
					}
					if err := h.w.Insert(h.ctx, h.ref("predictions_20200101"), predictions, rows); err != nil {
						errs <- err
					}
					dest := h.ref(fmt.Sprintf("scratch_%d", g))
					if _, err := h.w.Query(h.ctx, warehouse.QueryJob{SQL: h.sql("SELECT n FROM {source} WHERE n <= @k"),
						Params: map[string]any{"k": int64(b)}, Destination: &dest}); err != nil {
						errs <- err
					}
					err := h.w.Read(h.ctx, warehouse.ReadRequest{Table: ptr(h.ref("source")), BatchSize: 30}, func(warehouse.Batch) error { return nil })
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			h.Error(err)
		}
		if _, n := h.state("predictions_20200101"); n != writers*batches*size {
			h.Errorf("rows written concurrently: %d, want %d", n, writers*batches*size)
		}
		for g := range writers {
			if _, n := h.state(fmt.Sprintf("scratch_%d", g)); n != batches-1 {
				h.Errorf("scratch_%d: %d rows, want %d", g, n, batches-1)
			}
		}
	}},
}
