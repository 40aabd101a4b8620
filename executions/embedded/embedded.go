// Package embedded is the executions driver of the embedded runtime: it runs workflows in the local engine
// (workflows/engine), each execution in its own goroutine, and keeps one JSON record per execution under
// the state directory, so that a later process can list and describe them.
package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/workflows/engine"
)

// Source returns the source of a workflow by name.
type Source func(ctx context.Context, workflow string) ([]byte, error)

// DirSource reads workflow NAME from dir/NAME.yaml, dir/NAME.yml or dir/NAME.json.
func DirSource(dir string) Source {
	return func(_ context.Context, workflow string) ([]byte, error) {
		if workflow == "" || filepath.Base(workflow) != workflow {
			return nil, fmt.Errorf("invalid workflow name %q", workflow)
		}
		for _, ext := range []string{".yaml", ".yml", ".json"} {
			b, err := os.ReadFile(filepath.Join(dir, workflow+ext))
			if err == nil {
				return b, nil
			}
			if !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("read workflow %s: %w", workflow, err)
			}
		}
		return nil, fmt.Errorf("workflow %q not found in %s", workflow, dir)
	}
}

// Options configure the driver.
type Options struct {
	StateDir string // records are kept in StateDir/executions/WORKFLOW/ID.json
	Source   Source // where workflows come from; only Start needs it
	// Engine returns the engine options of one execution (clock, logger, HTTP client, environment, connectors).
	// WorkflowID and ExecutionID are filled in by the driver.
	Engine func(workflow string) engine.Options
	Logger *slog.Logger
}

// Driver runs executions in this process.
type Driver struct {
	opts    Options
	dir     string
	base    context.Context
	stop    context.CancelFunc
	mu      sync.Mutex
	running map[string]*run
	wg      sync.WaitGroup
}

type run struct {
	cancel context.CancelFunc
	done   chan struct{}
}

var (
	_ executions.Executions = (*Driver)(nil)
	_ executions.Waiter     = (*Driver)(nil)
)

// New returns a driver keeping its records under opts.StateDir.
func New(opts Options) (*Driver, error) {
	if opts.StateDir == "" {
		return nil, errors.New("embedded executions: StateDir is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	dir := filepath.Join(opts.StateDir, "executions")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("embedded executions: %w", err)
	}
	base, stop := context.WithCancel(context.Background())
	return &Driver{opts: opts, dir: dir, base: base, stop: stop, running: map[string]*run{}}, nil
}

// Start parses the workflow (a workflow that would not deploy is an error here, as it is when deploying it)
// and runs it in the background.
func (d *Driver) Start(ctx context.Context, workflow string, argument any) (executions.Execution, error) {
	if d.opts.Source == nil {
		return executions.Execution{}, fmt.Errorf("start %s: the driver has no workflow source", workflow)
	}
	src, err := d.opts.Source(ctx, workflow)
	if err != nil {
		return executions.Execution{}, fmt.Errorf("start %s: %w", workflow, err)
	}
	w, err := engine.Parse(src)
	if err != nil {
		return executions.Execution{}, fmt.Errorf("start %s: %w", workflow, err)
	}
	arg, err := json.Marshal(argument)
	if err != nil {
		return executions.Execution{}, fmt.Errorf("start %s: argument: %w", workflow, err)
	}
	var eo engine.Options
	if d.opts.Engine != nil {
		eo = d.opts.Engine(workflow)
	}
	if eo.Clock == nil {
		eo.Clock = engine.SystemClock{}
	}
	eo.WorkflowID = workflow
	id, err := uuid.NewV7() // time-ordered: records of the same instant still list in start order
	if err != nil {
		return executions.Execution{}, fmt.Errorf("start %s: %w", workflow, err)
	}
	eo.ExecutionID = id.String()
	e := executions.Execution{
		ID:        eo.ExecutionID,
		Workflow:  workflow,
		Argument:  string(arg),
		State:     executions.StateActive,
		StartTime: eo.Clock.Now(),
	}
	if err := d.write(e); err != nil {
		return executions.Execution{}, fmt.Errorf("start %s: %w", workflow, err)
	}
	rctx, cancel := context.WithCancel(d.base)
	r := &run{cancel: cancel, done: make(chan struct{})}
	d.mu.Lock()
	d.running[e.ID] = r
	d.mu.Unlock()
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		defer close(r.done)
		defer cancel()
		d.finish(e, w, json.RawMessage(arg), eo, rctx)
		d.mu.Lock()
		delete(d.running, e.ID)
		d.mu.Unlock()
	}()
	return e, nil
}

