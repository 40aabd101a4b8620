package bigquery

import (
	"fmt"
	"math/big"
	"time"

	gbq "cloud.google.com/go/bigquery"
	"cloud.google.com/go/civil"

	"github.com/pltv/pltv/warehouse"
)

// toBQSchema converts the port's schema; its type names are BigQuery's legacy names already.
func toBQSchema(s warehouse.Schema) gbq.Schema {
	out := make(gbq.Schema, 0, len(s))
	for _, f := range s {
		out = append(out, &gbq.FieldSchema{Name: f.Name, Type: gbq.FieldType(f.Type), Required: f.Mode == warehouse.Required})
	}
	return out
}

// fromBQSchema converts a table's schema. Types the port reads as its own (INT64, NUMERIC, DATETIME, ...)
// get the port's names; others (RECORD, BYTES, GEOGRAPHY, ...) keep BigQuery's, so that describing any
// table works, and reading their values fails.
func fromBQSchema(s gbq.Schema) warehouse.Schema {
	out := make(warehouse.Schema, 0, len(s))
	for _, f := range s {
		t, err := warehouse.ParseFieldType(string(f.Type))
		if err != nil {
			t = warehouse.FieldType(f.Type)
		}
		mode := warehouse.Nullable
		switch {
		case f.Repeated:
			mode = "REPEATED"
		case f.Required:
			mode = warehouse.Required
		}
		out = append(out, warehouse.Field{Name: f.Name, Type: t, Mode: mode})
	}
	return out
}

// fromBQRow converts one row that the client read into the port's values.
func fromBQRow(vals []gbq.Value, schema gbq.Schema) (warehouse.Row, error) {
	row := make(warehouse.Row, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case nil, string, int64, float64, bool:
			row[i] = x
		case civil.Date:
			row[i] = warehouse.Date{Year: x.Year, Month: x.Month, Day: x.Day}
		case time.Time:
			row[i] = x.UTC()
		case civil.DateTime:
			row[i] = x.In(time.UTC)
		case *big.Rat:
			row[i], _ = x.Float64()
		default:
			name := fmt.Sprint(i)
			if i < len(schema) {
				name = fmt.Sprintf("%s (%s)", schema[i].Name, schema[i].Type)
			}
			return nil, fmt.Errorf("column %s: values of type %T are not supported", name, v)
		}
	}
	return row, nil
}
