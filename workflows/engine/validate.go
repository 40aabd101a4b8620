package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pltv/pltv/workflows/engine/internal/expr"
	"go.yaml.in/yaml/v3"
)

// checkCalls records the function calls of an expression, to be checked once every subworkflow is known.
func (c *compiler) checkCalls(n *yaml.Node, node expr.Node) {
	expr.Walk(node, func(x expr.Node) {
		if call, ok := x.(*expr.Call); ok && call.Name != "if" {
			c.calls = append(c.calls, pendingCall{sub: c.sub, step: c.step, line: n.Line, name: call.Name, nargs: len(call.Args)})
		}
	})
}

func (c *compiler) checkPendingCalls() {
	for _, pc := range c.calls {
		c.sub, c.step = pc.sub, pc.step
		at := &yaml.Node{Line: pc.line}
		if sw, ok := c.prog.subs[pc.name]; ok {
			c.checkArgs(at, "subworkflow "+pc.name, subParams(sw), subRequired(sw), pc)
			continue
		}
		params, required, blocking, ok := functionParams(pc.name)
		switch {
		case ok && blocking && !pc.isStep:
			c.problem(at, "%s cannot be used in an expression; call it from a call step", pc.name)
		case ok:
			c.checkArgs(at, pc.name, params, required, pc)
		case pc.isStep && isConnector(pc.name):
			// checked when it runs: the local engine needs Options.Connectors to provide it
		case pc.name == "main" || pc.name == "":
			c.problem(at, "cannot call %q", pc.name)
		default:
			c.problem(at, "unknown function or subworkflow %q", pc.name)
		}
	}
}

func (c *compiler) checkArgs(at *yaml.Node, what string, params []string, required int, pc pendingCall) {
	if !pc.isStep {
		if pc.nargs < required || pc.nargs > len(params) {
			c.problem(at, "%s takes %s, got %d", what, arity(required, len(params)), pc.nargs)
		}
		return
	}
	given := map[string]bool{}
	for _, a := range pc.named {
		given[a] = true
		if !contains(params, a) {
			c.problem(at, "%s has no parameter %q (parameters: %s)", what, a, strings.Join(params, ", "))
		}
	}
	for _, p := range params[:required] {
		if !given[p] {
			c.problem(at, "%s needs the argument %q", what, p)
		}
	}
}

func arity(required, total int) string {
	if required == total {
		return fmt.Sprintf("%d arguments", total)
	}
	return fmt.Sprintf("%d to %d arguments", required, total)
}

func subParams(sw *subworkflow) []string {
	out := make([]string, len(sw.params))
	for i, p := range sw.params {
		out[i] = p.name
	}
	return out
}

// subRequired counts the leading parameters without a default (defaults may only follow them).
func subRequired(sw *subworkflow) int {
	n := 0
	for _, p := range sw.params {
		if p.def == nil {
			n++
		}
	}
	return n
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// flowScope is the chain of blocks a jump can reach from a step.
type flowScope struct {
	parent   *flowScope
	blk      *block
	boundary bool // a parallel branch or iteration: jumps cannot leave it
	loop     bool // directly inside a for loop (break/continue allowed)
	parFor   bool // that loop is a parallel for
}

func (fs *flowScope) reaches(name string) bool {
	for s := fs; s != nil; s = s.parent {
		if _, ok := s.blk.byName[name]; ok {
			return true
		}
		if _, ok := s.blk.nested[name]; ok {
			return true
		}
		if s.boundary {
			return false
		}
	}
	return false
}

// checkFlow checks jumps, break/continue and the use of shared variables in every subworkflow.
func (c *compiler) checkFlow() {
	names := make([]string, 0, len(c.prog.subs))
	for n := range c.prog.subs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		sw := c.prog.subs[n]
		c.sub = n
		c.checkBlockFlow(&flowScope{blk: sw.body}, sw.body)
		defined := map[string]bool{}
		for _, p := range sw.params {
			defined[p.name] = true
		}
		c.checkShared(sw.body, defined)
	}
}

func (c *compiler) checkBlockFlow(fs *flowScope, b *block) {
	for _, s := range b.steps {
		c.checkStepFlow(fs, s)
	}
}

func (c *compiler) checkStepFlow(fs *flowScope, s *step) {
	if s.billed {
		c.step = s.name
	}
	c.checkJump(fs, s.line, s.next)
	child := func(b *block, mod func(*flowScope)) {
		if b == nil {
			return
		}
		ns := &flowScope{parent: fs, blk: b, loop: fs.loop, parFor: fs.parFor}
		if mod != nil {
			mod(ns)
		}
		c.checkBlockFlow(ns, b)
	}
	switch s.kind {
	case kindSteps:
		child(s.body, nil)
	case kindSwitch:
		for _, cs := range s.cases {
			c.checkJump(fs, cs.line, cs.next)
			if cs.body != nil {
				c.checkStepFlow(fs, cs.body)
			}
		}
	case kindFor:
		child(s.loop.body, func(ns *flowScope) { ns.loop, ns.parFor = true, false })
	case kindParallel:
		for _, br := range s.par.branches {
			child(br.body, func(ns *flowScope) { ns.boundary, ns.loop, ns.parFor = true, false, false })
		}
		if s.par.loop != nil {
			child(s.par.loop.body, func(ns *flowScope) { ns.boundary, ns.loop, ns.parFor = true, true, true })
		}
	case kindTry:
		if body := s.try.body; len(body.steps) == 1 && !body.steps[0].billed {
			c.checkStepFlow(fs, body.steps[0])
		} else {
			child(body, nil)
		}
		child(s.try.except, nil)
	}
}

func (c *compiler) checkJump(fs *flowScope, line int, target string) {
	at := &yaml.Node{Line: line}
	switch target {
	case "", "end":
	case "break", "continue":
		if !fs.loop {
			c.problem(at, "next: %s is only allowed inside a for loop", target)
		} else if target == "break" && fs.parFor {
			c.problem(at, "next: break is not allowed in a parallel for loop")
		}
	default:
		if !fs.reaches(target) {
			c.problem(at, "next: step %q does not exist in subworkflow %q or cannot be reached from here", target, c.sub)
		}
	}
}

func sortedStrings(s []string) []string {
	sort.Strings(s)
	return s
}
