package engine

import (
	"github.com/pltv/pltv/workflows/engine/internal/expr"
	"go.yaml.in/yaml/v3"
)

func (c *compiler) compileAssign(n *yaml.Node) []assignment {
	n = resolve(n)
	var out []assignment
	for _, item := range n.Content {
		item = resolve(item)
		if item.Kind != yaml.MappingNode || len(item.Content) != 2 {
			c.problem(item, "each assignment is a map of one key")
			continue
		}
		key := item.Content[0]
		lv, ok := c.compileLvalue(key)
		if !ok {
			continue
		}
		out = append(out, assignment{target: lv, val: c.compileTmpl(item.Content[1]), line: key.Line})
	}
	return out
}

// compileLvalue reads an assignment target: name, name.key, name[expr], and chains of them.
func (c *compiler) compileLvalue(n *yaml.Node) (lvalue, bool) {
	text := n.Value
	node, err := expr.Parse(text)
	if err != nil {
		c.problem(n, "invalid assignment target %q: %v", text, err)
		return lvalue{}, false
	}
	var path []pathElem
	for {
		switch x := node.(type) {
		case *expr.Path:
			for i := len(x.Parts) - 1; i >= 1; i-- {
				path = append([]pathElem{{key: x.Parts[i]}}, path...)
			}
			return lvalue{text: text, name: x.Parts[0], path: path}, true
		case *expr.Member:
			path = append([]pathElem{{key: x.Name}}, path...)
			node = x.X
		case *expr.Index:
			var idx tmpl
			if lit, ok := x.Idx.(*expr.Lit); ok {
				idx = constTmpl{lit.V}
			} else {
				c.checkCalls(n, x.Idx)
				idx = &exprTmpl{node: x.Idx, line: n.Line}
			}
			path = append([]pathElem{{idx: idx}}, path...)
			node = x.X
		default:
			c.problem(n, "invalid assignment target %q: expected a variable, a key or an index", text)
			return lvalue{}, false
		}
	}
}

func (c *compiler) compileCall(fnNode, argsNode, resultNode *yaml.Node) *callSpec {
	fnNode = resolve(fnNode)
	cs := &callSpec{fn: fnNode.Value}
	if _, ok := isExpr(cs.fn); ok {
		c.problem(fnNode, "call takes the name of a function or subworkflow, not an expression")
	}
	var named []string
	if argsNode != nil {
		argsNode = resolve(argsNode)
		if argsNode.Kind != yaml.MappingNode {
			c.problem(argsNode, "args must be a map of argument names to values")
		} else {
			for i := 0; i+1 < len(argsNode.Content); i += 2 {
				name := argsNode.Content[i].Value
				cs.args = append(cs.args, namedArg{name: name, val: c.compileTmpl(argsNode.Content[i+1])})
				named = append(named, name)
			}
		}
	}
	if resultNode != nil {
		cs.result = resolve(resultNode).Value
		if !isIdentifier(cs.result) {
			c.problem(resultNode, "result must be a variable name, got %q", cs.result)
		}
	}
	c.calls = append(c.calls, pendingCall{sub: c.sub, step: c.step, line: fnNode.Line, name: cs.fn, named: named, isStep: true})
	return cs
}

func (c *compiler) compileSwitch(n *yaml.Node) []*condition {
	var out []*condition
	for _, item := range resolve(n).Content {
		item = resolve(item)
		cond := &condition{line: item.Line}
		rest := &yaml.Node{Kind: yaml.MappingNode, Line: item.Line, Column: item.Column}
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i], item.Content[i+1]
			switch k.Value {
			case "condition":
				cond.cond = c.compileTmpl(v)
			case "next":
				cond.next = resolve(v).Value
			default:
				rest.Content = append(rest.Content, k, v)
			}
		}
		if cond.cond == nil {
			c.problem(item, "a switch case needs a condition")
			continue
		}
		if len(rest.Content) > 0 {
			cond.body = c.compileStep(c.step, item, rest, false)
		}
		out = append(out, cond)
	}
	return out
}

