package engine

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/pltv/pltv/workflows/engine/internal/stdlib"
	"github.com/pltv/pltv/workflows/engine/internal/value"
)

// Limits of Cloud Workflows that the engine enforces while running.
const (
	DefaultStepLimit    = 100_000 // steps per execution
	maxCallDepth        = 20      // nested subworkflow calls
	maxParallelDepth    = 2       // nested parallel steps
	maxConcurrency      = 20      // branches or iterations running at once in one parallel step
	maxSleep            = 31_536_000
	defaultHTTPTimeout  = 300
	maxHTTPTimeout      = 1800
	unhandledBranchText = "One or more branches or iterations encountered an unhandled runtime error"
)

// execution is one run of a program.
type execution struct {
	prog                    *program
	clock                   Clock
	logger                  *slog.Logger
	client                  *http.Client
	authorizer              Authorizer
	env                     map[string]string
	connectors              map[string]Connector
	stepLimit               int64
	steps                   atomic.Int64
	traceSteps              bool // log every step at debug level
	executionID, workflowID string
}

// frame is one running subworkflow call. Its mutex guards the variables of all its scopes, which parallel
// branches share; assign steps hold it for their whole evaluation, so that an assignment to a shared
// variable (total: ${total + 1}) is atomic.
type frame struct {
	exec  *execution
	sub   *subworkflow
	depth int
	mu    sync.Mutex
}

// scope holds variables. A subworkflow call has a root scope; each for-loop iteration and each parallel
// branch or iteration has a child scope, so that what it creates does not outlive it.
type scope struct {
	vars   map[string]any
	parent *scope
	// shared is set on a parallel branch or iteration: the variables of the enclosing scopes it may assign.
	shared map[string]bool
}

func newScope(parent *scope, shared map[string]bool) *scope {
	return &scope{vars: map[string]any{}, parent: parent, shared: shared}
}

func (s *scope) lookup(name string) (any, bool) {
	for sc := s; sc != nil; sc = sc.parent {
		if v, ok := sc.vars[name]; ok {
			return v, true
		}
	}
	return nil, false
}

// set assigns a variable where it is defined, or creates it in the innermost scope; a shared variable that
// does not exist yet is created in the scope of the parallel step that shares it. The caller holds the frame
// lock.
func (s *scope) set(name string, v any) error {
	target := s
	for sc := s; sc != nil; sc = sc.parent {
		if _, ok := sc.vars[name]; ok {
			sc.vars[name] = v
			return nil
		}
		if sc.shared == nil {
			continue
		}
		if !sc.shared[name] {
			if _, outside := sc.parent.lookup(name); outside {
				return fmt.Errorf("variable %q is defined outside the parallel step and is not shared: a branch can only assign shared variables", name)
			}
			break
		}
		target = sc.parent
	}
	target.vars[name] = v
	return nil
}

// env is the expression environment of a step.
type env struct {
	f      *frame
	sc     *scope
	locked bool // the frame lock is held by the caller
}

func (e *env) Var(name string) (any, bool) {
	if !e.locked {
		e.f.mu.Lock()
		defer e.f.mu.Unlock()
	}
	return e.sc.lookup(name)
}

func (e *env) Ref(name string) (any, bool) {
	if v, ok := stdlib.Constant(name); ok {
		return v, true
	}
	if _, ok := e.f.exec.prog.subs[name]; ok {
		return &value.Func{Name: name}, true
	}
	if _, _, _, ok := functionParams(name); ok {
		return &value.Func{Name: name}, true
	}
	return nil, false
}

func (e *env) Call(ctx context.Context, name string, args []any) (any, error) {
	return e.f.exec.invoke(ctx, e.f, name, args, "")
}

// control is how a step or block ends when it does not simply go on to the next step.
type control struct {
	kind   ctlKind
	target string
	value  any
}

type ctlKind int

const (
	ctlNone ctlKind = iota
	ctlJump
	ctlBreak
	ctlContinue
	ctlEnd
	ctlReturn
)

func jumpTo(next string) control {
	switch next {
	case "end":
		return control{kind: ctlEnd}
	case "break":
		return control{kind: ctlBreak}
	case "continue":
		return control{kind: ctlContinue}
	}
	return control{kind: ctlJump, target: next}
}

func (x *execution) countStep() error {
	if n := x.steps.Add(1); n > x.stepLimit {
		return value.Errorf(value.ResourceLimitError, "the execution exceeded the limit of %d steps", x.stepLimit)
	}
	return nil
}

