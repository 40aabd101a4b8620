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

// checkShared walks steps in source order, tracking the variables defined so far, and reports assignments
// inside parallel branches to variables of the enclosing scope that the parallel step does not share.
func (c *compiler) checkShared(b *block, defined map[string]bool) {
	for _, s := range b.steps {
		c.checkSharedStep(s, defined)
	}
}

func (c *compiler) checkSharedStep(s *step, defined map[string]bool) {
	if s.billed {
		c.step = s.name
	}
	switch s.kind {
	case kindAssign:
		for _, a := range s.assign {
			defined[a.target.name] = true
		}
	case kindCall:
		if s.call.result != "" {
			defined[s.call.result] = true
		}
	case kindSteps:
		c.checkShared(s.body, defined)
	case kindSwitch:
		for _, cs := range s.cases {
			if cs.body != nil {
				c.checkSharedStep(cs.body, defined)
			}
		}
	case kindFor:
		inner := copySet(defined)
		inner[s.loop.value] = true
		if s.loop.index != "" {
			inner[s.loop.index] = true
		}
		c.checkShared(s.loop.body, inner) // variables created inside a loop do not outlive it
	case kindTry:
		c.checkShared(s.try.body, defined)
		if s.try.hasExcept {
			if s.try.as != "" {
				defined[s.try.as] = true
			}
			c.checkShared(s.try.except, defined)
		}
	case kindParallel:
		c.checkParallel(s, defined)
	}
}

func (c *compiler) checkParallel(s *step, defined map[string]bool) {
	shared := map[string]bool{}
	for _, name := range s.par.shared {
		shared[name] = true
		if !defined[name] {
			c.problem(&yaml.Node{Line: s.line}, "shared variable %q must be assigned before the parallel step", name)
		}
	}
	check := func(b *block, local map[string]bool) {
		var visit func(b *block)
		visit = func(b *block) {
			for _, st := range b.steps {
				for _, name := range assignedNames(st) {
					if defined[name] && !shared[name] && !local[name] {
						outer := c.step
						c.step = st.name
						c.problem(&yaml.Node{Line: st.line}, "variable %q belongs to the scope around parallel step %q and is not in its shared list; only shared variables can be assigned in a branch", name, s.name)
						c.step = outer
					}
				}
				for _, child := range childBlocks(st) {
					visit(child)
				}
			}
		}
		visit(b)
	}
	for _, br := range s.par.branches {
		check(br.body, nil)
	}
	if s.par.loop != nil {
		check(s.par.loop.body, map[string]bool{s.par.loop.value: true, s.par.loop.index: true})
	}
}

// assignedNames lists the variables a step assigns directly (not in its nested blocks).
func assignedNames(s *step) []string {
	var out []string
	switch s.kind {
	case kindAssign:
		for _, a := range s.assign {
			out = append(out, a.target.name)
		}
	case kindCall:
		if s.call.result != "" {
			out = append(out, s.call.result)
		}
	case kindTry:
		if s.try.as != "" {
			out = append(out, s.try.as)
		}
	case kindSwitch:
		for _, cs := range s.cases {
			if cs.body != nil {
				out = append(out, assignedNames(cs.body)...)
			}
		}
	}
	return out
}

// childBlocks lists the blocks directly nested in a step, nested parallel steps excluded (they are
// checked against their own shared list).
func childBlocks(s *step) []*block {
	switch s.kind {
	case kindSteps:
		return []*block{s.body}
	case kindFor:
		return []*block{s.loop.body}
	case kindTry:
		out := []*block{s.try.body}
		if s.try.except != nil {
			out = append(out, s.try.except)
		}
		return out
	case kindSwitch:
		var out []*block
		for _, cs := range s.cases {
			if cs.body != nil {
				out = append(out, childBlocks(cs.body)...)
			}
		}
		return out
	}
	return nil
}

func copySet(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func sortedStrings(s []string) []string {
	sort.Strings(s)
	return s
}
