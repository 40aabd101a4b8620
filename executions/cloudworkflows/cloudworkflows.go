// Package cloudworkflows is the executions driver for Google Cloud: it starts and reads executions through
// the Workflows Executions API (cloud.google.com/go/workflows/executions/apiv1).
package cloudworkflows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	wexec "cloud.google.com/go/workflows/executions/apiv1"
	"cloud.google.com/go/workflows/executions/apiv1/executionspb"
	"github.com/pltv/pltv/executions"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Driver runs executions of the workflows deployed in one project and location.
type Driver struct {
	client            *wexec.Client
	project, location string
	// PollInterval is how often Wait asks for an execution's state.
	PollInterval time.Duration
}

var (
	_ executions.Executions    = (*Driver)(nil)
	_ executions.ActiveCounter = (*Driver)(nil)
)

// New connects to the Executions API.
func New(ctx context.Context, project, location string, opts ...option.ClientOption) (*Driver, error) {
	c, err := wexec.NewClient(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to the Workflows Executions API: %w", err)
	}
	return &Driver{client: c, project: project, location: location, PollInterval: 2 * time.Second}, nil
}

// Close closes the connection.
func (d *Driver) Close() error { return d.client.Close() }

func (d *Driver) workflowName(workflow string) string {
	return fmt.Sprintf("projects/%s/locations/%s/workflows/%s", d.project, d.location, workflow)
}

// Start creates an execution of the workflow's latest revision.
func (d *Driver) Start(ctx context.Context, workflow string, argument any) (executions.Execution, error) {
	arg, err := json.Marshal(argument)
	if err != nil {
		return executions.Execution{}, fmt.Errorf("start %s: argument: %w", workflow, err)
	}
	pe, err := d.client.CreateExecution(ctx, &executionspb.CreateExecutionRequest{
		Parent:    d.workflowName(workflow),
		Execution: &executionspb.Execution{Argument: string(arg)},
	})
	if err != nil {
		return executions.Execution{}, fmt.Errorf("start %s: %w", workflow, err)
	}
	return fromProto(pe), nil
}

// Get reads an execution by its full resource name, the ID this driver gives executions.
func (d *Driver) Get(ctx context.Context, id string) (executions.Execution, error) {
	if !strings.HasPrefix(id, "projects/") || !strings.Contains(id, "/executions/") {
		return executions.Execution{}, fmt.Errorf("get execution %q: Cloud Workflows executions are named projects/P/locations/L/workflows/W/executions/E: %w", id, executions.ErrNotFound)
	}
	pe, err := d.client.GetExecution(ctx, &executionspb.GetExecutionRequest{Name: id, View: executionspb.ExecutionView_FULL})
	if status.Code(err) == codes.NotFound {
		return executions.Execution{}, fmt.Errorf("get execution %q: %w", id, errors.Join(executions.ErrNotFound, err))
	}
	if err != nil {
		return executions.Execution{}, fmt.Errorf("get execution %q: %w", id, err)
	}
	return fromProto(pe), nil
}

// List returns the executions of a workflow, newest first (the API's order).
func (d *Driver) List(ctx context.Context, workflow string) ([]executions.Execution, error) {
	if workflow == "" {
		return nil, errors.New("list executions: the Cloud Workflows driver lists one workflow at a time")
	}
	it := d.client.ListExecutions(ctx, &executionspb.ListExecutionsRequest{
		Parent: d.workflowName(workflow),
		View:   executionspb.ExecutionView_FULL,
	})
	var out []executions.Execution
	for {
		pe, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("list executions of %s: %w", workflow, err)
		}
		out = append(out, fromProto(pe))
	}
}

// CountActive counts the workflow's running executions with the API doing the filtering: a listing of
// state="ACTIVE" in the BASIC view (name, times, state), a thousand a page, instead of every execution of
// the last 90 days with its arguments and results.
func (d *Driver) CountActive(ctx context.Context, workflow string) (int, error) {
	it := d.client.ListExecutions(ctx, &executionspb.ListExecutionsRequest{
		Parent:   d.workflowName(workflow),
		Filter:   `state="ACTIVE"`,
		View:     executionspb.ExecutionView_BASIC,
		PageSize: 1000,
	})
	n := 0
	for {
		_, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return n, nil
		}
		if err != nil {
			return 0, fmt.Errorf("count active executions of %s: %w", workflow, err)
		}
		n++
	}
}

// Wait polls an execution until it ends.
func (d *Driver) Wait(ctx context.Context, id string) (executions.Execution, error) {
	return executions.Poll(ctx, d.Get, id, d.PollInterval)
}

var states = map[executionspb.Execution_State]executions.State{
	executionspb.Execution_QUEUED:      executions.StateActive,
	executionspb.Execution_ACTIVE:      executions.StateActive,
	executionspb.Execution_SUCCEEDED:   executions.StateSucceeded,
	executionspb.Execution_FAILED:      executions.StateFailed,
	executionspb.Execution_CANCELLED:   executions.StateCancelled,
	executionspb.Execution_UNAVAILABLE: executions.StateFailed,
}

func fromProto(pe *executionspb.Execution) executions.Execution {
	e := executions.Execution{
		ID:       pe.GetName(),
		Workflow: workflowOf(pe.GetName()),
		Argument: pe.GetArgument(),
		State:    states[pe.GetState()],
		Result:   pe.GetResult(),
	}
	if e.State == "" {
		e.State = executions.StateActive
	}
	if pe.GetStartTime() != nil {
		e.StartTime = pe.GetStartTime().AsTime()
	}
	if pe.GetEndTime() != nil {
		e.EndTime = pe.GetEndTime().AsTime()
	}
	if pe.GetError() != nil {
		e.Error = &executions.Error{Payload: pe.GetError().GetPayload(), Context: pe.GetError().GetContext()}
	}
	return e
}

// workflowOf extracts W from projects/P/locations/L/workflows/W/executions/E.
func workflowOf(name string) string {
	parts := strings.Split(name, "/")
	for i := 0; i+1 < len(parts); i++ {
		if parts[i] == "workflows" {
			return parts[i+1]
		}
	}
	return ""
}