// callSub runs a subworkflow with its arguments bound by name.
func (x *execution) callSub(ctx context.Context, caller *frame, sw *subworkflow, args map[string]any) (any, error) {
	depth := 1
	if caller != nil {
		depth = caller.depth + 1
	}
	if depth > maxCallDepth {
		return nil, value.Errorf(value.RecursionError, "maximum call stack depth of %d exceeded calling %s", maxCallDepth, sw.name)
	}
	f := &frame{exec: x, sub: sw, depth: depth}
	root := newScope(nil, nil)
	for name := range args {
		if !contains(subParams(sw), name) {
			return nil, value.TypeErrorf("subworkflow %s has no parameter %q", sw.name, name)
		}
	}
	for _, p := range sw.params {
		if v, ok := args[p.name]; ok {
			root.vars[p.name] = v
			continue
		}
		if p.def == nil {
			if sw == x.prog.main {
				root.vars[p.name] = nil
				continue
			}
			return nil, value.TypeErrorf("subworkflow %s needs the argument %q", sw.name, p.name)
		}
		v, err := p.def.eval(ctx, &env{f: f, sc: root})
		if err != nil {
			return nil, err
		}
		root.vars[p.name] = v
	}
	ctl, err := f.runBlock(ctx, root, sw.body, "")
	if err != nil {
		if r, ok := asRaised(err); ok {
			r.leftFrame = true
		}
		return nil, err
	}
	switch ctl.kind {
	case ctlReturn:
		return ctl.value, nil
	case ctlNone, ctlEnd:
		return nil, nil
	}
	return nil, fmt.Errorf("subworkflow %s: unexpected %v out of its steps", sw.name, ctl)
}

// invoke calls a subworkflow, an engine builtin or a library function with positional arguments.
func (x *execution) invoke(ctx context.Context, f *frame, name string, args []any, step string) (any, error) {
	if sw, ok := x.prog.subs[name]; ok {
		if len(args) > len(sw.params) {
			return nil, value.TypeErrorf("subworkflow %s takes %d arguments, got %d", name, len(sw.params), len(args))
		}
		named := make(map[string]any, len(args))
		for i, a := range args {
			named[sw.params[i].name] = a
		}
		return x.callSub(ctx, f, sw, named)
	}
	if impl, ok := builtinImpls[name]; ok {
		b := builtins[name]
		if len(args) < b.required || len(args) > len(b.params) {
			return nil, value.TypeErrorf("%s takes %s, got %d", name, arity(b.required, len(b.params)), len(args))
		}
		return impl(ctx, x, site{sub: f.sub.name, step: step}, args)
	}
	if fn, ok := stdlib.Lookup(name); ok {
		if err := fn.CheckArgs(len(args)); err != nil {
			return nil, err
		}
		return fn.Fn(ctx, args)
	}
	return nil, value.Errorf(value.KeyError, "function not found: %s", name)
}

// site says which step calls a builtin, for its log lines.
type site struct{ sub, step string }

func (f *frame) runBlock(ctx context.Context, sc *scope, b *block, entry string) (control, error) {
	i := 0
	if entry != "" {
		if j, ok := b.byName[entry]; ok {
			i, entry = j, ""
		} else {
			i = b.nested[entry]
		}
	}
	for i < len(b.steps) {
		s := b.steps[i]
		ctl, err := f.runStep(ctx, sc, s, entry)
		entry = ""
		if err != nil {
			return control{}, err
		}
		if ctl.kind == ctlNone && s.next != "" {
			ctl = jumpTo(s.next)
		}
		switch ctl.kind {
		case ctlNone:
			i++
		case ctlJump:
			if j, ok := b.byName[ctl.target]; ok {
				i = j
			} else if j, ok := b.nested[ctl.target]; ok {
				i, entry = j, ctl.target
			} else {
				return ctl, nil
			}
		default:
			return ctl, nil
		}
	}
	return control{}, nil
}

func (f *frame) runStep(ctx context.Context, sc *scope, s *step, entry string) (control, error) {
	if err := ctx.Err(); err != nil {
		return control{}, err
	}
	if s.billed {
		if err := f.exec.countStep(); err != nil {
			return control{}, locate(err, s)
		}
		if f.exec.traceSteps {
			f.exec.logger.LogAttrs(ctx, slog.LevelDebug, "step", slog.String("execution", f.exec.executionID),
				slog.String("subworkflow", s.sub), slog.String("step", s.name), slog.Int("line", s.line))
		}
	}
	var ctl control
	var err error
	switch s.kind {
	case kindAssign:
		err = f.runAssign(ctx, sc, s)
	case kindCall:
		err = f.runCall(ctx, sc, s)
	case kindSwitch:
		ctl, err = f.runSwitch(ctx, sc, s)
	case kindFor:
		ctl, err = f.runFor(ctx, sc, s)
	case kindParallel:
		err = f.runParallel(ctx, sc, s)
	case kindTry:
		ctl, err = f.runTry(ctx, sc, s)
	case kindRaise:
		var v any
		if v, err = s.value.eval(ctx, &env{f: f, sc: sc}); err == nil {
			err = &value.Exception{Value: v}
		}
	case kindReturn:
		var v any
		if v, err = s.value.eval(ctx, &env{f: f, sc: sc}); err == nil {
			ctl = control{kind: ctlReturn, value: v}
		}
	case kindSteps:
		ctl, err = f.runBlock(ctx, sc, s.body, entry)
	}
	if err != nil {
		return control{}, locate(err, s)
	}
	return ctl, nil
}
