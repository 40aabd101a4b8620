package cloudworkflows_test

import (
	"context"
	"net"
	"testing"
	"time"

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
	return d
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
