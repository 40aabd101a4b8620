package engine

import (
	"context"
	"fmt"

	"github.com/pltv/pltv/workflows/engine/internal/value"
)

// Connector runs a call step whose target is a Google Cloud connector (googleapis.*) or an events function,
// which the local engine has no implementation of. It receives the step's args; an error that is a workflow
// exception (see Raise) can be caught by the workflow.
type Connector func(ctx context.Context, args map[string]any) (any, error)

func (f *frame) runAssign(ctx context.Context, sc *scope, s *step) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := &env{f: f, sc: sc, locked: true}
	for _, a := range s.assign {
		v, err := a.val.eval(ctx, e)
		if err != nil {
			return err
		}
		if err := assignTo(ctx, e, a.target, v); err != nil {
			return err
		}
	}
	return nil
}

// assignTo stores v at the target; the caller holds the frame lock.
func assignTo(ctx context.Context, e *env, lv lvalue, v any) error {
	if len(lv.path) == 0 {
		return e.sc.set(lv.name, v)
	}
	cur, ok := e.sc.lookup(lv.name)
	if !ok {
		return value.Errorf(value.KeyError, "variable not found: %s", lv.name)
	}
	keys := make([]any, len(lv.path))
	for i, p := range lv.path {
		if p.idx == nil {
			keys[i] = p.key
			continue
		}
		k, err := p.idx.eval(ctx, e)
		if err != nil {
			return err
		}
		keys[i] = k
	}
	nv, err := value.SetPath(cur, keys, v)
	if err != nil {
		return err
	}
	return e.sc.set(lv.name, nv)
}

func (f *frame) setVar(sc *scope, name string, v any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return sc.set(name, v)
}

func (f *frame) runCall(ctx context.Context, sc *scope, s *step) error {
	cs := s.call
	e := &env{f: f, sc: sc}
	named := make(map[string]any, len(cs.args))
	for _, a := range cs.args {
		v, err := a.val.eval(ctx, e)
		if err != nil {
			return err
		}
		named[a.name] = v
	}
	x := f.exec
	var res any
	var err error
	if sw, ok := x.prog.subs[cs.fn]; ok {
		res, err = x.callSub(ctx, f, sw, named)
	} else if params, _, _, ok := functionParams(cs.fn); ok {
		res, err = x.invoke(ctx, f, cs.fn, positional(params, named), s.name)
	} else if conn, ok := x.connectors[cs.fn]; ok {
		res, err = conn(ctx, named)
	} else {
		return fmt.Errorf("step %q (line %d): %s is a Google Cloud connector, which the local engine runs only when Options.Connectors provides it", s.name, s.line, cs.fn)
	}
	if err != nil {
		return err
	}
	if cs.result != "" {
		return f.setVar(sc, cs.result, res)
	}
	return nil
}

// positional orders named arguments by the function's parameters; omitted ones before the last given one
// are null.
func positional(params []string, named map[string]any) []any {
	last := -1
	for i, p := range params {
		if _, ok := named[p]; ok {
			last = i
		}
	}
	out := make([]any, last+1)
	for i := range out {
		out[i] = named[params[i]]
	}
	return out
}

func (f *frame) runSwitch(ctx context.Context, sc *scope, s *step) (control, error) {
	e := &env{f: f, sc: sc}
	for _, cs := range s.cases {
		v, err := cs.cond.eval(ctx, e)
		if err != nil {
			return control{}, err
		}
		matched, ok := v.(bool)
		if !ok {
			return control{}, value.TypeErrorf("switch condition (line %d) must be a boolean, got %s", cs.line, value.TypeName(v))
		}
		if !matched {
			continue
		}
		if cs.body != nil {
			ctl, err := f.runStep(ctx, sc, cs.body, "")
			if err != nil || ctl.kind != ctlNone {
				return ctl, err
			}
		}
		if cs.next != "" {
			return jumpTo(cs.next), nil
		}
		return control{}, nil
	}
	return control{}, nil
}
