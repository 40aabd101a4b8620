package engine

import (
	"context"
	"strings"

	"github.com/pltv/pltv/workflows/engine/internal/expr"
	"github.com/pltv/pltv/workflows/engine/internal/value"
	"go.yaml.in/yaml/v3"
)

// tmpl is a value written in the workflow source: a constant, an ${expression}, or a list or map holding
// expressions somewhere inside.
type tmpl interface {
	eval(ctx context.Context, env expr.Env) (any, error)
}

type constTmpl struct{ v any }

type exprTmpl struct {
	node expr.Node
	src  string
	line int
}

type listTmpl struct{ elems []tmpl }

type mapTmpl struct {
	keys    []string
	keyExpr []tmpl // an ${expression} key (dynamic map keys), or nil for a literal one
	vals    []tmpl
}

func (t constTmpl) eval(context.Context, expr.Env) (any, error) { return t.v, nil }

func (t *exprTmpl) eval(ctx context.Context, env expr.Env) (any, error) {
	return expr.Eval(ctx, t.node, env)
}

func (t *listTmpl) eval(ctx context.Context, env expr.Env) (any, error) {
	out := make([]any, len(t.elems))
	for i, e := range t.elems {
		v, err := e.eval(ctx, env)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (t *mapTmpl) eval(ctx context.Context, env expr.Env) (any, error) {
	out := make(map[string]any, len(t.keys))
	for i, k := range t.keys {
		if t.keyExpr[i] != nil {
			kv, err := t.keyExpr[i].eval(ctx, env)
			if err != nil {
				return nil, err
			}
			ks, ok := kv.(string)
			if !ok {
				return nil, value.TypeErrorf("map key %s must be a string, got %s", k, value.TypeName(kv))
			}
			k = ks
		}
		v, err := t.vals[i].eval(ctx, env)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// isExpr reports whether s is a whole ${...} expression, and returns its body.
func isExpr(s string) (string, bool) {
	if !strings.HasPrefix(s, "${") || !strings.HasSuffix(s, "}") {
		return "", false
	}
	return s[2 : len(s)-1], true
}

// compileTmpl compiles a node into a template; subtrees without expressions become constants.
func (c *compiler) compileTmpl(n *yaml.Node) tmpl {
	n = resolve(n)
	switch n.Kind {
	case yaml.MappingNode:
		m := &mapTmpl{}
		allConst := true
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i]
			var keyExpr tmpl
			if body, ok := isExpr(key.Value); ok {
				keyExpr = c.compileExpr(key, body)
				allConst = false
			}
			v := c.compileTmpl(n.Content[i+1])
			if _, ok := v.(constTmpl); !ok {
				allConst = false
			}
			m.keys = append(m.keys, key.Value)
			m.keyExpr = append(m.keyExpr, keyExpr)
			m.vals = append(m.vals, v)
		}
		if allConst {
			out := make(map[string]any, len(m.keys))
			for i, k := range m.keys {
				out[k] = m.vals[i].(constTmpl).v
			}
			return constTmpl{out}
		}
		return m
	case yaml.SequenceNode:
		l := &listTmpl{}
		allConst := true
		for _, e := range n.Content {
			v := c.compileTmpl(e)
			if _, ok := v.(constTmpl); !ok {
				allConst = false
			}
			l.elems = append(l.elems, v)
		}
		if allConst {
			out := make([]any, len(l.elems))
			for i, e := range l.elems {
				out[i] = e.(constTmpl).v
			}
			return constTmpl{out}
		}
		return l
	}
	v, err := scalarValue(n)
	if err != nil {
		c.problem(n, "%v", err)
		return constTmpl{}
	}
	if s, ok := v.(string); ok {
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			s = strings.TrimRight(s, "\n")
		}
		if body, ok := isExpr(s); ok {
			return c.compileExpr(n, body)
		}
	}
	return constTmpl{v}
}

func (c *compiler) compileExpr(n *yaml.Node, body string) tmpl {
	node, err := expr.Parse(body)
	if err != nil {
		c.problem(n, "%v", err)
		return constTmpl{}
	}
	c.checkCalls(n, node)
	return &exprTmpl{node: node, src: body, line: n.Line}
}
