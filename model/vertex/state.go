package vertex

import (
	"context"
	"fmt"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"
	"cloud.google.com/go/longrunning/autogen/longrunningpb"
	"google.golang.org/api/iterator"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/gcperr"
	"github.com/pltv/pltv/model/internal/opstate"
)

// view is what the endpoint says about our model.
type view struct {
	endpoint *aiplatformpb.Endpoint
	ours     []*aiplatformpb.DeployedModel // our model's deployments on the endpoint
	status   model.Status
}

// State derives the model's state from the endpoint, which lists the models it serves, and from the
// endpoint's deploy and undeploy operations (see opstate.Status).
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
	ops, err := m.operations(ctx)
	if err != nil {
		return view{}, err
	}
	v.status = opstate.Status(len(v.ours) > 0, ops)
	return v, nil
}

// operations lists the endpoint's operations.
func (m *Model) operations(ctx context.Context) ([]opstate.Op, error) {
	var ops []opstate.Op
	it := m.endpoints.ListOperations(ctx, &longrunningpb.ListOperationsRequest{Name: m.endpoint})
	for {
		op, err := it.Next()
		if err == iterator.Done {
			return ops, nil
		}
		if err != nil {
			return nil, gcperr.Wrap("vertex list operations of "+m.endpoint, err)
		}
		o, err := summarize(op)
		if err != nil {
			return nil, fmt.Errorf("vertex operation %s: %w", op.GetName(), err)
		}
		ops = append(ops, o)
	}
}

// summarize tells deploy and undeploy operations from the others by their metadata.
func summarize(op *longrunningpb.Operation) (opstate.Op, error) {
	o := opstate.Op{Done: op.GetDone(), Err: op.GetError().GetMessage()}
	if op.GetError() != nil && o.Err == "" {
		o.Err = op.GetError().String()
	}
	var generic *aiplatformpb.GenericOperationMetadata
	md := op.GetMetadata()
	switch {
	case md.MessageIs((*aiplatformpb.DeployModelOperationMetadata)(nil)):
		var d aiplatformpb.DeployModelOperationMetadata
		if err := md.UnmarshalTo(&d); err != nil {
			return o, err
		}
		o.Kind, generic = opstate.Deploy, d.GetGenericMetadata()
	case md.MessageIs((*aiplatformpb.UndeployModelOperationMetadata)(nil)):
		var u aiplatformpb.UndeployModelOperationMetadata
		if err := md.UnmarshalTo(&u); err != nil {
			return o, err
		}
		o.Kind, generic = opstate.Undeploy, u.GetGenericMetadata()
	}
	o.Created = generic.GetCreateTime().AsTime()
	return o, nil
}
