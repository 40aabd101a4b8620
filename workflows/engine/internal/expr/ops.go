package expr

import (
	"math"

	"github.com/pltv/pltv/workflows/engine/internal/value"
)

func unary(op string, v any) (any, error) {
	switch op {
	case "not":
		b, ok := v.(bool)
		if !ok {
			return nil, value.TypeErrorf("operand of \"not\" must be a boolean, got %s", value.TypeName(v))
		}
		return !b, nil
	case "-":
		switch n := v.(type) {
		case int64:
			if n == math.MinInt64 {
				return nil, value.ValueErrorf("integer overflow")
			}
			return -n, nil
		case float64:
			return -n, nil
		}
		return nil, value.TypeErrorf("bad operand type for unary -: %s", value.TypeName(v))
	}
	return nil, value.Errorf(value.SystemError, "unknown operator %q", op)
}

// Binop applies a binary operator other than the short-circuit "and" and "or".
func Binop(op string, l, r any) (any, error) {
	switch op {
	case "==":
		return value.Equal(l, r), nil
	case "!=":
		return !value.Equal(l, r), nil
	case "<", "<=", ">", ">=":
		c, ok := value.Compare(l, r)
		if !ok {
			return nil, value.TypeErrorf("%q not supported between %s and %s", op, value.TypeName(l), value.TypeName(r))
		}
		switch op {
		case "<":
			return c < 0, nil
		case "<=":
			return c <= 0, nil
		case ">":
			return c > 0, nil
		}
		return c >= 0, nil
	case "in":
		return contains(l, r)
	case "+":
		if ls, ok := l.(string); ok {
			if rs, ok := r.(string); ok {
				return ls + rs, nil
			}
		}
		return arith(op, l, r)
	case "-", "*", "/", "//", "%":
		return arith(op, l, r)
	}
	return nil, value.Errorf(value.SystemError, "unknown operator %q", op)
}

func contains(l, r any) (any, error) {
	switch c := r.(type) {
	case []any:
		for _, e := range c {
			if value.Equal(l, e) {
				return true, nil
			}
		}
		return false, nil
	case map[string]any:
		k, ok := l.(string)
		if !ok {
			return false, nil
		}
		_, ok = c[k]
		return ok, nil
	}
	return nil, value.TypeErrorf("argument of type %s is not a list or a map", value.TypeName(r))
}

func arith(op string, l, r any) (any, error) {
	li, lInt := l.(int64)
	ri, rInt := r.(int64)
	if lInt && rInt {
		return intArith(op, li, ri)
	}
	lf, ok1 := value.ToFloat(l)
	rf, ok2 := value.ToFloat(r)
	if !ok1 || !ok2 {
		return nil, value.TypeErrorf("unsupported operand types for %s: %s and %s", op, value.TypeName(l), value.TypeName(r))
	}
	switch op {
	case "+":
		return lf + rf, nil
	case "-":
		return lf - rf, nil
	case "*":
		return lf * rf, nil
	}
	if rf == 0 {
		return nil, value.Errorf(value.ZeroDivisionError, "division by zero")
	}
	switch op {
	case "/":
		return lf / rf, nil
	case "//":
		return math.Floor(lf / rf), nil
	}
	m := math.Mod(lf, rf)
	if m != 0 && (m < 0) != (rf < 0) {
		m += rf
	}
	return m, nil
}

func intArith(op string, a, b int64) (any, error) {
	switch op {
	case "+":
		s := a + b
		if (s > a) != (b > 0) {
			return nil, value.ValueErrorf("integer overflow")
		}
		return s, nil
	case "-":
		d := a - b
		if (d < a) != (b > 0) {
			return nil, value.ValueErrorf("integer overflow")
		}
		return d, nil
	case "*":
		if a == 0 || b == 0 {
			return int64(0), nil
		}
		p := a * b
		if p/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
			return nil, value.ValueErrorf("integer overflow")
		}
		return p, nil
	}
	if b == 0 {
		return nil, value.Errorf(value.ZeroDivisionError, "division by zero")
	}
	switch op {
	case "/":
		return float64(a) / float64(b), nil
	case "//":
		q := a / b
		if (a%b != 0) && ((a < 0) != (b < 0)) {
			q--
		}
		return q, nil
	}
	m := a % b
	if m != 0 && (m < 0) != (b < 0) {
		m += b
	}
	return m, nil
}
