package engine

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/pltv/pltv/workflows/engine/internal/value"
)

// Workflow is a parsed and validated workflow source, ready to execute any number of times.
type Workflow struct {
	prog *program
}

// Parse reads a workflow source (YAML or JSON), validates it and compiles it. A source that would not
// deploy returns a *ValidationError listing every problem with its line and step.
func Parse(source []byte) (*Workflow, error) {
	root, err := loadSource(source)
	if err != nil {
		return nil, &ValidationError{Problems: []Problem{{Message: err.Error()}}}
	}
	problems, err := checkSchema(root)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	prog, problems := compileProgram(root)
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return &Workflow{prog: prog}, nil
}

// Subworkflows lists the names of the workflow's subworkflows, main included.
func (w *Workflow) Subworkflows() []string {
	names := make([]string, 0, len(w.prog.subs))
	for n := range w.prog.subs {
		names = append(names, n)
	}
	return sortedStrings(names)
}

// Options configure an execution. The zero value runs on the system clock, discards sys.log output and uses
// a default HTTP client.
type Options struct {
	Logger     *slog.Logger // receives sys.log entries with their severity, and each step at debug level
	Clock      Clock        // sys.now, sys.sleep, retry backoff; SystemClock when nil
	HTTPClient *http.Client // for http.*; a client without a global timeout when nil
	// Authorize attaches the identity of an HTTP call's auth argument to its request (the local runtime has
	// no Google identity: nil attaches none). Either way the auth is recorded on the request (AuthOf).
	Authorize Authorizer

	// Env holds the user-defined environment variables read by sys.get_env. Names may not start with
	// GOOGLE_ or WORKFLOWS_, which are reserved.
	Env map[string]string
	// Values of the built-in environment variables (GOOGLE_CLOUD_PROJECT_ID, ...). Empty ones get a local
	// default; ExecutionID defaults to a random UUID.
	ProjectID, ProjectNumber, Location, WorkflowID, RevisionID, ExecutionID, ServiceAccount string

	StepLimit  int64                // billed steps allowed before ResourceLimitError; DefaultStepLimit when 0
	Connectors map[string]Connector // implementations of googleapis.* / events.* call targets
}

// Stats describes a finished execution.
type Stats struct {
	Steps       int64     // billed steps: every executed step, each retry attempt, each loop iteration's steps
	Start, End  time.Time // by the execution's clock
	ExecutionID string
}

// Run parses source and executes it with the argument (the --data JSON: any JSON-encodable value, or a
// json.RawMessage). It returns main's result.
func Run(ctx context.Context, source []byte, argument any, opts Options) (any, Stats, error) {
	w, err := Parse(source)
	if err != nil {
		return nil, Stats{}, err
	}
	return w.Execute(ctx, argument, opts)
}

// Execute runs the workflow with an argument for main's parameter. An uncaught workflow error returns an
// *ExecutionError; a cancelled ctx returns ctx's error.
func (w *Workflow) Execute(ctx context.Context, argument any, opts Options) (any, Stats, error) {
	arg, err := value.Normalize(argument)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("execute workflow: %w", err)
	}
	x, err := newExecution(w.prog, opts)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("execute workflow: %w", err)
	}
	stats := Stats{Start: x.clock.Now(), ExecutionID: x.executionID}
	args := map[string]any{}
	if len(w.prog.main.params) > 0 {
		args[w.prog.main.params[0].name] = arg
	}
	result, err := x.callSub(ctx, nil, w.prog.main, args)
	stats.Steps, stats.End = x.steps.Load(), x.clock.Now()
	if err != nil {
		if r, ok := asRaised(err); ok {
			return nil, stats, &ExecutionError{Payload: r.exc.Value, Trace: r.trace}
		}
		if exc, ok := err.(*value.Exception); ok { // raised while binding main's arguments
			return nil, stats, &ExecutionError{Payload: exc.Value}
		}
		return nil, stats, fmt.Errorf("execute workflow: %w", err)
	}
	if value.ContainsBytes(result) {
		exc := value.TypeErrorf("the workflow result holds bytes, which cannot be returned (encode them with base64.encode)")
		return nil, stats, &ExecutionError{Payload: exc.Value}
	}
	return exportValue(result), stats, nil
}

func newExecution(prog *program, opts Options) (*execution, error) {
	x := &execution{
		prog:       prog,
		clock:      opts.Clock,
		logger:     opts.Logger,
		client:     opts.HTTPClient,
		authorizer: opts.Authorize,
		connectors: opts.Connectors,
		stepLimit:  opts.StepLimit,
	}
	if x.clock == nil {
		x.clock = SystemClock{}
	}
	if x.logger == nil {
		x.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	x.traceSteps = x.logger.Enabled(context.Background(), slog.LevelDebug)
	if x.client == nil {
		x.client = &http.Client{}
	}
	if x.stepLimit <= 0 {
		x.stepLimit = DefaultStepLimit
	}
	x.executionID = orDefault(opts.ExecutionID, uuid.NewString())
	x.workflowID = orDefault(opts.WorkflowID, "workflow")
	x.env = map[string]string{}
	for k, v := range opts.Env {
		if k == "" || strings.HasPrefix(k, "GOOGLE_") || strings.HasPrefix(k, "WORKFLOWS_") {
			return nil, fmt.Errorf("environment variable %q: names may not be empty or start with GOOGLE_ or WORKFLOWS_", k)
		}
		x.env[k] = v
	}
	project := orDefault(opts.ProjectID, "local-project")
	x.env["GOOGLE_CLOUD_PROJECT_ID"] = project
	x.env["GOOGLE_CLOUD_PROJECT_NUMBER"] = orDefault(opts.ProjectNumber, "0")
	x.env["GOOGLE_CLOUD_LOCATION"] = orDefault(opts.Location, "local")
	x.env["GOOGLE_CLOUD_WORKFLOW_ID"] = x.workflowID
	x.env["GOOGLE_CLOUD_WORKFLOW_REVISION_ID"] = orDefault(opts.RevisionID, "000001-local")
	x.env["GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID"] = x.executionID
	x.env["GOOGLE_CLOUD_SERVICE_ACCOUNT_NAME"] = orDefault(opts.ServiceAccount, "workflows@"+project+".iam.gserviceaccount.com")
	return x, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Raise returns an error that a Connector can return to raise a workflow exception with these tags; the
// workflow can catch it like any other error.
func Raise(message string, tags ...string) error {
	t := make([]any, len(tags))
	for i, s := range tags {
		t[i] = s
	}
	return &value.Exception{Value: map[string]any{"message": message, "tags": t}}
}

// exportValue replaces function references, which only exist inside an execution, by their names.
func exportValue(v any) any {
	switch x := v.(type) {
	case *value.Func:
		return x.Name
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = exportValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = exportValue(e)
		}
		return out
	}
	return v
}

// MarshalJSON encodes a result or an error payload the way the Executions API renders it: map keys
// sorted, integers without a fraction and doubles with one (1.0). With indent, it is indented by two spaces.
func MarshalJSON(v any, indent bool) ([]byte, error) {
	if indent {
		return value.MarshalJSONIndent(v, "  ")
	}
	return value.MarshalJSON(v)
}
