package engine

import "go.yaml.in/yaml/v3"

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
		shared[name] = true // a shared variable need not exist yet: a branch may create it for the steps after
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
