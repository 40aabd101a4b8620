package automl

import (
	"context"
	"fmt"

	"cloud.google.com/go/automl/apiv1beta1/automlpb"
	"cloud.google.com/go/longrunning/autogen/longrunningpb"
	"google.golang.org/api/iterator"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/gcperr"
	"github.com/pltv/pltv/model/internal/opstate"
)

// State derives the model's state from its deployment state and from the deploy and undeploy operations
// that work on it (see opstate.Status).
func (m *Model) State(ctx context.Context) (model.Status, error) {
	got, err := m.models.GetModel(ctx, &automlpb.GetModelRequest{Name: m.name})
	if err != nil {
		return model.Status{}, gcperr.Wrap("automl get model "+m.name, err)
	}
	ops, err := m.operations(ctx)
	if err != nil {
		return model.Status{}, err
	}
	return opstate.Status(got.GetDeploymentState() == automlpb.Model_DEPLOYED, ops), nil
}

// operations lists the operations that work on the model.
func (m *Model) operations(ctx context.Context) ([]opstate.Op, error) {
	var ops []opstate.Op
	it := m.models.LROClient.ListOperations(ctx, &longrunningpb.ListOperationsRequest{
		Name:   m.location,
		Filter: "worksOn = " + m.name,
	})
	for {
		op, err := it.Next()
		if err == iterator.Done {
			return ops, nil
		}
		if err != nil {
			return nil, gcperr.Wrap("automl list operations of "+m.name, err)
		}
		var md automlpb.OperationMetadata
		if err := op.GetMetadata().UnmarshalTo(&md); err != nil {
			return nil, fmt.Errorf("automl operation %s: %w", op.GetName(), err)
		}
		o := opstate.Op{Done: op.GetDone(), Created: md.GetCreateTime().AsTime(), Err: op.GetError().GetMessage()}
		if op.GetError() != nil && o.Err == "" {
			o.Err = op.GetError().String()
		}
		switch md.GetDetails().(type) {
		case *automlpb.OperationMetadata_DeployModelDetails:
			o.Kind = opstate.Deploy
		case *automlpb.OperationMetadata_UndeployModelDetails:
			o.Kind = opstate.Undeploy
		}
		ops = append(ops, o)
	}
}

// Deploy starts deploying the model, unless it is deployed or deploying already.
func (m *Model) Deploy(ctx context.Context) error {
	st, err := m.State(ctx)
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	switch st.State {
	case model.Deployed, model.Deploying:
		return nil
	case model.Undeploying:
		return fmt.Errorf("automl deploy %s: %w (undeploying)", m.name, model.ErrBusy)
	}
	op, err := m.models.DeployModel(ctx, &automlpb.DeployModelRequest{Name: m.name})
	if err != nil {
		return gcperr.Wrap("automl deploy "+m.name, err)
	}
	m.log.InfoContext(ctx, "model deploy started", "model", m.name, "operation", op.Name())
	return nil
}

// Undeploy starts undeploying the model, unless nothing is deployed.
func (m *Model) Undeploy(ctx context.Context) error {
	st, err := m.State(ctx)
	if err != nil {
		return fmt.Errorf("undeploy: %w", err)
	}
	switch st.State {
	case model.Undeployed, model.Undeploying, model.Failed:
		return nil
	case model.Deploying:
		return fmt.Errorf("automl undeploy %s: %w (deploying)", m.name, model.ErrBusy)
	}
	op, err := m.models.UndeployModel(ctx, &automlpb.UndeployModelRequest{Name: m.name})
	if err != nil {
		return gcperr.Wrap("automl undeploy "+m.name, err)
	}
	m.log.InfoContext(ctx, "model undeploy started", "model", m.name, "operation", op.Name())
	return nil
}
