// Package stdlib implements the pure functions of the Cloud Workflows standard library and expression
// functions (default, keys, len, type, int, double, string, bool), map, list, text, json, base64, math,
// time, and the retry predicates and policies.
// Functions that need an execution (sys.*, http.*) are added by the engine.
package stdlib

import (
	"context"
	"sort"

	"github.com/pltv/pltv/workflows/engine/internal/value"
)

// Func is a library function. Params names its parameters in order, so that a call step can pass them by
// name; the first Required of them must be given. Fn receives at most len(Params) arguments, omitted
// optional arguments being absent from the end of the slice (or nil when a later one was given).
type Func struct {
	Name     string
	Params   []string
	Required int
	Fn       func(ctx context.Context, args []any) (any, error)
}

var (
	funcs     = map[string]*Func{}
	constants = map[string]any{}
)

func register(name string, params []string, required int, fn func(ctx context.Context, args []any) (any, error)) {
	funcs[name] = &Func{Name: name, Params: params, Required: required, Fn: fn}
}

// Lookup returns the function of that dotted name.
func Lookup(name string) (*Func, bool) {
	f, ok := funcs[name]
	return f, ok
}

// Constant returns a library value that is not a function, such as http.default_retry.
func Constant(name string) (any, bool) {
	v, ok := constants[name]
	return v, ok
}

// Names lists every function name, sorted.
func Names() []string {
	out := make([]string, 0, len(funcs))
	for n := range funcs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// CheckArgs raises TypeError when the number of arguments does not fit f.
func (f *Func) CheckArgs(n int) error {
	if n < f.Required || n > len(f.Params) {
		if f.Required == len(f.Params) {
			return value.TypeErrorf("%s() takes %d arguments, got %d", f.Name, len(f.Params), n)
		}
		return value.TypeErrorf("%s() takes %d to %d arguments, got %d", f.Name, f.Required, len(f.Params), n)
	}
	return nil
}

func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return nil
}

func str(fn string, v any, param string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", value.TypeErrorf("%s: %s must be a string, got %s", fn, param, value.TypeName(v))
	}
	return s, nil
}

func asMap(fn string, v any, param string) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, value.TypeErrorf("%s: %s must be a map, got %s", fn, param, value.TypeName(v))
	}
	return m, nil
}

func asList(fn string, v any, param string) ([]any, error) {
	l, ok := v.([]any)
	if !ok {
		return nil, value.TypeErrorf("%s: %s must be a list, got %s", fn, param, value.TypeName(v))
	}
	return l, nil
}

func asInt(fn string, v any, param string) (int64, error) {
	i, ok := v.(int64)
	if !ok {
		return 0, value.TypeErrorf("%s: %s must be an integer, got %s", fn, param, value.TypeName(v))
	}
	return i, nil
}
