package vertex

import (
	"context"
	"fmt"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"
	"cloud.google.com/go/longrunning/autogen/longrunningpb"
	"google.golang.org/api/iterator"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/gcperr"
)

// view is what the endpoint says about our model.
type view struct {
	endpoint *aiplatformpb.Endpoint
	ours     []*aiplatformpb.DeployedModel // our model's deployments on the endpoint
	status   model.Status
}

// State derives the model's state from the endpoint and its operations: an unfinished undeploy or deploy
// operation means undeploying or deploying; otherwise the model is deployed when the endpoint serves it,
// failed when the newest deploy operation ended in an error and nothing was undeployed since, and
// undeployed else.
func (m *Model) State(ctx context.Context) (model.Status, error) {
	v, err := m.view(ctx)
	return v.status, err
}

func (m *Model) view(ctx context.Context) (view, error) {
	ep, err := m.endpoints.GetEndpoint(ctx, &aiplatformpb.GetEndpointRequest{Name: m.endpoint})
	if err != nil {
		return view{}, gcperr.Wrap("vertex get endpoint "+m.endpoint, err)
	}
	v := view{endpoint: ep}
	for _, dm := range ep.GetDeployedModels() {
		if sameModel(dm.GetModel(), m.modelName) {
			v.ours = append(v.ours, dm)
		}
	}
	ops, err := m.deploymentOps(ctx)
	if err != nil {
		return view{}, err
	}
	switch {
	case ops.undeploying:
		v.status.State = model.Undeploying
	case ops.deploying:
		v.status.State = model.Deploying
	case len(v.ours) > 0:
		v.status.State = model.Deployed
	case ops.lastDeploy != nil && ops.lastDeploy.GetError() != nil && !ops.undeployedSince:
		v.status = model.Status{State: model.Failed, Reason: ops.lastDeploy.GetError().GetMessage()}
	default:
		v.status.State = model.Undeployed
	}
	return v, nil
}

// opsSummary is what the endpoint's deploy and undeploy operations say.
type opsSummary struct {
	deploying, undeploying bool
	lastDeploy             *longrunningpb.Operation // the newest deploy operation
	undeployedSince        bool                     // an undeploy operation started after lastDeploy
}

func (m *Model) deploymentOps(ctx context.Context) (opsSummary, error) {
	var sum opsSummary
	var lastDeployAt, lastUndeployAt int64 = -1, -1
	it := m.endpoints.ListOperations(ctx, &longrunningpb.ListOperationsRequest{Name: m.endpoint})
	for {
		op, err := it.Next()
		if err == iterator.Done {
			break
		}
		if err != nil {
			return sum, gcperr.Wrap("vertex list operations of "+m.endpoint, err)
		}
		kind, created, err := opKind(op)
		if err != nil {
			return sum, fmt.Errorf("vertex operation %s: %w", op.GetName(), err)
		}
		switch kind {
		case deployOp:
			sum.deploying = sum.deploying || !op.GetDone()
			if created > lastDeployAt {
				lastDeployAt, sum.lastDeploy = created, op
			}
		case undeployOp:
			sum.undeploying = sum.undeploying || !op.GetDone()
			lastUndeployAt = max(lastUndeployAt, created)
		}
	}
	sum.undeployedSince = lastUndeployAt > lastDeployAt
	return sum, nil
}

type operationKind int

const (
	otherOp operationKind = iota
	deployOp
	undeployOp
)

// opKind tells deploy and undeploy operations from the others by their metadata, and returns when they
// started (Unix nanoseconds).
func opKind(op *longrunningpb.Operation) (operationKind, int64, error) {
	md := op.GetMetadata()
	switch {
	case md.MessageIs((*aiplatformpb.DeployModelOperationMetadata)(nil)):
		var d aiplatformpb.DeployModelOperationMetadata
		if err := md.UnmarshalTo(&d); err != nil {
			return otherOp, 0, err
		}
		return deployOp, d.GetGenericMetadata().GetCreateTime().AsTime().UnixNano(), nil
	case md.MessageIs((*aiplatformpb.UndeployModelOperationMetadata)(nil)):
		var u aiplatformpb.UndeployModelOperationMetadata
		if err := md.UnmarshalTo(&u); err != nil {
			return otherOp, 0, err
		}
		return undeployOp, u.GetGenericMetadata().GetCreateTime().AsTime().UnixNano(), nil
	}
	return otherOp, 0, nil
}
