package engine

import (
	"fmt"
	"strings"

	"github.com/pltv/pltv/workflows/engine/internal/expr"
	"go.yaml.in/yaml/v3"
)

// compiler turns the document node into a program, collecting every problem it finds on the way.
type compiler struct {
	problems []Problem
	sub      string         // subworkflow being compiled
	step     string         // step being compiled
	names    map[string]int // step names of the subworkflow, with their line
	calls    []pendingCall  // calls to check once every subworkflow is known
	prog     *program
}

type pendingCall struct {
	sub, step string
	line      int
	name      string
	nargs     int
	named     []string // argument names for call steps, nil for expression calls
	isStep    bool
}

func (c *compiler) problem(n *yaml.Node, format string, args ...any) {
	p := Problem{Subworkflow: c.sub, Step: c.step, Message: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	c.problems = append(c.problems, p)
}

func compileProgram(root *yaml.Node) (*program, []Problem) {
	c := &compiler{prog: &program{subs: map[string]*subworkflow{}}}
	root = resolve(root)
	switch root.Kind {
	case yaml.SequenceNode:
		c.prog.main = c.compileSub("main", root, nil, root.Line)
		c.prog.subs["main"] = c.prog.main
	case yaml.MappingNode:
		for i := 0; i+1 < len(root.Content); i += 2 {
			name := root.Content[i].Value
			def := resolve(root.Content[i+1])
			var stepsNode, paramsNode *yaml.Node
			for j := 0; j+1 < len(def.Content); j += 2 {
				switch def.Content[j].Value {
				case "steps":
					stepsNode = def.Content[j+1]
				case "params":
					paramsNode = def.Content[j+1]
				}
			}
			c.sub, c.step = name, ""
			if stepsNode == nil {
				c.problem(root.Content[i], "subworkflow %q has no steps", name)
				continue
			}
			c.prog.subs[name] = c.compileSub(name, stepsNode, paramsNode, root.Content[i].Line)
		}
		c.prog.main = c.prog.subs["main"]
		if c.prog.main == nil {
			c.problem(root, "the workflow has no main")
		}
	default:
		c.problem(root, "a workflow is a list of steps or a map of subworkflows")
	}
	c.checkPendingCalls()
	if len(c.problems) == 0 {
		c.checkFlow()
	}
	return c.prog, c.problems
}

func (c *compiler) compileSub(name string, stepsNode, paramsNode *yaml.Node, line int) *subworkflow {
	c.sub, c.step, c.names = name, "", map[string]int{}
	sw := &subworkflow{name: name, line: line}
	if paramsNode != nil {
		for _, p := range resolve(paramsNode).Content {
			p = resolve(p)
			switch p.Kind {
			case yaml.ScalarNode:
				sw.params = append(sw.params, param{name: p.Value})
			case yaml.MappingNode:
				if len(p.Content) != 2 {
					c.problem(p, "a parameter with a default value is a map of one key")
					continue
				}
				sw.params = append(sw.params, param{name: p.Content[0].Value, def: c.compileTmpl(p.Content[1])})
			default:
				c.problem(p, "invalid parameter")
			}
		}
		if name == "main" && len(sw.params) > 1 {
			c.problem(paramsNode, "main takes at most one parameter (the execution argument)")
		}
	}
	sw.body = c.compileBlock(stepsNode)
	return sw
}

func (c *compiler) compileBlock(n *yaml.Node) *block {
	n = resolve(n)
	b := &block{byName: map[string]int{}, nested: map[string]int{}}
	if n.Kind != yaml.SequenceNode {
		c.problem(n, "steps must be a list")
		return b
	}
	for _, item := range n.Content {
		item = resolve(item)
		if item.Kind != yaml.MappingNode || len(item.Content) != 2 {
			c.problem(item, "each step is a map with exactly one key, the step name")
			continue
		}
		nameNode := item.Content[0]
		s := c.compileStep(nameNode.Value, nameNode, item.Content[1], true)
		b.byName[s.name] = len(b.steps)
		if s.kind == kindSteps && s.body != nil {
			for name := range s.body.byName {
				b.nested[name] = len(b.steps)
			}
			for name := range s.body.nested {
				b.nested[name] = len(b.steps)
			}
		}
		b.steps = append(b.steps, s)
	}
	return b
}

var actionKeys = []string{"assign", "call", "switch", "for", "parallel", "raise", "try", "return", "steps"}

// compileStep compiles the body of a step. billed is false for the anonymous steps that a try or a switch
// condition holds inline.
func (c *compiler) compileStep(name string, nameNode, body *yaml.Node, billed bool) *step {
	outer := c.step
	if billed {
		c.step = name
		if line, dup := c.names[name]; dup {
			c.problem(nameNode, "step name %q is already used at line %d; step names must be unique within a subworkflow", name, line)
		}
		c.names[name] = nameNode.Line
	}
	defer func() { c.step = outer }()
	s := &step{name: name, sub: c.sub, line: nameNode.Line, billed: billed}
	body = resolve(body)
	if body.Kind != yaml.MappingNode {
		c.problem(body, "a step is a map of fields")
		return s
	}
	fields := map[string]*yaml.Node{}
	for i := 0; i+1 < len(body.Content); i += 2 {
		fields[body.Content[i].Value] = body.Content[i+1]
	}
	var action string
	for _, k := range actionKeys {
		if _, ok := fields[k]; ok {
			if action != "" {
				c.problem(body, "a step can have only one of %s; found %s and %s", strings.Join(actionKeys, ", "), action, k)
				return s
			}
			action = k
		}
	}
	if nx, ok := fields["next"]; ok {
		s.next = resolve(nx).Value
		if action == "return" || action == "raise" {
			c.problem(nx, "a %s step cannot have a next", action)
		}
	}
	for k, v := range fields {
		if (k == "args" || k == "result") && action != "call" {
			c.problem(v, "%s is only allowed with call", k)
		}
		if (k == "retry" || k == "except") && action != "try" {
			c.problem(v, "%s is only allowed with try", k)
		}
	}
	switch action {
	case "":
		s.kind = kindNext
		if s.next == "" {
			c.problem(body, "the step does nothing: it needs one of %s, or a next", strings.Join(actionKeys, ", "))
		}
	case "assign":
		s.kind = kindAssign
		s.assign = c.compileAssign(fields["assign"])
	case "call":
		s.kind = kindCall
		s.call = c.compileCall(fields["call"], fields["args"], fields["result"])
	case "switch":
		s.kind = kindSwitch
		s.cases = c.compileSwitch(fields["switch"])
	case "for":
		s.kind = kindFor
		s.loop = c.compileFor(fields["for"])
	case "parallel":
		s.kind = kindParallel
		s.par = c.compileParallel(fields["parallel"])
	case "raise":
		s.kind = kindRaise
		s.value = c.compileTmpl(fields["raise"])
	case "return":
		s.kind = kindReturn
		s.value = c.compileTmpl(fields["return"])
	case "try":
		s.kind = kindTry
		s.try = c.compileTry(name, fields["try"], fields["retry"], fields["except"])
	case "steps":
		s.kind = kindSteps
		s.body = c.compileBlock(fields["steps"])
	}
	return s
}

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

func isIdentifier(s string) bool {
	if s == "" || !(s[0] == '_' || s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		ch := s[i]
		if !(ch == '_' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9') {
			return false
		}
	}
	return true
}
