package vertex

import (
	"cmp"
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
	automatic, err := m.supportsAutomatic(ctx)
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	op, err := m.endpoints.DeployModel(ctx, &aiplatformpb.DeployModelRequest{
		Endpoint:      m.endpoint,
		DeployedModel: m.deployedModel(automatic),
		TrafficSplit:  map[string]int32{"0": 100}, // "0" is the model being deployed
	})
	if err != nil {
		return gcperr.Wrap("vertex deploy "+m.modelName, err)
	}
	m.log.InfoContext(ctx, "model deploy started", "model", m.modelName, "endpoint", m.endpoint, "operation", op.Name())
	return nil
}

// Undeploy starts taking every model off the endpoint: ours, and any other still deployed there (the
// previous model, one a backfill used), since each bills for as long as it is deployed. Vertex AI
// undeploys a model that has traffic only when its traffic goes to models that stay, so with several
// models it undeploys all but the one with the most traffic, giving that one their traffic; once they are
// gone, the next call undeploys the last (the daily workflow's stop calls again until nothing serves). It
// does nothing while an undeploy is under way or when nothing is deployed, and returns ErrBusy while a
// deployment is.
func (m *Model) Undeploy(ctx context.Context) error {
	v, err := m.view(ctx)
	if err != nil {
		return fmt.Errorf("undeploy: %w", err)
	}
	switch v.status.State {
	case model.Undeploying:
		return nil
	case model.Deploying:
		return fmt.Errorf("vertex undeploy %s: %w (deploying)", m.modelName, model.ErrBusy)
	}
	deployed := v.endpoint.GetDeployedModels()
	if len(deployed) == 0 {
		return nil
	}
	keeper := mostTraffic(v.endpoint)
	targets := []*aiplatformpb.DeployedModel{keeper}
	var split map[string]int32
	if len(deployed) > 1 {
		targets = slices.DeleteFunc(slices.Clone(deployed), func(dm *aiplatformpb.DeployedModel) bool { return dm == keeper })
		split = map[string]int32{keeper.GetId(): 100}
	}
	for _, target := range targets {
		op, err := m.endpoints.UndeployModel(ctx, &aiplatformpb.UndeployModelRequest{
			Endpoint:        m.endpoint,
			DeployedModelId: target.GetId(),
			TrafficSplit:    split,
		})
		if err != nil {
			return gcperr.Wrap("vertex undeploy "+target.GetModel()+" from "+m.endpoint, err)
		}
		m.log.InfoContext(ctx, "model undeploy started", "model", target.GetModel(), "ours", sameModel(target.GetModel(), m.modelName),
			"endpoint", m.endpoint, "deployed_model", target.GetId(), "operation", op.Name(), "left", len(deployed)-len(targets))
	}
	return nil
}

// mostTraffic is the deployed model with the largest share of the endpoint's traffic (of those with the
// same share, the lowest id).
func mostTraffic(ep *aiplatformpb.Endpoint) *aiplatformpb.DeployedModel {
	return slices.MaxFunc(ep.GetDeployedModels(), func(a, b *aiplatformpb.DeployedModel) int {
		if c := cmp.Compare(ep.GetTrafficSplit()[a.GetId()], ep.GetTrafficSplit()[b.GetId()]); c != 0 {
			return c
		}
		return cmp.Compare(b.GetId(), a.GetId())
	})
}
