package datatransfer_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/bigquery/datatransfer/apiv1/datatransferpb"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/pltv/pltv/services/extract"
	"github.com/pltv/pltv/services/extract/datatransfer"
)

const config = "projects/pltv-demo/locations/eu/transferConfigs/6634c7a2"

// now is the fake's and the starter's clock.
var now = time.Date(2010, 12, 3, 5, 17, 0, 0, time.UTC)

// fake is the Data Transfer Service's StartManualTransferRuns, recording the requested run times. Like the
// service, it refuses a requested run time in the future.
type fake struct {
	datatransferpb.UnimplementedDataTransferServiceServer
	mu        sync.Mutex
	requested []time.Time
	failOn    string
}

func (f *fake) StartManualTransferRuns(_ context.Context, req *datatransferpb.StartManualTransferRunsRequest) (*datatransferpb.StartManualTransferRunsResponse, error) {
	if req.GetParent() != config {
		return nil, status.Errorf(codes.NotFound, "transfer config %s not found", req.GetParent())
	}
	t := req.GetRequestedRunTime().AsTime()
	if t.After(now) {
		return nil, status.Errorf(codes.InvalidArgument, "requested_run_time must be a past time and cannot include future time values")
	}
	if t.Format("20060102") == f.failOn {
		return nil, status.Error(codes.PermissionDenied, "denied")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requested = append(f.requested, t)
	name := fmt.Sprintf("%s/runs/r%d", config, len(f.requested))
	return &datatransferpb.StartManualTransferRunsResponse{Runs: []*datatransferpb.TransferRun{{Name: name, RunTime: req.GetRequestedRunTime()}}}, nil
}

func start(t *testing.T, f *fake) []option.ClientOption {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	datatransferpb.RegisterDataTransferServiceServer(srv, f)
	go srv.Serve(ln)
	t.Cleanup(srv.Stop)
	return []option.ClientOption{option.WithEndpoint(ln.Addr().String()), option.WithoutAuthentication(),
		option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials()))}
}

func TestStartRuns(t *testing.T) {
	f := &fake{}
	s, err := datatransfer.New(context.Background(), config, func() time.Time { return now }, start(t, f)...)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	runs, err := s.StartRuns(context.Background(), []string{"20101201", "20101202"})
	if err != nil {
		t.Fatal(err)
	}
	want := []extract.Run{{Date: "20101201", Name: config + "/runs/r1"}, {Date: "20101202", Name: config + "/runs/r2"}}
	if diff := cmp.Diff(want, runs); diff != "" {
		t.Errorf("runs (-want +got):\n%s", diff)
	}
	wantTimes := []time.Time{time.Date(2010, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2010, 12, 2, 0, 0, 0, 0, time.UTC)}
	if diff := cmp.Diff(wantTimes, f.requested); diff != "" {
		t.Errorf("requested run times (-want +got):\n%s", diff)
	}
}

func TestStartRunsFailure(t *testing.T) {
	f := &fake{failOn: "20101202"}
	s, err := datatransfer.New(context.Background(), config, func() time.Time { return now }, start(t, f)...)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	runs, err := s.StartRuns(context.Background(), []string{"20101201", "20101202", "20101203"})
	if err == nil || status.Code(err) != codes.PermissionDenied {
		t.Fatalf("err = %v, want PermissionDenied", err)
	}
	if len(runs) != 1 {
		t.Errorf("runs %v, want the one started before the failure", runs)
	}
}

func TestBadConfigName(t *testing.T) {
	for _, name := range []string{"", "projects/p/transferConfigs/c", "projects//locations/eu/transferConfigs/c"} {
		if _, err := datatransfer.New(context.Background(), name, nil, option.WithoutAuthentication()); err == nil {
			t.Errorf("%q accepted", name)
		}
	}
}

func TestAFutureRunTimeIsNotRequested(t *testing.T) {
	f := &fake{}
	s, err := datatransfer.New(context.Background(), config, func() time.Time { return now }, start(t, f)...)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	runs, err := s.StartRuns(context.Background(), []string{"20101203", "20101204"})
	if !errors.Is(err, extract.ErrFuture) {
		t.Fatalf("err = %v, want ErrFuture", err)
	}
	if len(runs) != 1 || len(f.requested) != 1 {
		t.Errorf("runs %v, requested %v: want 20101203 only", runs, f.requested)
	}
}
