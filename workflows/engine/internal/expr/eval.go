package expr

import (
	"context"
	"strings"

	"github.com/pltv/pltv/workflows/engine/internal/value"
)

// Env is what an expression sees: the variables in scope, the standard library and the subworkflows.
type Env interface {
	// Var returns the value of a variable.
	Var(name string) (any, bool)
	// Ref resolves a dotted name that is not a variable: a standard library member such as
	// http.default_retry, or a function named without being called.
	Ref(name string) (any, bool)
	// Call calls a standard library function or a subworkflow.
	Call(ctx context.Context, name string, args []any) (any, error)
}

// Eval evaluates n. Errors raised by the workflow language are *value.Exception.
func Eval(ctx context.Context, n Node, env Env) (any, error) {
	switch x := n.(type) {
	case *Lit:
		return x.V, nil
	case *Path:
		return evalPath(x, env)
	case *Member:
		v, err := Eval(ctx, x.X, env)
		if err != nil {
			return nil, err
		}
		return member(v, x.Name)
	case *Index:
		v, err := Eval(ctx, x.X, env)
		if err != nil {
			return nil, err
		}
		idx, err := Eval(ctx, x.Idx, env)
		if err != nil {
			return nil, err
		}
		return index(v, idx)
	case *Call:
		if x.Name == "if" {
			return evalIf(ctx, x, env)
		}
		args := make([]any, len(x.Args))
		for i, a := range x.Args {
			v, err := Eval(ctx, a, env)
			if err != nil {
				return nil, err
			}
			args[i] = v
		}
		return env.Call(ctx, x.Name, args)
	case *Unary:
		v, err := Eval(ctx, x.X, env)
		if err != nil {
			return nil, err
		}
		return unary(x.Op, v)
	case *Binary:
		return evalBinary(ctx, x, env)
	case *ListLit:
		out := make([]any, len(x.Elems))
		for i, e := range x.Elems {
			v, err := Eval(ctx, e, env)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case *MapLit:
		out := make(map[string]any, len(x.Keys))
		for i := range x.Keys {
			k, err := Eval(ctx, x.Keys[i], env)
			if err != nil {
				return nil, err
			}
			ks, ok := k.(string)
			if !ok {
				return nil, value.TypeErrorf("map keys must be strings, got %s", value.TypeName(k))
			}
			v, err := Eval(ctx, x.Vals[i], env)
			if err != nil {
				return nil, err
			}
			out[ks] = v
		}
		return out, nil
	}
	return nil, value.Errorf(value.SystemError, "unknown expression node %T", n)
}

func evalPath(p *Path, env Env) (any, error) {
	if v, ok := env.Var(p.Parts[0]); ok {
		return members(v, p.Parts[1:])
	}
	for i := len(p.Parts); i >= 1; i-- {
		if v, ok := env.Ref(strings.Join(p.Parts[:i], ".")); ok {
			return members(v, p.Parts[i:])
		}
	}
	return nil, value.Errorf(value.KeyError, "variable not found: %s", p.Parts[0])
}

func members(v any, names []string) (any, error) {
	for _, name := range names {
		var err error
		if v, err = member(v, name); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func member(v any, name string) (any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, value.TypeErrorf("cannot access key %q of a value of type %s", name, value.TypeName(v))
	}
	e, ok := m[name]
	if !ok {
		return nil, value.Errorf(value.KeyError, "key not found: %s", name)
	}
	return e, nil
}

func index(v, idx any) (any, error) {
	switch c := v.(type) {
	case []any:
		i, ok := idx.(int64)
		if !ok {
			return nil, value.TypeErrorf("list indices must be integers, got %s", value.TypeName(idx))
		}
		if i < 0 || i >= int64(len(c)) {
			return nil, value.Errorf(value.IndexError, "list index out of range: %d", i)
		}
		return c[i], nil
	case map[string]any:
		k, ok := idx.(string)
		if !ok {
			return nil, value.TypeErrorf("map keys must be strings, got %s", value.TypeName(idx))
		}
		e, ok := c[k]
		if !ok {
			return nil, value.Errorf(value.KeyError, "key not found: %s", k)
		}
		return e, nil
	}
	return nil, value.TypeErrorf("a value of type %s cannot be indexed", value.TypeName(v))
}

func evalIf(ctx context.Context, c *Call, env Env) (any, error) {
	if len(c.Args) != 3 {
		return nil, value.TypeErrorf("if() takes 3 arguments, got %d", len(c.Args))
	}
	cond, err := Eval(ctx, c.Args[0], env)
	if err != nil {
		return nil, err
	}
	b, ok := cond.(bool)
	if !ok {
		return nil, value.TypeErrorf("if() condition must be a boolean, got %s", value.TypeName(cond))
	}
	if b {
		return Eval(ctx, c.Args[1], env)
	}
	return Eval(ctx, c.Args[2], env)
}

func evalBinary(ctx context.Context, b *Binary, env Env) (any, error) {
	l, err := Eval(ctx, b.L, env)
	if err != nil {
		return nil, err
	}
	if b.Op == "and" || b.Op == "or" {
		lb, ok := l.(bool)
		if !ok {
			return nil, value.TypeErrorf("operand of %q must be a boolean, got %s", b.Op, value.TypeName(l))
		}
		if b.Op == "and" && !lb || b.Op == "or" && lb {
			return lb, nil
		}
		r, err := Eval(ctx, b.R, env)
		if err != nil {
			return nil, err
		}
		rb, ok := r.(bool)
		if !ok {
			return nil, value.TypeErrorf("operand of %q must be a boolean, got %s", b.Op, value.TypeName(r))
		}
		return rb, nil
	}
	r, err := Eval(ctx, b.R, env)
	if err != nil {
		return nil, err
	}
	return Binop(b.Op, l, r)
}
