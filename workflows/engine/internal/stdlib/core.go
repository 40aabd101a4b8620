package stdlib

import (
	"context"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pltv/pltv/workflows/engine/internal/value"
)

func init() {
	register("default", []string{"val", "defaultVal"}, 2, func(_ context.Context, a []any) (any, error) {
		if a[0] == nil {
			return a[1], nil
		}
		return a[0], nil
	})
	register("keys", []string{"map"}, 1, func(_ context.Context, a []any) (any, error) {
		m, err := asMap("keys", a[0], "map")
		if err != nil {
			return nil, err
		}
		out := make([]any, 0, len(m))
		for _, k := range value.SortedKeys(m) {
			out = append(out, k)
		}
		return out, nil
	})
	register("len", []string{"value"}, 1, func(_ context.Context, a []any) (any, error) {
		switch v := a[0].(type) {
		case string:
			return int64(utf8.RuneCountInString(v)), nil
		case []byte:
			return int64(len(v)), nil
		case []any:
			return int64(len(v)), nil
		case map[string]any:
			return int64(len(v)), nil
		}
		return nil, value.TypeErrorf("len: a value of type %s has no length", value.TypeName(a[0]))
	})
	register("type", []string{"value"}, 1, func(_ context.Context, a []any) (any, error) {
		return value.TypeName(a[0]), nil
	})
	register("int", []string{"value"}, 1, toInt)
	register("double", []string{"value"}, 1, toDouble)
	register("string", []string{"value"}, 1, toString)
	register("bool", []string{"value"}, 1, toBool)
}

func toInt(_ context.Context, a []any) (any, error) {
	switch v := a[0].(type) {
	case int64:
		return v, nil
	case float64:
		if math.IsNaN(v) || v >= math.MaxInt64 || v < math.MinInt64 {
			return nil, value.ValueErrorf("int: %s does not fit in an integer", value.FormatDouble(v))
		}
		return int64(v), nil
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return nil, value.ValueErrorf("int: invalid integer %q", v)
		}
		return i, nil
	}
	return nil, value.TypeErrorf("int: cannot convert %s to an integer", value.TypeName(a[0]))
}

func toDouble(_ context.Context, a []any) (any, error) {
	switch v := a[0].(type) {
	case int64:
		return float64(v), nil
	case float64:
		return v, nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return nil, value.ValueErrorf("double: invalid number %q", v)
		}
		return f, nil
	}
	return nil, value.TypeErrorf("double: cannot convert %s to a double", value.TypeName(a[0]))
}

func toString(_ context.Context, a []any) (any, error) {
	switch v := a[0].(type) {
	case string:
		return v, nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case float64:
		return value.FormatDouble(v), nil
	case bool:
		return strconv.FormatBool(v), nil
	}
	return nil, value.TypeErrorf("string: cannot convert %s to a string", value.TypeName(a[0]))
}

func toBool(_ context.Context, a []any) (any, error) {
	switch v := a[0].(type) {
	case bool:
		return v, nil
	case string:
		switch v {
		case "true", "True", "TRUE":
			return true, nil
		case "false", "False", "FALSE":
			return false, nil
		}
		return nil, value.ValueErrorf("bool: invalid boolean %q", v)
	}
	return nil, value.TypeErrorf("bool: cannot convert %s to a boolean", value.TypeName(a[0]))
}
