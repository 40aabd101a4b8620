package automl

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"cloud.google.com/go/automl/apiv1beta1/automlpb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pltv/pltv/warehouse"
)

// encoder turns rows of an instance schema into AutoML Rows: one value per input feature column, in the
// columns' order, of the kind the column's type takes.
type encoder struct {
	features []*automlpb.ColumnSpec
	index    []int // index[k]: the schema position of feature k
}

// newEncoder matches the model's feature columns to the schema by name (case-insensitive). Columns the
// model does not take are left out; a feature the schema lacks is an error.
func newEncoder(features []*automlpb.ColumnSpec, schema warehouse.Schema) (*encoder, error) {
	e := &encoder{features: features, index: make([]int, len(features))}
	for k, f := range features {
		j := schema.Index(f.GetDisplayName())
		if j < 0 {
			return nil, fmt.Errorf("the model's feature column %q is not among the instances' columns", f.GetDisplayName())
		}
		e.index[k] = j
	}
	return e, nil
}

func (e *encoder) row(r warehouse.Row) (*automlpb.Row, error) {
	values := make([]*structpb.Value, len(e.features))
	for k, f := range e.features {
		v, err := cell(f.GetDataType().GetTypeCode(), r[e.index[k]])
		if err != nil {
			return nil, fmt.Errorf("feature %s: %w", f.GetDisplayName(), err)
		}
		values[k] = v
	}
	return &automlpb.Row{Values: values}, nil
}

// cell encodes one value for a column: FLOAT64 takes numbers (and numeric strings), CATEGORY, STRING and
// TIMESTAMP take strings, and every column takes null.
func cell(t automlpb.TypeCode, v any) (*structpb.Value, error) {
	if v == nil {
		return structpb.NewNullValue(), nil
	}
	switch t {
	case automlpb.TypeCode_FLOAT64:
		switch x := v.(type) {
		case float64:
			return structpb.NewNumberValue(x), nil
		case int64:
			return structpb.NewNumberValue(float64(x)), nil
		case string:
			f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			if err != nil {
				return nil, fmt.Errorf("%q is not a number", x)
			}
			return structpb.NewNumberValue(f), nil
		}
		return nil, fmt.Errorf("a %T for a FLOAT64 column", v)
	case automlpb.TypeCode_CATEGORY, automlpb.TypeCode_STRING, automlpb.TypeCode_TIMESTAMP:
		switch x := v.(type) {
		case string:
			return structpb.NewStringValue(x), nil
		case int64:
			return structpb.NewStringValue(strconv.FormatInt(x, 10)), nil
		case float64:
			return structpb.NewStringValue(strconv.FormatFloat(x, 'f', -1, 64)), nil
		case bool:
			return structpb.NewStringValue(strconv.FormatBool(x)), nil
		case warehouse.Date:
			return structpb.NewStringValue(x.String()), nil
		case time.Time:
			return structpb.NewStringValue(x.UTC().Format(time.RFC3339Nano)), nil
		}
		return nil, fmt.Errorf("a %T for a %v column", v, t)
	}
	return nil, fmt.Errorf("column type %v is not supported", t)
}
