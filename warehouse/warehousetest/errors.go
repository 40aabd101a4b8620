package warehousetest

import (
	"errors"
	"strings"

	"github.com/pltv/pltv/warehouse"
)

var errorTests = []test{
	{name: "MissingTableInQuery", needs: needsSQL, run: func(h *harness) {
		_, err := h.w.Query(h.ctx, warehouse.QueryJob{SQL: h.sql("SELECT *\nFROM {no_such_table}")})
		if !errors.Is(err, warehouse.ErrNotFound) || !strings.Contains(err.Error(), "no_such_table") {
			h.Errorf("query of a missing table: %v, want an error wrapping ErrNotFound naming no_such_table", err)
		}
	}},
	{name: "SQLErrorLine", needs: func(f Features) string {
		if s := needsSQL(f); s != "" {
			return s
		}
		if !f.ErrorLines {
			return "ErrorLines"
		}
		return ""
	}, run: func(h *harness) {
		for _, tc := range []struct {
			name, sql string
			line      int
		}{
			{"unknown column", "SELECT\n  a,\n  no_such_column\nFROM (SELECT 1 AS a)", 3},
			{"syntax", "SELECT 1\nFROM (SELECT 1 AS a)\nWHERE WHERE", 3},
			{"unknown function", "SELECT\n\n  NO_SUCH_FUNCTION(1)", 3},
		} {
			_, err := h.w.Query(h.ctx, warehouse.QueryJob{SQL: tc.sql})
			var se *warehouse.SQLError
			if !errors.As(err, &se) {
				h.Errorf("%s: %v, want a *warehouse.SQLError", tc.name, err)
				continue
			}
			if se.Line != tc.line {
				h.Errorf("%s: error at line %d (%v), want line %d", tc.name, se.Line, se, tc.line)
			}
		}
	}},
	{name: "MissingParameter", needs: needsSQL, run: func(h *harness) {
		if _, err := h.w.Query(h.ctx, warehouse.QueryJob{SQL: "SELECT @missing"}); err == nil {
			h.Error("a query with an unbound parameter succeeded")
		}
	}},
}
