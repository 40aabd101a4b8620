package vertex

import (
	"context"
	"fmt"
	"slices"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/gcperr"
)

// Deploy starts deploying the model to the endpoint with all of its traffic, unless it is deployed or
// deploying already.
func (m *Model) Deploy(ctx context.Context) error {
	v, err := m.view(ctx)
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	switch v.status.State {
	case model.Deployed, model.Deploying:
		return nil
	case model.Undeploying:
		return fmt.Errorf("vertex deploy %s: %w (undeploying)", m.modelName, model.ErrBusy)
	}
	op, err := m.endpoints.DeployModel(ctx, &aiplatformpb.DeployModelRequest{
		Endpoint:      m.endpoint,
		DeployedModel: m.deployedModel(),
		TrafficSplit:  map[string]int32{"0": 100}, // "0" is the model being deployed
	})
	if err != nil {
		return gcperr.Wrap("vertex deploy "+m.modelName, err)
	}
	m.log.InfoContext(ctx, "model deploy started", "model", m.modelName, "endpoint", m.endpoint, "operation", op.Name())
	return nil
}

func (m *Model) deployedModel() *aiplatformpb.DeployedModel {
	dm := &aiplatformpb.DeployedModel{Model: m.modelName, DisplayName: m.cfg.DisplayName}
	if m.cfg.MachineType == "" {
		dm.PredictionResources = &aiplatformpb.DeployedModel_AutomaticResources{AutomaticResources: &aiplatformpb.AutomaticResources{
			MinReplicaCount: m.cfg.MinReplicas, MaxReplicaCount: m.cfg.MaxReplicas,
		}}
	} else {
		dm.PredictionResources = &aiplatformpb.DeployedModel_DedicatedResources{DedicatedResources: &aiplatformpb.DedicatedResources{
			MachineSpec:     &aiplatformpb.MachineSpec{MachineType: m.cfg.MachineType},
			MinReplicaCount: m.cfg.MinReplicas, MaxReplicaCount: m.cfg.MaxReplicas,
		}}
	}
	return dm
}

// Undeploy starts taking the model off the endpoint, giving its traffic to the endpoint's other models in
// proportion to their shares. Should the endpoint serve the model more than once, each call undeploys one
// copy.
func (m *Model) Undeploy(ctx context.Context) error {
	v, err := m.view(ctx)
	if err != nil {
		return fmt.Errorf("undeploy: %w", err)
	}
	switch v.status.State {
	case model.Undeployed, model.Undeploying, model.Failed:
		return nil
	case model.Deploying:
		return fmt.Errorf("vertex undeploy %s: %w (deploying)", m.modelName, model.ErrBusy)
	}
	target := v.ours[len(v.ours)-1]
	op, err := m.endpoints.UndeployModel(ctx, &aiplatformpb.UndeployModelRequest{
		Endpoint:        m.endpoint,
		DeployedModelId: target.GetId(),
		TrafficSplit:    splitWithout(v.endpoint, target.GetId()),
	})
	if err != nil {
		return gcperr.Wrap("vertex undeploy "+m.modelName, err)
	}
	m.log.InfoContext(ctx, "model undeploy started", "model", m.modelName, "endpoint", m.endpoint,
		"deployed_model", target.GetId(), "operation", op.Name(), "copies_left", len(v.ours)-1)
	return nil
}

// splitWithout returns the endpoint's traffic split once the deployed model id is gone: the others keep
// their proportions, scaled to add up to 100 again (the largest share takes the rounding). It is nil when
// no other model remains, which Vertex AI requires.
func splitWithout(ep *aiplatformpb.Endpoint, id string) map[string]int32 {
	var others []string
	for _, dm := range ep.GetDeployedModels() {
		if dm.GetId() != id {
			others = append(others, dm.GetId())
		}
	}
	if len(others) == 0 {
		return nil
	}
	slices.Sort(others)
	var total int32
	for _, o := range others {
		total += ep.GetTrafficSplit()[o]
	}
	split := make(map[string]int32, len(others))
	if total == 0 {
		split[others[0]] = 100
		return split
	}
	var sum int32
	largest := others[0]
	for _, o := range others {
		share := ep.GetTrafficSplit()[o]
		split[o] = share * 100 / total
		sum += split[o]
		if share > ep.GetTrafficSplit()[largest] {
			largest = o
		}
	}
	split[largest] += 100 - sum
	return split
}
