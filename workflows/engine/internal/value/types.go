package value

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Func is a reference to a callable: a subworkflow or a standard library function named in an expression
// without being called, such as ${http.default_retry_predicate}.
type Func struct {
	Name string
}

// TypeName returns the name the type() function gives to v.
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case int64:
		return "integer"
	case float64:
		return "double"
	case string:
		return "string"
	case []byte:
		return "bytes"
	case []any:
		return "list"
	case map[string]any:
		return "map"
	case *Func:
		return "function"
	default:
		return fmt.Sprintf("unknown(%T)", v)
	}
}

// IsNumber reports whether v is an integer or a double.
func IsNumber(v any) bool {
	switch v.(type) {
	case int64, float64:
		return true
	}
	return false
}

// ToFloat returns a number as a double.
func ToFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// SortedKeys returns the keys of m in ascending order.
func SortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Equal reports whether a and b are equal as the == operator sees them: numbers compare by value across
// integer and double, lists and maps compare element by element.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int64:
		switch y := b.(type) {
		case int64:
			return x == y
		case float64:
			return float64(x) == y
		}
		return false
	case float64:
		switch y := b.(type) {
		case int64:
			return x == float64(y)
		case float64:
			return x == y
		}
		return false
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []byte:
		y, ok := b.([]byte)
		return ok && string(x) == string(y)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !Equal(v, w) {
				return false
			}
		}
		return true
	case *Func:
		y, ok := b.(*Func)
		return ok && x.Name == y.Name
	}
	return false
}

// Compare orders two numbers or two strings; ok is false for any other pair of types.
func Compare(a, b any) (c int, ok bool) {
	if x, isStr := a.(string); isStr {
		y, isStr := b.(string)
		if !isStr {
			return 0, false
		}
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	}
	if xi, ok := a.(int64); ok {
		if yi, ok := b.(int64); ok {
			switch {
			case xi < yi:
				return -1, true
			case xi > yi:
				return 1, true
			}
			return 0, true
		}
	}
	x, ok1 := ToFloat(a)
	y, ok2 := ToFloat(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	switch {
	case x < y:
		return -1, true
	case x > y:
		return 1, true
	}
	return 0, true
}

// FormatDouble renders a double the way string() does: the shortest representation that reads back to the
// same value, always with a decimal point or an exponent so that it stays recognisable as a double.
func FormatDouble(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case math.IsNaN(f):
		return "NaN"
	}
	// Like Python's repr: positional notation for exponents from -4 to 15, scientific beyond.
	s := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(s[strings.LastIndexByte(s, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return s
	}
	s = strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}

// ContainsBytes reports whether v is or holds bytes, which cannot be encoded as JSON.
func ContainsBytes(v any) bool {
	switch x := v.(type) {
	case []byte:
		return true
	case []any:
		for _, e := range x {
			if ContainsBytes(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if ContainsBytes(e) {
				return true
			}
		}
	}
	return false
}
