package vertex

import (
	"context"
	"slices"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"

	"github.com/pltv/pltv/model/internal/gcperr"
)

// supportsAutomatic reports whether the model lists AUTOMATIC_RESOURCES in its supported deployment
// resources types (ModelService.GetModel), asked once: a model's types never change. Models that do not
// (custom-trained ones, most AutoML ones) need dedicated resources for deploy and for batch prediction.
func (m *Model) supportsAutomatic(ctx context.Context) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.automatic != nil {
		return *m.automatic, nil
	}
	md, err := m.models.GetModel(ctx, &aiplatformpb.GetModelRequest{Name: m.modelName})
	if err != nil {
		return false, gcperr.Wrap("vertex get model "+m.modelName, err)
	}
	automatic := slices.Contains(md.GetSupportedDeploymentResourcesTypes(), aiplatformpb.Model_AUTOMATIC_RESOURCES)
	m.automatic = &automatic
	return automatic, nil
}

// deployedModel is the model as DeployModel takes it: on automatic resources when the model supports them,
// otherwise on dedicated ones of MachineType.
func (m *Model) deployedModel(automatic bool) *aiplatformpb.DeployedModel {
	dm := &aiplatformpb.DeployedModel{Model: m.modelName, DisplayName: m.cfg.DisplayName}
	if automatic {
		dm.PredictionResources = &aiplatformpb.DeployedModel_AutomaticResources{AutomaticResources: &aiplatformpb.AutomaticResources{
			MinReplicaCount: m.cfg.MinReplicas, MaxReplicaCount: m.cfg.MaxReplicas,
		}}
		return dm
	}
	dm.PredictionResources = &aiplatformpb.DeployedModel_DedicatedResources{DedicatedResources: &aiplatformpb.DedicatedResources{
		MachineSpec:     &aiplatformpb.MachineSpec{MachineType: m.cfg.MachineType},
		MinReplicaCount: m.cfg.MinReplicas, MaxReplicaCount: m.cfg.MaxReplicas,
	}}
	return dm
}

// batchResources are a batch prediction job's dedicated resources: none when the model supports
// automatic resources (Vertex AI chooses), MachineType otherwise.
func (m *Model) batchResources(automatic bool) *aiplatformpb.BatchDedicatedResources {
	if automatic {
		return nil
	}
	return &aiplatformpb.BatchDedicatedResources{
		MachineSpec:          &aiplatformpb.MachineSpec{MachineType: m.cfg.MachineType},
		StartingReplicaCount: m.cfg.MinReplicas, MaxReplicaCount: m.cfg.MaxReplicas,
	}
}
