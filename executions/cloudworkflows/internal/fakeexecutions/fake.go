// Package fakeexecutions is an in-process fake of the Workflows Executions API: a gRPC ExecutionsServer
// that runs the executions it is asked to create in the local engine, for testing the cloudworkflows driver
// with the real client library.
package fakeexecutions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"cloud.google.com/go/workflows/executions/apiv1/executionspb"
	"github.com/google/uuid"
	"github.com/pltv/pltv/workflows/engine"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Server holds deployed workflows and their executions.
type Server struct {
	executionspb.UnimplementedExecutionsServer
	clock     engine.Clock
	workflows map[string]*engine.Workflow // by workflow ID
	mu        sync.Mutex
	execs     map[string]*executionspb.Execution // by resource name
	order     []string                           // names in creation order
	lists     []*executionspb.ListExecutionsRequest
}

// Seed adds executions as they are, e.g. ACTIVE ones, which CreateExecution never leaves behind.
func (s *Server) Seed(execs ...*executionspb.Execution) {
	for _, e := range execs {
		s.save(e)
	}
}

// ListRequests returns the ListExecutions requests received, in order.
func (s *Server) ListRequests() []*executionspb.ListExecutionsRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*executionspb.ListExecutionsRequest, len(s.lists))
	for i, r := range s.lists {
		out[i] = proto.Clone(r).(*executionspb.ListExecutionsRequest)
	}
	return out
}

// New parses the workflows (name to source) that the fake has "deployed".
func New(workflows map[string]string, clock engine.Clock) (*Server, error) {
	s := &Server{clock: clock, workflows: map[string]*engine.Workflow{}, execs: map[string]*executionspb.Execution{}}
	for name, src := range workflows {
		w, err := engine.Parse([]byte(src))
		if err != nil {
			return nil, fmt.Errorf("deploy %s: %w", name, err)
		}
		s.workflows[name] = w
	}
	return s, nil
}

// Serve registers the fake on a new gRPC server listening on l, and returns a function that stops it.
func (s *Server) Serve(l net.Listener) (stop func()) {
	g := grpc.NewServer()
	executionspb.RegisterExecutionsServer(g, s)
	go func() { _ = g.Serve(l) }()
	return g.Stop
}

// CreateExecution runs the execution to its end before answering, but answers with its ACTIVE state, as
// the real API does; GetExecution then finds it ended.
func (s *Server) CreateExecution(ctx context.Context, req *executionspb.CreateExecutionRequest) (*executionspb.Execution, error) {
	parts := strings.Split(req.GetParent(), "/")
	if len(parts) != 6 || parts[0] != "projects" || parts[2] != "locations" || parts[4] != "workflows" {
		return nil, status.Errorf(codes.InvalidArgument, "invalid parent %q", req.GetParent())
	}
	w, ok := s.workflows[parts[5]]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "workflow %s not found", req.GetParent())
	}
	id := uuid.NewString()
	started := &executionspb.Execution{
		Name:      req.GetParent() + "/executions/" + id,
		StartTime: timestamppb.New(s.clock.Now()),
		State:     executionspb.Execution_ACTIVE,
		Argument:  req.GetExecution().GetArgument(),
	}
	s.save(started)

	done := proto.Clone(started).(*executionspb.Execution)
	var arg any
	if a := started.GetArgument(); a != "" {
		arg = json.RawMessage(a)
	}
	result, _, err := w.Execute(ctx, arg, engine.Options{Clock: s.clock, WorkflowID: parts[5], ExecutionID: id, ProjectID: parts[1], Location: parts[3]})
	done.EndTime = timestamppb.New(s.clock.Now())
	var ee *engine.ExecutionError
	switch {
	case err == nil:
		b, _ := engine.MarshalJSON(result, false)
		done.State, done.Result = executionspb.Execution_SUCCEEDED, string(b)
	case errors.As(err, &ee):
		done.State = executionspb.Execution_FAILED
		done.Error = &executionspb.Execution_Error{Payload: ee.PayloadJSON(), Context: ee.Context(), StackTrace: stackTrace(ee)}
	default:
		return nil, status.Errorf(codes.Internal, "run %s: %v", parts[5], err)
	}
	s.save(done)
	return started, nil
}

