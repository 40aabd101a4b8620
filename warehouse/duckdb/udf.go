package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/pltv/pltv/warehouse/duckdb/internal/farmhash"
)

// farmFingerprint is FARM_FINGERPRINT(STRING): FarmHash's Fingerprint64 as an INT64, as BigQuery computes it.
type farmFingerprint struct{ in, out duckdb.TypeInfo }

func (f farmFingerprint) Config() duckdb.ScalarFuncConfig {
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{f.in}, ResultTypeInfo: f.out}
}

func (f farmFingerprint) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		s, ok := values[0].(string)
		if !ok {
			return nil, fmt.Errorf("FARM_FINGERPRINT: want a STRING, got %T", values[0])
		}
		return int64(farmhash.Fingerprint64([]byte(s))), nil
	}}
}

// registerFunctions adds the Go functions the translated SQL calls to the database.
func (w *Warehouse) registerFunctions(ctx context.Context) error {
	in, err := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	if err != nil {
		return err
	}
	out, err := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	if err != nil {
		return err
	}
	return w.conn(ctx, func(c *sql.Conn) error {
		return duckdb.RegisterScalarUDF(c, "pltv_farm_fingerprint", farmFingerprint{in: in, out: out})
	})
}
