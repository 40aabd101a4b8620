package vertex_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/fakevertex"
	"github.com/pltv/pltv/model/internal/testclock"
	"github.com/pltv/pltv/model/vertex"
)

func state(t *testing.T, m model.Model) model.State {
	t.Helper()
	st, err := m.State(context.Background())
	if err != nil {
		t.Fatalf("State() error: %v", err)
	}
	return st.State
}

func TestDeployRequest(t *testing.T) {
	tests := []struct {
		name      string
		cfg       vertex.Config
		automatic bool // the model lists AUTOMATIC_RESOURCES
		want      *aiplatformpb.DeployedModel
	}{
		{
			name: "dedicated resources by default, as Google's SDK gives them",
			cfg:  vertex.Config{Project: project, Location: location, Endpoint: "77", Model: "1234"},
			want: &aiplatformpb.DeployedModel{
				Model: modelName, DisplayName: "pltv-1234",
				PredictionResources: &aiplatformpb.DeployedModel_DedicatedResources{DedicatedResources: &aiplatformpb.DedicatedResources{
					MachineSpec: &aiplatformpb.MachineSpec{MachineType: "n1-standard-2"}, MinReplicaCount: 1, MaxReplicaCount: 1,
				}},
			},
		},
		{
			name:      "automatic resources for a model that supports them",
			cfg:       vertex.Config{Project: project, Location: location, Endpoint: "77", Model: "1234", MaxReplicas: 2},
			automatic: true,
			want: &aiplatformpb.DeployedModel{
				Model: modelName, DisplayName: "pltv-1234",
				PredictionResources: &aiplatformpb.DeployedModel_AutomaticResources{AutomaticResources: &aiplatformpb.AutomaticResources{
					MinReplicaCount: 1, MaxReplicaCount: 2,
				}},
			},
		},
		{
			name: "dedicated machines and full resource names",
			cfg: vertex.Config{Project: project, Location: location, Endpoint: endpoint, Model: modelName,
				DisplayName: "ltv-2020", MachineType: "n1-standard-2", MinReplicas: 1, MaxReplicas: 3},
			want: &aiplatformpb.DeployedModel{
				Model: modelName, DisplayName: "ltv-2020",
				PredictionResources: &aiplatformpb.DeployedModel_DedicatedResources{DedicatedResources: &aiplatformpb.DedicatedResources{
					MachineSpec: &aiplatformpb.MachineSpec{MachineType: "n1-standard-2"}, MinReplicaCount: 1, MaxReplicaCount: 3,
				}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, m := start(t, tt.cfg)
			if tt.automatic {
				srv.AddModel(modelName, fakevertex.Dedicated, fakevertex.Automatic)
			}
			ctx := context.Background()
			for range 3 { // the first call deploys, the others find it deploying or deployed
				if err := m.Deploy(ctx); err != nil {
					t.Fatal(err)
				}
			}
			want := []*aiplatformpb.DeployModelRequest{{Endpoint: endpoint, DeployedModel: tt.want, TrafficSplit: map[string]int32{"0": 100}}}
			if diff := cmp.Diff(want, srv.DeployRequests(), protocmp.Transform()); diff != "" {
				t.Errorf("DeployModel requests (-want +got):\n%s", diff)
			}
			if got := state(t, m); got != model.Deploying {
				t.Errorf("State() before the operation is done = %v, want deploying", got)
			}
			srv.Settle()
			if got := state(t, m); got != model.Deployed {
				t.Errorf("State() after the operation is done = %v, want deployed", got)
			}
			if err := m.Deploy(ctx); err != nil {
				t.Fatal(err)
			}
			if n := len(srv.DeployRequests()); n != 1 {
				t.Errorf("%d DeployModel requests, want 1", n)
			}
			ep := srv.Endpoint(endpoint)
			if diff := cmp.Diff(map[string]int32{ep.GetDeployedModels()[0].GetId(): 100}, ep.GetTrafficSplit()); diff != "" {
				t.Errorf("traffic split after deploy (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUndeployRequest(t *testing.T) {
	srv, m := start(t, vertex.Config{})
	ctx := context.Background()
	if err := model.DeployAndWait(ctx, m, model.WaitOptions{Clock: settlingClock(srv)}); err != nil {
		t.Fatal(err)
	}
	id := srv.Endpoint(endpoint).GetDeployedModels()[0].GetId()
	for range 2 {
		if err := m.Undeploy(ctx); err != nil {
			t.Fatal(err)
		}
	}
	want := []*aiplatformpb.UndeployModelRequest{{Endpoint: endpoint, DeployedModelId: id}}
	if diff := cmp.Diff(want, srv.UndeployRequests(), protocmp.Transform()); diff != "" {
		t.Errorf("UndeployModel requests (-want +got):\n%s", diff)
	}
	srv.Settle()
	if ep := srv.Endpoint(endpoint); len(ep.GetDeployedModels()) != 0 || len(ep.GetTrafficSplit()) != 0 {
		t.Errorf("endpoint after undeploy = %v, want no models and no traffic", ep)
	}
}

// TestUndeployEveryModel undeploys from an endpoint that serves another model too (the previous one): both
// go, since each bills while deployed. Vertex AI undeploys a model with traffic only when that traffic goes
// to a model that stays, so the first stop takes the other one off, giving its share to ours, and the next
// takes ours.
func TestUndeployEveryModel(t *testing.T) {
	srv, m := start(t, vertex.Config{})
	other, err := vertex.New(context.Background(), vertex.Config{Project: project, Location: location, Endpoint: "77", Model: "999"}, srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	ctx := context.Background()
	opts := model.WaitOptions{Clock: settlingClock(srv)}
	if err := model.DeployAndWait(ctx, other, opts); err != nil {
		t.Fatal(err)
	}
	if err := model.DeployAndWait(ctx, m, opts); err != nil {
		t.Fatal(err)
	}
	ep := srv.Endpoint(endpoint)
	otherID, ourID := ep.GetDeployedModels()[0].GetId(), ep.GetDeployedModels()[1].GetId() // ours has all the traffic
	if err := m.Undeploy(ctx); err != nil {
		t.Fatal(err)
	}
	if got := state(t, m); got != model.Undeploying {
		t.Errorf("state during the first stop = %v, want undeploying", got)
	}
	srv.Settle()
	if got := state(t, other); got != model.Undeployed {
		t.Errorf("the other model's state = %v, want undeployed", got)
	}
	if err := model.UndeployAndWait(ctx, m, opts); err != nil {
		t.Fatal(err)
	}
	want := []*aiplatformpb.UndeployModelRequest{
		{Endpoint: endpoint, DeployedModelId: otherID, TrafficSplit: map[string]int32{ourID: 100}},
		{Endpoint: endpoint, DeployedModelId: ourID},
	}
	if diff := cmp.Diff(want, srv.UndeployRequests(), protocmp.Transform()); diff != "" {
		t.Errorf("UndeployModel requests (-want +got):\n%s", diff)
	}
	if ep := srv.Endpoint(endpoint); len(ep.GetDeployedModels()) != 0 || len(ep.GetTrafficSplit()) != 0 {
		t.Errorf("endpoint after the stops = %v, want no models and no traffic", ep)
	}
}

// TestUndeployWhenOnlyAnotherModelServes: our model is gone already, a previous one still bills.
func TestUndeployWhenOnlyAnotherModelServes(t *testing.T) {
	srv, m := start(t, vertex.Config{})
	other, err := vertex.New(context.Background(), vertex.Config{Project: project, Location: location, Endpoint: "77", Model: "999"}, srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	ctx := context.Background()
	opts := model.WaitOptions{Clock: settlingClock(srv)}
	if err := model.DeployAndWait(ctx, other, opts); err != nil {
		t.Fatal(err)
	}
	if err := m.Undeploy(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Settle()
	if ep := srv.Endpoint(endpoint); len(ep.GetDeployedModels()) != 0 {
		t.Errorf("endpoint after the stop = %v, want no models", ep)
	}
}

// TestDeployRefusedResources: the fake refuses resources a model does not list, as Vertex AI does, so a
// driver that sent automatic resources to a custom-trained model would fail here.
func TestDeployRefusedResources(t *testing.T) {
	for _, tc := range []struct {
		name  string
		types []aiplatformpb.Model_DeploymentResourcesType
		ok    bool
	}{
		{"automatic only", []aiplatformpb.Model_DeploymentResourcesType{fakevertex.Automatic}, true},
		{"dedicated only", []aiplatformpb.Model_DeploymentResourcesType{fakevertex.Dedicated}, true},
		{"neither", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, m := start(t, vertex.Config{})
			srv.AddModel(modelName, tc.types...)
			err := m.Deploy(context.Background())
			if tc.ok && err != nil {
				t.Fatal(err)
			}
			if !tc.ok && !strings.Contains(fmt.Sprint(err), "does not support") {
				t.Errorf("deploying a model on resources it does not list: err = %v", err)
			}
		})
	}
}

// TestStateAcrossOperationPages keeps deploying and undeploying so that the endpoint's operations span
// several pages of ListOperations.
func TestStateAcrossOperationPages(t *testing.T) {
	srv, m := start(t, vertex.Config{})
	ctx := context.Background()
	opts := model.WaitOptions{Clock: settlingClock(srv)}
	for range 3 {
		if err := model.DeployAndWait(ctx, m, opts); err != nil {
			t.Fatal(err)
		}
		if err := model.UndeployAndWait(ctx, m, opts); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Deploy(ctx); err != nil {
		t.Fatal(err)
	}
	if got := state(t, m); got != model.Deploying {
		t.Errorf("State() = %v, want deploying", got)
	}
	if n := len(srv.DeployRequests()) + len(srv.UndeployRequests()); n != 7 {
		t.Errorf("%d deploy and undeploy requests, want 7", n)
	}
}

func TestNewNeedsNames(t *testing.T) {
	_, err := vertex.New(context.Background(), vertex.Config{Project: project, Location: location, Endpoint: "77"})
	if err == nil {
		t.Error("New() without a model succeeded")
	}
}

// settlingClock is a clock under which every wait sees the server's operations finish.
func settlingClock(srv *fakevertex.Server) model.Clock {
	return testclock.New(func(int) { srv.Settle() })
}

func TestDeployFailureReason(t *testing.T) {
	srv, m := start(t, vertex.Config{})
	srv.FailNextDeploy(status.Error(codes.ResourceExhausted, "no n1-standard-2 capacity in europe-west1"))
	ctx := context.Background()
	if err := m.Deploy(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Settle()
	got, err := m.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := model.Status{State: model.Failed, Reason: "no n1-standard-2 capacity in europe-west1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("State() after a failed deployment (-want +got):\n%s", diff)
	}
	if ep := srv.Endpoint(endpoint); len(ep.GetDeployedModels()) != 0 {
		t.Errorf("endpoint serves %v after a failed deployment", ep.GetDeployedModels())
	}
}
