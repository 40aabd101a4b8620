package warehousetest

import (
	"errors"
	"fmt"
	"sort"

	"github.com/pltv/pltv/warehouse"
)

// sortRows orders rows by their first value.
func sortRows(rows []warehouse.Row) {
	sort.SliceStable(rows, func(i, j int) bool { return fmt.Sprint(rows[i][0]) < fmt.Sprint(rows[j][0]) })
}

var readTests = []test{
	{name: "TableInBatches", run: func(h *harness) {
		h.insert("big", numbers, seq(2500)...)
		var sizes []int
		var got []warehouse.Row
		err := h.w.Read(h.ctx, warehouse.ReadRequest{Table: ptr(h.ref("big")), BatchSize: 1000}, func(b warehouse.Batch) error {
			sizes = append(sizes, len(b.Rows))
			got = append(got, b.Rows...)
			return nil
		})
		if err != nil {
			h.Fatal(err)
		}
		h.diff("batch sizes", []int{1000, 1000, 500}, sizes)
		h.diff("rows in order", seq(2500), got)
	}},
	{name: "DefaultBatchSize", run: func(h *harness) {
		h.insert("big", numbers, seq(1001)...)
		var sizes []int
		err := h.w.Read(h.ctx, warehouse.ReadRequest{Table: ptr(h.ref("big"))}, func(b warehouse.Batch) error {
			sizes = append(sizes, len(b.Rows))
			return nil
		})
		if err != nil {
			h.Fatal(err)
		}
		h.diff("batch sizes", []int{1000, 1}, sizes)
	}},
	{name: "QueryInBatches", needs: needsSQL, run: func(h *harness) {
		h.insert("big", numbers, seq(25)...)
		var sizes []int
		var got []warehouse.Row
		err := h.w.Read(h.ctx, warehouse.ReadRequest{SQL: h.sql("SELECT n FROM {big} WHERE n > @min ORDER BY n DESC"),
			Params: map[string]any{"min": int64(5)}, BatchSize: 7}, func(b warehouse.Batch) error {
			sizes = append(sizes, len(b.Rows))
			got = append(got, b.Rows...)
			if len(b.Schema) != 1 || b.Schema[0].Name != "n" || b.Schema[0].Type != warehouse.Integer {
				return fmt.Errorf("schema %+v", b.Schema)
			}
			return nil
		})
		if err != nil {
			h.Fatal(err)
		}
		h.diff("batch sizes", []int{7, 7, 6}, sizes)
		want := seq(25)[5:]
		for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
			want[i], want[j] = want[j], want[i]
		}
		h.diff("rows", want, got)
	}},
	{name: "EmptyTable", run: func(h *harness) {
		h.insert("empty", numbers)
		calls := 0
		err := h.w.Read(h.ctx, warehouse.ReadRequest{Table: ptr(h.ref("empty"))}, func(warehouse.Batch) error {
			calls++
			return nil
		})
		if err != nil || calls != 0 {
			h.Errorf("reading an empty table: %d calls, error %v; want none", calls, err)
		}
	}},
	{name: "CallbackErrorStops", run: func(h *harness) {
		h.insert("big", numbers, seq(30)...)
		stop := errors.New("stop")
		calls := 0
		err := h.w.Read(h.ctx, warehouse.ReadRequest{Table: ptr(h.ref("big")), BatchSize: 10}, func(warehouse.Batch) error {
			calls++
			return stop
		})
		if !errors.Is(err, stop) || calls != 1 {
			h.Errorf("callback error: %d calls, error %v; want 1 call and the callback's error", calls, err)
		}
	}},
	{name: "WriteWhileReading", needs: func(f Features) string {
		if !f.SnapshotReads {
			return "SnapshotReads"
		}
		return ""
	}, run: func(h *harness) {
		h.insert("big", numbers, seq(50)...)
		err := h.w.Read(h.ctx, warehouse.ReadRequest{Table: ptr(h.ref("big")), BatchSize: 20}, func(b warehouse.Batch) error {
			if err := h.w.Insert(h.ctx, h.ref("out"), numbers, b.Rows); err != nil {
				return err
			}
			return h.w.Insert(h.ctx, h.ref("big"), numbers, b.Rows[:1])
		})
		if err != nil {
			h.Fatal(err)
		}
		if _, n := h.state("out"); n != 50 {
			h.Errorf("rows written from the batches: %d, want 50", n)
		}
	}},
	{name: "MissingTable", run: func(h *harness) {
		err := h.w.Read(h.ctx, warehouse.ReadRequest{Table: ptr(h.ref("missing"))}, func(warehouse.Batch) error { return nil })
		if !errors.Is(err, warehouse.ErrNotFound) {
			h.Errorf("reading a missing table: %v, want ErrNotFound", err)
		}
	}},
}
