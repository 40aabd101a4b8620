package cloudworkflows_test

import (
	"context"
	"net"
	"testing"
	"time"

	"cloud.google.com/go/workflows/executions/apiv1/executionspb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/executions/cloudworkflows"
	"github.com/pltv/pltv/executions/cloudworkflows/internal/fakeexecutions"
	"github.com/pltv/pltv/executions/executionstest"
	"github.com/pltv/pltv/workflows/engine"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// newDriver serves a fake Executions API on a loopback listener and connects the real client to it.
func newDriver(t *testing.T) *cloudworkflows.Driver {
	d, _ := newDriverAndFake(t)
	return d
}

func newDriverAndFake(t *testing.T) (*cloudworkflows.Driver, *fakeexecutions.Server) {
	t.Helper()
	fake, err := fakeexecutions.New(executionstest.Workflows, engine.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := fake.Serve(l)
	t.Cleanup(stop)
	d, err := cloudworkflows.New(context.Background(), "my-project", "europe-west1",
		option.WithEndpoint(l.Addr().String()),
		option.WithoutAuthentication(),
		option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())),
	)
	if err != nil {
		t.Fatal(err)
	}
	d.PollInterval = time.Millisecond
	t.Cleanup(func() { d.Close() })
	return d, fake
}

func TestConformance(t *testing.T) {
	executionstest.Run(t, func(t *testing.T) executions.Executions { return newDriver(t) },
		executionstest.Features{ErrorContext: true})
}

func TestResourceNames(t *testing.T) {
	d := newDriver(t)
	e, err := d.Start(context.Background(), "echo", "x")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "projects/my-project/locations/europe-west1/workflows/echo/executions/"
	if len(e.ID) <= len(prefix) || e.ID[:len(prefix)] != prefix {
		t.Errorf("execution ID %q, want a resource name under %s", e.ID, prefix)
	}
	if _, err := d.Start(context.Background(), "not-deployed", nil); err == nil {
		t.Error("Start of a workflow that is not deployed succeeded")
	}
	if _, err := d.List(context.Background(), ""); err == nil {
		t.Error("List of every workflow succeeded; the API lists one workflow at a time")
	}
}

// TestCountActive checks the throttle's listing: the API filters on the state and sends the BASIC view,
// rather than every execution in full.
func TestCountActive(t *testing.T) {
	d, fake := newDriverAndFake(t)
	const echo = "projects/my-project/locations/europe-west1/workflows/echo/executions/"
	start := timestamppb.New(time.Date(2024, 7, 1, 6, 0, 0, 0, time.UTC))
	fake.Seed(
		&executionspb.Execution{Name: echo + "a", State: executionspb.Execution_ACTIVE, StartTime: start, Argument: `{"date":"20240701"}`},
		&executionspb.Execution{Name: echo + "b", State: executionspb.Execution_ACTIVE, StartTime: start},
		&executionspb.Execution{Name: echo + "c", State: executionspb.Execution_ACTIVE, StartTime: start},
		&executionspb.Execution{Name: echo + "d", State: executionspb.Execution_SUCCEEDED, StartTime: start},
		&executionspb.Execution{Name: "projects/my-project/locations/europe-west1/workflows/other/executions/e",
			State: executionspb.Execution_ACTIVE, StartTime: start},
	)
	n, err := executions.CountActive(context.Background(), d, "echo")
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("CountActive = %d, want 3", n)
	}
	reqs := fake.ListRequests()
	if len(reqs) != 2 { // three executions, two a page in the fake
		t.Fatalf("%d list requests, want 2", len(reqs))
	}
	for _, r := range reqs {
		if r.GetFilter() != `state="ACTIVE"` || r.GetView() != executionspb.ExecutionView_BASIC || r.GetPageSize() != 1000 {
			t.Errorf("list request %v, want filter state=\"ACTIVE\", view BASIC, page size 1000", r)
		}
	}
}
