package duckdb

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/pltv/pltv/warehouse"
)

// fieldType maps a DuckDB type name (as DuckDB prints it) to a warehouse column type and mode.
func fieldType(dbType string) (warehouse.FieldType, warehouse.Mode) {
	t := strings.ToUpper(strings.TrimSpace(dbType))
	if strings.HasSuffix(t, "[]") {
		elem, _ := fieldType(strings.TrimSuffix(t, "[]"))
		return elem, warehouse.Repeated
	}
	if i := strings.IndexByte(t, '('); i > 0 {
		t = t[:i]
	}
	switch t {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT":
		return warehouse.Integer, warehouse.Nullable
	case "FLOAT", "DOUBLE", "DECIMAL":
		return warehouse.Float, warehouse.Nullable
	case "BOOLEAN":
		return warehouse.Boolean, warehouse.Nullable
	case "DATE":
		return warehouse.DateType, warehouse.Nullable
	case "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "DATETIME":
		return warehouse.Timestamp, warehouse.Nullable
	case "BLOB":
		return warehouse.Bytes, warehouse.Nullable
	}
	return warehouse.String, warehouse.Nullable
}

// columnType is the DuckDB type of a warehouse column.
func columnType(f warehouse.Field) (string, error) {
	var t string
	switch f.Type {
	case warehouse.String:
		t = "VARCHAR"
	case warehouse.Integer:
		t = "BIGINT"
	case warehouse.Float:
		t = "DOUBLE"
	case warehouse.Boolean:
		t = "BOOLEAN"
	case warehouse.DateType:
		t = "DATE"
	case warehouse.Timestamp:
		t = "TIMESTAMP"
	case warehouse.Bytes:
		t = "BLOB"
	default:
		return "", fmt.Errorf("column %s: unsupported type %q", f.Name, f.Type)
	}
	switch f.Mode {
	case warehouse.Repeated:
		t += "[]"
	case warehouse.Required:
		t += " NOT NULL"
	}
	return t, nil
}

// storedType is the DuckDB type a column of a query result is stored as in a destination table: the types
// BigQuery has (INT64, FLOAT64, NUMERIC, ...), so that a SUM (a HUGEINT in DuckDB) is stored as an INT64.
// It returns "" when the type is kept.
func storedType(dbType string) string {
	t := strings.ToUpper(strings.TrimSpace(dbType))
	if strings.HasSuffix(t, "[]") {
		if elem := storedType(strings.TrimSuffix(t, "[]")); elem != "" {
			return elem + "[]"
		}
		return ""
	}
	switch {
	case t == "TINYINT", t == "SMALLINT", t == "INTEGER", t == "HUGEINT", t == "UTINYINT", t == "USMALLINT",
		t == "UINTEGER", t == "UBIGINT", t == "UHUGEINT":
		return "BIGINT"
	case t == "FLOAT":
		return "DOUBLE"
	case strings.HasPrefix(t, "DECIMAL") && t != "DECIMAL(38,9)":
		return "DECIMAL(38,9)"
	case t == "TIMESTAMP WITH TIME ZONE", t == "TIMESTAMP_S", t == "TIMESTAMP_MS", t == "TIMESTAMP_NS":
		return "TIMESTAMP"
	case t == "UUID":
		return "VARCHAR"
	}
	return ""
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// columnNames names the columns of a result as BigQuery does: a column without a plain name (an expression
// DuckDB names after its text) is f0_, f1_, ...
func columnNames(names []string) []string {
	out := make([]string, len(names))
	anon := 0
	for i, n := range names {
		if identRE.MatchString(n) {
			out[i] = n
			continue
		}
		out[i] = fmt.Sprintf("f%d_", anon)
		anon++
	}
	return out
}

// value converts a value read from DuckDB to a warehouse value: nil, string, int64, float64, bool,
// warehouse.Date, time.Time (UTC), []byte or, for arrays, []any.
func value(v any, t warehouse.FieldType) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string, bool, float64, int64, []byte:
		return x, nil
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int:
		return int64(x), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint64:
		if x > 1<<63-1 {
			return nil, fmt.Errorf("integer %d overflows INT64", x)
		}
		return int64(x), nil
	case *big.Int:
		if !x.IsInt64() {
			return nil, fmt.Errorf("integer %s overflows INT64", x)
		}
		return x.Int64(), nil
	case float32:
		return float64(x), nil
	case duckdb.Decimal:
		return x.Float64(), nil
	case time.Time:
		if t == warehouse.DateType {
			return warehouse.DateOf(x.UTC()), nil
		}
		if t == warehouse.String {
			return x.Format("15:04:05.999999"), nil // a TIME
		}
		return x.UTC(), nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var err error
			if out[i], err = value(e, t); err != nil {
				return nil, err
			}
		}
		return out, nil
	case fmt.Stringer:
		return x.String(), nil
	}
	return fmt.Sprint(v), nil
}

// dbValue converts a warehouse value to one DuckDB binds or appends.
func dbValue(v any) any {
	switch x := v.(type) {
	case warehouse.Date:
		return x.In(time.UTC)
	case time.Time:
		return x.UTC()
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = dbValue(e)
		}
		return out
	}
	return v
}
