// Package cwfaketest serves the in-process fake of the Workflows Executions API the driver is tested against
// (internal/fakeexecutions) for the tests of other packages, such as the command line on a deployment: the
// fake runs the executions it is asked to create in the local workflow engine.
package cwfaketest

import (
	"net"
	"testing"

	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/pltv/pltv/executions/cloudworkflows/internal/fakeexecutions"
	"github.com/pltv/pltv/workflows/engine"
)

// Serve deploys the workflows (name to YAML source) in a fake served on a loopback port until the test ends,
// and returns the client options that point the driver at it.
func Serve(t testing.TB, workflows map[string]string, clock engine.Clock) []option.ClientOption {
	t.Helper()
	fake, err := fakeexecutions.New(workflows, clock)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Serve(l))
	return []option.ClientOption{
		option.WithEndpoint(l.Addr().String()),
		option.WithoutAuthentication(),
		option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())),
	}
}
