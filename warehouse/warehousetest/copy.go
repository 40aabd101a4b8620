package warehousetest

import (
	"errors"

	"github.com/pltv/pltv/warehouse"
)

var copyTests = []test{
	{name: "Truncate", run: func(h *harness) {
		h.insert("src", numbers, seq(3)...)
		h.insert("dst", numbers, warehouse.Row{int64(99)})
		labels := warehouse.JobLabels("demo", "copy", "20200101")
		res, err := h.w.Copy(h.ctx, warehouse.CopyJob{Source: h.ref("src"), Destination: h.ref("dst"), Labels: labels})
		if err != nil {
			h.Fatal(err)
		}
		h.diff("result", warehouse.JobResult{ID: res.ID, Destination: h.ref("dst"), Rows: 3, Labels: labels}, res)
		if res.ID == "" {
			h.Error("empty job id")
		}
		_, rows := h.read(warehouse.ReadRequest{Table: ptr(h.ref("dst"))})
		h.diff("rows", seq(3), rows)
	}},
	{name: "Append", run: func(h *harness) {
		h.insert("src", numbers, seq(2)...)
		h.insert("dst", numbers, warehouse.Row{int64(0)})
		res, err := h.w.Copy(h.ctx, warehouse.CopyJob{Source: h.ref("src"), Destination: h.ref("dst"), Write: warehouse.WriteAppend})
		if err != nil {
			h.Fatal(err)
		}
		h.diff("rows", int64(3), res.Rows)
	}},
	{name: "Empty", run: func(h *harness) {
		h.insert("src", numbers, seq(2)...)
		if _, err := h.w.Copy(h.ctx, warehouse.CopyJob{Source: h.ref("src"), Destination: h.ref("dst"), Write: warehouse.WriteEmpty}); err != nil {
			h.Fatal(err)
		}
		if _, err := h.w.Copy(h.ctx, warehouse.CopyJob{Source: h.ref("src"), Destination: h.ref("dst"), Write: warehouse.WriteEmpty}); err == nil {
			h.Error("WRITE_EMPTY copy over a table with rows succeeded")
		}
	}},
	{name: "MissingSource", run: func(h *harness) {
		_, err := h.w.Copy(h.ctx, warehouse.CopyJob{Source: h.ref("missing"), Destination: h.ref("dst")})
		if !errors.Is(err, warehouse.ErrNotFound) {
			h.Errorf("copying a missing table: %v, want ErrNotFound", err)
		}
	}},
}
