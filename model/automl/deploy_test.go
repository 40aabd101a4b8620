package automl_test

import (
	"context"
	"testing"

	"cloud.google.com/go/automl/apiv1beta1/automlpb"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/automl"
	"github.com/pltv/pltv/model/internal/fakeautoml"
)

func state(t *testing.T, m model.Model) model.State {
	t.Helper()
	st, err := m.State(context.Background())
	if err != nil {
		t.Fatalf("State() error: %v", err)
	}
	return st.State
}

func TestDeployAndUndeployRequests(t *testing.T) {
	srv, m := start(t, automl.Config{}, nil)
	ctx := context.Background()
	for range 3 {
		if err := m.Deploy(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]*automlpb.DeployModelRequest{{Name: modelName}}, srv.DeployRequests(), protocmp.Transform()); diff != "" {
		t.Errorf("DeployModel requests (-want +got):\n%s", diff)
	}
	if got := state(t, m); got != model.Deploying {
		t.Errorf("State() with the operation pending = %v, want deploying", got)
	}
	srv.Settle()
	if got := srv.Model(modelName).GetDeploymentState(); got != automlpb.Model_DEPLOYED {
		t.Errorf("model deployment state = %v, want DEPLOYED", got)
	}
	for range 2 {
		if err := m.Undeploy(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]*automlpb.UndeployModelRequest{{Name: modelName}}, srv.UndeployRequests(), protocmp.Transform()); diff != "" {
		t.Errorf("UndeployModel requests (-want +got):\n%s", diff)
	}
	srv.Settle()
	if got := state(t, m); got != model.Undeployed {
		t.Errorf("State() = %v, want undeployed", got)
	}
}

// TestStateIgnoresOtherModels shows that operations on another model of the same location, which AutoML
// lists under the same parent, do not count.
func TestStateIgnoresOtherModels(t *testing.T) {
	const otherName = "projects/pltv-test/locations/eu/models/TBL999"
	srv, err := fakeautoml.Start(fakeautoml.TablesModel(modelName, columns...), fakeautoml.TablesModel(otherName, columns...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	ctx := context.Background()
	newModel := func(id string) *automl.Model {
		m, err := automl.New(ctx, automl.Config{Project: project, Location: location, Model: id}, srv.ClientOptions()...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = m.Close() })
		return m
	}
	ours, other := newModel("TBL123"), newModel(otherName)
	if err := other.Deploy(ctx); err != nil {
		t.Fatal(err)
	}
	if got := state(t, ours); got != model.Undeployed {
		t.Errorf("our State() while another model deploys = %v, want undeployed", got)
	}
	if got := state(t, other); got != model.Deploying {
		t.Errorf("the other's State() = %v, want deploying", got)
	}
}

func TestDeployFailureReason(t *testing.T) {
	srv, m := start(t, automl.Config{}, nil)
	srv.FailNextDeploy(status.Error(codes.Internal, "deployment of TBL123 failed"))
	ctx := context.Background()
	if err := m.Deploy(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Settle()
	got, err := m.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := model.Status{State: model.Failed, Reason: "deployment of TBL123 failed"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("State() after a failed deployment (-want +got):\n%s", diff)
	}
}
