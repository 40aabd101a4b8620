package fakelro_test

import (
	"context"
	"testing"

	"cloud.google.com/go/longrunning/autogen/longrunningpb"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/pltv/pltv/model/internal/fakelro"
)

const loc = "projects/p/locations/l"

// seed starts three operations: two on model a (the second fails), one on model b.
func seed(t *testing.T) *fakelro.Store {
	t.Helper()
	s := fakelro.NewStore()
	for _, op := range []struct {
		worksOn string
		err     error
	}{{loc + "/models/a", nil}, {loc + "/models/a", status.Error(codes.Internal, "broke")}, {loc + "/models/b", nil}} {
		md := wrapperspb.String("started")
		if _, err := s.Start(loc, op.worksOn, md, func() (proto.Message, error) {
			md.Value = "finished"
			return structpb.NewStringValue("ok"), op.err
		}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func names(t *testing.T, s *fakelro.Store, filter string) []string {
	t.Helper()
	var out []string
	req := &longrunningpb.ListOperationsRequest{Name: loc, Filter: filter}
	for {
		resp, err := s.ListOperations(context.Background(), req)
		if err != nil {
			t.Fatalf("ListOperations(%q) error: %v", filter, err)
		}
		for _, op := range resp.GetOperations() {
			out = append(out, op.GetName())
		}
		if resp.GetNextPageToken() == "" {
			return out
		}
		req.PageToken = resp.GetNextPageToken()
	}
}

func TestListOperations(t *testing.T) {
	s := seed(t)
	op := func(n string) string { return loc + "/operations/" + n }
	tests := []struct {
		name   string
		filter string
		want   []string
	}{
		{"all, over pages", "", []string{op("1"), op("2"), op("3")}},
		{"works on a", "worksOn = " + loc + "/models/a", []string{op("1"), op("2")}},
		{"works on b, quoted", `worksOn="` + loc + `/models/b"`, []string{op("3")}},
		{"not done", "done = false", []string{op("1"), op("2"), op("3")}},
		{"done and on a", "done = true AND worksOn = " + loc + "/models/a", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, names(t, s, tt.filter)); diff != "" {
				t.Errorf("ListOperations (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := s.ListOperations(context.Background(), &longrunningpb.ListOperationsRequest{Name: loc, Filter: "metadata.x = 1"}); status.Code(err) != codes.InvalidArgument {
		t.Errorf("ListOperations with an unknown clause = %v, want INVALID_ARGUMENT", err)
	}
}

func TestSettle(t *testing.T) {
	s := seed(t)
	if n := s.Pending(); n != 3 {
		t.Fatalf("Pending() = %d, want 3", n)
	}
	s.Settle()
	if n := s.Pending(); n != 0 {
		t.Fatalf("Pending() after Settle = %d, want 0", n)
	}
	ctx := context.Background()
	ok, err := s.GetOperation(ctx, &longrunningpb.GetOperationRequest{Name: loc + "/operations/1"})
	if err != nil {
		t.Fatal(err)
	}
	var md wrapperspb.StringValue
	if err := ok.GetMetadata().UnmarshalTo(&md); err != nil || md.GetValue() != "finished" {
		t.Errorf("metadata after finishing = %q, %v; want the finished metadata", md.GetValue(), err)
	}
	if !ok.GetDone() || ok.GetResponse() == nil {
		t.Errorf("operation 1 = %v, want done with a response", ok)
	}
	failed, _ := s.GetOperation(ctx, &longrunningpb.GetOperationRequest{Name: loc + "/operations/2"})
	if got := failed.GetError(); got.GetCode() != int32(codes.Internal) || got.GetMessage() != "broke" {
		t.Errorf("operation 2 error = %v, want INTERNAL broke", got)
	}
	if _, err := s.GetOperation(ctx, &longrunningpb.GetOperationRequest{Name: loc + "/operations/9"}); status.Code(err) != codes.NotFound {
		t.Errorf("GetOperation of an unknown name = %v, want NOT_FOUND", err)
	}
}

func TestCancelAndDelete(t *testing.T) {
	s := seed(t)
	ctx := context.Background()
	name := loc + "/operations/1"
	if _, err := s.CancelOperation(ctx, &longrunningpb.CancelOperationRequest{Name: name}); err != nil {
		t.Fatal(err)
	}
	op, _ := s.WaitOperation(ctx, &longrunningpb.WaitOperationRequest{Name: name})
	if !op.GetDone() || op.GetError().GetCode() != int32(codes.Canceled) {
		t.Errorf("cancelled operation = %v, want done with CANCELLED", op)
	}
	if _, err := s.DeleteOperation(ctx, &longrunningpb.DeleteOperationRequest{Name: name}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteOperation(ctx, &longrunningpb.DeleteOperationRequest{Name: name}); status.Code(err) != codes.NotFound {
		t.Errorf("second DeleteOperation = %v, want NOT_FOUND", err)
	}
	if n := s.Pending(); n != 2 {
		t.Errorf("Pending() = %d, want 2", n)
	}
}
