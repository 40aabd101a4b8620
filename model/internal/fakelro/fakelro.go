// Package fakelro is an in-memory google.longrunning.Operations service for the fake Google APIs: the
// fake starts an operation, which stays pending ("not done") until the test settles it; settling runs the
// operation's effect and records its response or its error.
package fakelro

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"cloud.google.com/go/longrunning/autogen/longrunningpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Finish runs when an operation completes: it applies the operation's effect and returns its response,
// or the error it ends with (a status error keeps its code). It may change the metadata message given to
// Start (to add an output location, say): the operation shows the metadata as it is then.
type Finish func() (proto.Message, error)

// Store holds the operations. The zero value is not usable; call NewStore.
type Store struct {
	longrunningpb.UnimplementedOperationsServer

	mu   sync.Mutex
	ops  []*entry // in creation order
	tick time.Time
}

type entry struct {
	op       *longrunningpb.Operation
	metadata proto.Message
	worksOn  string
	finish   Finish
}

// NewStore returns an empty store whose clock starts at 2020-07-10 00:00 UTC.
func NewStore() *Store {
	return &Store{tick: time.Date(2020, 7, 10, 0, 0, 0, 0, time.UTC)}
}

// Now returns a new instant, one second after the last one, so that operations order by their times.
func (s *Store) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tick = s.tick.Add(time.Second)
	return s.tick
}

// Start records a pending operation named parent/operations/N, working on the resource worksOn, with
// the metadata, and returns it as the API's method answers it.
func (s *Store) Start(parent, worksOn string, metadata proto.Message, finish Finish) (*longrunningpb.Operation, error) {
	md, err := anypb.New(metadata)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "operation metadata: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	op := &longrunningpb.Operation{Name: fmt.Sprintf("%s/operations/%d", parent, len(s.ops)+1), Metadata: md}
	s.ops = append(s.ops, &entry{op: op, metadata: metadata, worksOn: worksOn, finish: finish})
	return proto.Clone(op).(*longrunningpb.Operation), nil
}

// Pending returns how many operations are not done.
func (s *Store) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, e := range s.ops {
		if !e.op.Done {
			n++
		}
	}
	return n
}

// Settle completes every pending operation in the order they started.
func (s *Store) Settle() {
	s.mu.Lock()
	var pending []*entry
	for _, e := range s.ops {
		if !e.op.Done {
			pending = append(pending, e)
		}
	}
	s.mu.Unlock()
	for _, e := range pending {
		resp, err := e.finish() // outside the lock: the effect takes the fake's own locks
		md, mdErr := anypb.New(e.metadata)
		s.mu.Lock()
		e.op.Done = true
		if mdErr == nil {
			e.op.Metadata = md
		}
		if err != nil {
			e.op.Result = &longrunningpb.Operation_Error{Error: status.Convert(err).Proto()}
		} else if a, aerr := anypb.New(resp); aerr != nil {
			e.op.Result = &longrunningpb.Operation_Error{Error: status.Newf(codes.Internal, "operation response: %v", aerr).Proto()}
		} else {
			e.op.Result = &longrunningpb.Operation_Response{Response: a}
		}
		s.mu.Unlock()
	}
}

// Operations returns copies of every operation, in creation order.
func (s *Store) Operations() []*longrunningpb.Operation {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*longrunningpb.Operation, len(s.ops))
	for i, e := range s.ops {
		out[i] = proto.Clone(e.op).(*longrunningpb.Operation)
	}
	return out
}

func (s *Store) find(name string) (*entry, error) {
	for _, e := range s.ops {
		if e.op.Name == name {
			return e, nil
		}
	}
	return nil, status.Errorf(codes.NotFound, "operation %q not found", name)
}

// GetOperation answers google.longrunning.Operations.GetOperation.
func (s *Store) GetOperation(_ context.Context, req *longrunningpb.GetOperationRequest) (*longrunningpb.Operation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.find(req.GetName())
	if err != nil {
		return nil, err
	}
	return proto.Clone(e.op).(*longrunningpb.Operation), nil
}

