package duckdb

import (
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/pltv/pltv/warehouse"
	"github.com/pltv/pltv/warehouse/duckdb/internal/googlesql"
)

// params are the named parameters of a job, as the translator types them and as DuckDB binds them.
type params struct {
	types  map[string]string // name (lower-cased) -> DuckDB type
	values map[string]any    // name (lower-cased) -> value to bind
}

// newParams types the parameters of a job: a DATE for a warehouse.Date (as for @run_date), a TIMESTAMP for
// a time.Time (as for @run_time), and so on.
func newParams(in map[string]any, now time.Time) (params, error) {
	p := params{types: map[string]string{}, values: map[string]any{googlesql.NowParam: timestampText(now)}}
	for name, v := range in {
		key := strings.ToLower(strings.TrimPrefix(name, "@"))
		var typ string
		switch x := v.(type) {
		case string:
			typ = "VARCHAR"
		case int, int32, int64:
			typ, v = "BIGINT", dbValue(x)
		case float32, float64:
			typ, v = "DOUBLE", dbValue(x)
		case bool:
			typ = "BOOLEAN"
		case warehouse.Date:
			typ, v = "DATE", x.String()
		case time.Time:
			typ, v = "TIMESTAMP", timestampText(x)
		case []string:
			typ, v = "VARCHAR[]", listOf(x)
		case []int64:
			typ, v = "BIGINT[]", listOf(x)
		case []float64:
			typ, v = "DOUBLE[]", listOf(x)
		case nil:
			return params{}, fmt.Errorf("query parameter @%s: a NULL needs a type: bind a typed value", name)
		default:
			return params{}, fmt.Errorf("query parameter @%s: unsupported type %T", name, v)
		}
		if _, dup := p.types[key]; dup {
			return params{}, fmt.Errorf("query parameter @%s given twice", name)
		}
		p.types[key] = typ
		p.values[key] = v
	}
	return p, nil
}

func listOf[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// args returns the bind arguments for the named parameters.
func (p params) args(names []string) []any {
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = sql.Named(n, p.values[n])
	}
	return out
}

// timestampText writes a time as DuckDB reads a TIMESTAMP, in UTC. Times are bound as text: binding a
// time.Time costs DuckDB a re-plan of the statement (milliseconds), text does not.
func timestampText(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.999999") }