func (c *compiler) compileFor(n *yaml.Node) *forSpec {
	n = resolve(n)
	f := &forSpec{line: n.Line}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		switch k {
		case "value":
			f.value = resolve(v).Value
		case "index":
			f.index = resolve(v).Value
		case "in":
			f.in = c.compileTmpl(v)
		case "range":
			f.rng = c.compileTmpl(v)
		case "steps":
			f.body = c.compileBlock(v)
		}
	}
	for _, name := range []string{f.value, f.index} {
		if name != "" && !isIdentifier(name) {
			c.problem(n, "loop variable %q is not a valid name", name)
		}
	}
	if f.body == nil {
		f.body = &block{byName: map[string]int{}, nested: map[string]int{}}
	}
	return f
}

func (c *compiler) compileParallel(n *yaml.Node) *parallelSpec {
	n = resolve(n)
	p := &parallelSpec{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, resolve(n.Content[i+1])
		switch k {
		case "shared":
			for _, s := range v.Content {
				p.shared = append(p.shared, resolve(s).Value)
			}
		case "concurrency_limit":
			p.limit = c.compileTmpl(v)
		case "for":
			p.loop = c.compileFor(v)
		case "branches":
			for _, item := range v.Content {
				item = resolve(item)
				if item.Kind != yaml.MappingNode || len(item.Content) != 2 {
					c.problem(item, "each branch is a map of one key, the branch name")
					continue
				}
				bs := c.compileStep(item.Content[0].Value, item.Content[0], item.Content[1], true)
				if bs.kind != kindSteps {
					c.problem(item.Content[0], "branch %q must have steps", bs.name)
					continue
				}
				p.branches = append(p.branches, &branch{name: bs.name, line: bs.line, body: bs.body})
			}
			if len(v.Content) < 2 || len(v.Content) > 10 {
				c.problem(v, "a parallel step has 2 to 10 branches, found %d (minItems 2, maxItems 10 in the schema)", len(v.Content))
			}
		}
	}
	return p
}

func (c *compiler) compileTry(name string, tryNode, retryNode, exceptNode *yaml.Node) *trySpec {
	t := &trySpec{}
	tn := resolve(tryNode)
	if tn.Kind == yaml.SequenceNode {
		t.body = c.compileBlock(tn)
	} else {
		inner := c.compileStep(name, tryNode, tn, false)
		if inner.kind == kindSteps {
			t.body = inner.body
		} else {
			t.body = &block{steps: []*step{inner}, byName: map[string]int{}, nested: map[string]int{}}
		}
	}
	if retryNode != nil {
		t.retry = c.compileRetry(retryNode)
	}
	if exceptNode != nil {
		t.hasExcept = true
		en := resolve(exceptNode)
		for i := 0; i+1 < len(en.Content); i += 2 {
			switch en.Content[i].Value {
			case "as":
				t.as = resolve(en.Content[i+1]).Value
			case "steps":
				t.except = c.compileBlock(en.Content[i+1])
			}
		}
		if t.except == nil {
			t.except = &block{byName: map[string]int{}, nested: map[string]int{}}
		}
	}
	return t
}

func (c *compiler) compileRetry(n *yaml.Node) *retrySpec {
	n = resolve(n)
	r := &retrySpec{line: n.Line}
	if n.Kind == yaml.ScalarNode {
		r.policy = c.compileTmpl(n)
		if _, ok := r.policy.(*exprTmpl); !ok {
			c.problem(n, "retry must be an expression such as ${http.default_retry}, or a map")
		}
		return r
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		v := n.Content[i+1]
		switch n.Content[i].Value {
		case "predicate":
			r.predicate = c.compileTmpl(v)
		case "max_retries":
			r.maxRetries = c.compileTmpl(v)
		case "backoff":
			r.backoff = c.compileTmpl(v)
		}
	}
	if r.predicate == nil {
		c.problem(n, "retry needs a predicate, such as ${http.default_retry_predicate}")
	}
	if r.maxRetries == nil {
		c.problem(n, "retry needs max_retries")
	}
	return r
}