// finish runs the execution and records how it ended.
func (d *Driver) finish(e executions.Execution, w *engine.Workflow, arg json.RawMessage, eo engine.Options, ctx context.Context) {
	result, stats, err := w.Execute(ctx, arg, eo)
	e.Steps = stats.Steps
	e.EndTime = eo.Clock.Now()
	var ee *engine.ExecutionError
	switch {
	case err == nil:
		b, merr := engine.MarshalJSON(result, false)
		if merr != nil {
			e.State, e.Error = executions.StateFailed, &executions.Error{Payload: fmt.Sprintf("%q", merr.Error())}
			break
		}
		e.State, e.Result = executions.StateSucceeded, string(b)
	case errors.As(err, &ee):
		e.State, e.Error = executions.StateFailed, &executions.Error{Payload: ee.PayloadJSON(), Context: ee.Context()}
	case errors.Is(err, context.Canceled):
		e.State, e.Error = executions.StateCancelled, &executions.Error{Payload: `"the execution was cancelled"`}
	default:
		msg, _ := json.Marshal(err.Error())
		e.State, e.Error = executions.StateFailed, &executions.Error{Payload: string(msg)}
	}
	if err := d.write(e); err != nil {
		d.opts.Logger.Error("record execution", "execution", e.ID, "workflow", e.Workflow, "error", err)
	}
	d.opts.Logger.Info("execution ended", "execution", e.ID, "workflow", e.Workflow, "state", e.State, "steps", e.Steps)
}

// Get reads an execution's record.
func (d *Driver) Get(_ context.Context, id string) (executions.Execution, error) {
	if id == "" || filepath.Base(id) != id {
		return executions.Execution{}, fmt.Errorf("get execution %q: %w", id, executions.ErrNotFound)
	}
	matches, err := filepath.Glob(filepath.Join(d.dir, "*", id+".json"))
	if err != nil || len(matches) == 0 {
		return executions.Execution{}, fmt.Errorf("get execution %q: %w", id, executions.ErrNotFound)
	}
	return readRecord(matches[0])
}

// List reads the records of a workflow's executions, newest first. An empty workflow lists them all.
func (d *Driver) List(_ context.Context, workflow string) ([]executions.Execution, error) {
	pattern := filepath.Join(d.dir, "*", "*.json")
	if workflow != "" {
		pattern = filepath.Join(d.dir, workflow, "*.json")
	}
	paths, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("list executions of %q: %w", workflow, err)
	}
	out := make([]executions.Execution, 0, len(paths))
	for _, p := range paths {
		e, err := readRecord(p)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	sortNewestFirst(out)
	return out, nil
}

// Wait blocks until an execution of this process ends; for one of another process it polls its record.
func (d *Driver) Wait(ctx context.Context, id string) (executions.Execution, error) {
	d.mu.Lock()
	r := d.running[id]
	d.mu.Unlock()
	if r != nil {
		select {
		case <-r.done:
		case <-ctx.Done():
			return executions.Execution{}, fmt.Errorf("wait for execution %s: %w", id, ctx.Err())
		}
	}
	e, err := d.Get(ctx, id)
	if err != nil || e.State.Done() || r != nil {
		return e, err
	}
	return executions.Poll(ctx, d.Get, id, 100*time.Millisecond)
}

// Cancel stops a running execution; it ends CANCELLED.
func (d *Driver) Cancel(_ context.Context, id string) error {
	d.mu.Lock()
	r := d.running[id]
	d.mu.Unlock()
	if r == nil {
		return fmt.Errorf("cancel execution %q: not running in this process", id)
	}
	r.cancel()
	<-r.done
	return nil
}

// Close cancels the executions still running and waits for their records to be written.
func (d *Driver) Close() error {
	d.stop()
	d.wg.Wait()
	return nil
}