func stackTrace(ee *engine.ExecutionError) *executionspb.Execution_StackTrace {
	st := &executionspb.Execution_StackTrace{}
	for _, t := range ee.Trace {
		st.Elements = append(st.Elements, &executionspb.Execution_StackTraceElement{
			Step: t.Step, Routine: t.Subworkflow,
			Position: &executionspb.Execution_StackTraceElement_Position{Line: int64(t.Line)},
		})
	}
	return st
}

func (s *Server) save(e *executionspb.Execution) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.execs[e.GetName()]; !ok {
		s.order = append(s.order, e.GetName())
	}
	s.execs[e.GetName()] = proto.Clone(e).(*executionspb.Execution)
}

// GetExecution returns an execution by name.
func (s *Server) GetExecution(_ context.Context, req *executionspb.GetExecutionRequest) (*executionspb.Execution, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.execs[req.GetName()]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "execution %s not found", req.GetName())
	}
	return proto.Clone(e).(*executionspb.Execution), nil
}

// filterRE is the one filter the fake understands, on the state (AIP-160: state="ACTIVE").
var filterRE = regexp.MustCompile(`^\s*state\s*=\s*"([A-Z_]+)"\s*$`)

// ListExecutions lists a workflow's executions newest first, two per page to exercise paging. It takes a
// filter on the state only, and the BASIC view (the API's default) fills in only the name, the start and
// end times, the state and the revision, as the API does.
func (s *Server) ListExecutions(_ context.Context, req *executionspb.ListExecutionsRequest) (*executionspb.ListExecutionsResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lists = append(s.lists, proto.Clone(req).(*executionspb.ListExecutionsRequest))
	state := executionspb.Execution_STATE_UNSPECIFIED
	if f := req.GetFilter(); f != "" {
		m := filterRE.FindStringSubmatch(f)
		if m == nil {
			return nil, status.Errorf(codes.InvalidArgument, "the fake takes only filters of the form state=\"STATE\", got %q", f)
		}
		v, ok := executionspb.Execution_State_value[m[1]]
		if !ok {
			return nil, status.Errorf(codes.InvalidArgument, "invalid filter %q: unknown state %s", f, m[1])
		}
		state = executionspb.Execution_State(v)
	}
	var names []string
	for i := len(s.order) - 1; i >= 0; i-- {
		if strings.HasPrefix(s.order[i], req.GetParent()+"/executions/") &&
			(state == executionspb.Execution_STATE_UNSPECIFIED || s.execs[s.order[i]].GetState() == state) {
			names = append(names, s.order[i])
		}
	}
	sort.SliceStable(names, func(i, j int) bool {
		return s.execs[names[i]].GetStartTime().AsTime().After(s.execs[names[j]].GetStartTime().AsTime())
	})
	start := 0
	if tok := req.GetPageToken(); tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 || n > len(names) {
			return nil, status.Errorf(codes.InvalidArgument, "invalid page token %q", tok)
		}
		start = n
	}
	end := min(start+2, len(names))
	resp := &executionspb.ListExecutionsResponse{}
	for _, n := range names[start:end] {
		e := proto.Clone(s.execs[n]).(*executionspb.Execution)
		if req.GetView() != executionspb.ExecutionView_FULL {
			e = &executionspb.Execution{Name: e.GetName(), StartTime: e.GetStartTime(), EndTime: e.GetEndTime(),
				State: e.GetState(), WorkflowRevisionId: e.GetWorkflowRevisionId()}
		}
		resp.Executions = append(resp.Executions, e)
	}
	if end < len(names) {
		resp.NextPageToken = strconv.Itoa(end)
	}
	return resp, nil
}