// WaitOperation answers with the operation as it is: the fake never blocks.
func (s *Store) WaitOperation(ctx context.Context, req *longrunningpb.WaitOperationRequest) (*longrunningpb.Operation, error) {
	return s.GetOperation(ctx, &longrunningpb.GetOperationRequest{Name: req.GetName()})
}

// DeleteOperation forgets an operation.
func (s *Store) DeleteOperation(_ context.Context, req *longrunningpb.DeleteOperationRequest) (*emptypb.Empty, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, e := range s.ops {
		if e.op.Name == req.GetName() {
			s.ops = append(s.ops[:i], s.ops[i+1:]...)
			return &emptypb.Empty{}, nil
		}
	}
	return nil, status.Errorf(codes.NotFound, "operation %q not found", req.GetName())
}

// CancelOperation ends a pending operation with CANCELLED, without its effect.
func (s *Store) CancelOperation(_ context.Context, req *longrunningpb.CancelOperationRequest) (*emptypb.Empty, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.find(req.GetName())
	if err != nil {
		return nil, err
	}
	if !e.op.Done {
		e.op.Done = true
		e.op.Result = &longrunningpb.Operation_Error{Error: status.New(codes.Canceled, "cancelled").Proto()}
	}
	return &emptypb.Empty{}, nil
}

// ListOperations lists the operations under req.Name (parent/operations/...), filtered and paged. The
// filter takes clauses joined by AND: "worksOn = RESOURCE" and "done = true|false"; any other clause is
// refused with INVALID_ARGUMENT, so a driver cannot send one the fake silently ignores.
func (s *Store) ListOperations(_ context.Context, req *longrunningpb.ListOperationsRequest) (*longrunningpb.ListOperationsResponse, error) {
	match, err := parseFilter(req.GetFilter())
	if err != nil {
		return nil, err
	}
	start := 0
	if tok := req.GetPageToken(); tok != "" {
		if start, err = strconv.Atoi(tok); err != nil || start < 0 {
			return nil, status.Errorf(codes.InvalidArgument, "bad page token %q", tok)
		}
	}
	size := int(req.GetPageSize())
	if size <= 0 {
		size = 2 // small pages, so that every driver's paging is exercised
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	prefix := strings.TrimSuffix(req.GetName(), "/operations") + "/operations/"
	var all []*longrunningpb.Operation
	for _, e := range s.ops {
		if strings.HasPrefix(e.op.Name, prefix) && match(e) {
			all = append(all, e.op)
		}
	}
	resp := &longrunningpb.ListOperationsResponse{}
	for i := start; i < len(all) && i < start+size; i++ {
		resp.Operations = append(resp.Operations, proto.Clone(all[i]).(*longrunningpb.Operation))
	}
	if start+size < len(all) {
		resp.NextPageToken = strconv.Itoa(start + size)
	}
	return resp, nil
}

func parseFilter(filter string) (func(*entry) bool, error) {
	var preds []func(*entry) bool
	for clause := range strings.SplitSeq(filter, " AND ") {
		clause = strings.TrimSpace(clause)
		if clause == "" {
			continue
		}
		key, value, ok := strings.Cut(clause, "=")
		key, value = strings.TrimSpace(key), strings.Trim(strings.TrimSpace(value), `"`)
		switch {
		case ok && key == "worksOn":
			preds = append(preds, func(e *entry) bool { return e.worksOn == value })
		case ok && key == "done" && (value == "true" || value == "false"):
			want := value == "true"
			preds = append(preds, func(e *entry) bool { return e.op.Done == want })
		default:
			return nil, status.Errorf(codes.InvalidArgument, "unsupported filter clause %q", clause)
		}
	}
	return func(e *entry) bool {
		for _, p := range preds {
			if !p(e) {
				return false
			}
		}
		return true
	}, nil
}
