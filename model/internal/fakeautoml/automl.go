package fakeautoml

import (
	"context"

	"cloud.google.com/go/automl/apiv1beta1/automlpb"
	"cloud.google.com/go/longrunning/autogen/longrunningpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

type autoMLService struct {
	automlpb.UnimplementedAutoMlServer
	s *Server
}

func (a autoMLService) GetModel(_ context.Context, req *automlpb.GetModelRequest) (*automlpb.Model, error) {
	if m := a.s.Model(req.GetName()); m != nil {
		return m, nil
	}
	return nil, status.Errorf(codes.NotFound, "model %q not found", req.GetName())
}

func (a autoMLService) DeployModel(_ context.Context, req *automlpb.DeployModelRequest) (*longrunningpb.Operation, error) {
	s := a.s
	s.mu.Lock()
	s.deploys = append(s.deploys, proto.Clone(req).(*automlpb.DeployModelRequest))
	_, ok := s.models[req.GetName()]
	s.mu.Unlock()
	if !ok {
		return nil, status.Errorf(codes.NotFound, "model %q not found", req.GetName())
	}
	if req.GetModelDeploymentMetadata() != nil {
		return nil, status.Error(codes.InvalidArgument, "tables models take no deployment metadata")
	}
	return s.startModelOp(req.GetName(), &automlpb.OperationMetadata_DeployModelDetails{DeployModelDetails: &automlpb.DeployModelOperationMetadata{}},
		func() (proto.Message, error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			if len(s.deployFails) > 0 {
				err := s.deployFails[0]
				s.deployFails = s.deployFails[1:]
				return nil, err
			}
			s.models[req.GetName()].DeploymentState = automlpb.Model_DEPLOYED
			return &emptypb.Empty{}, nil
		})
}

func (a autoMLService) UndeployModel(_ context.Context, req *automlpb.UndeployModelRequest) (*longrunningpb.Operation, error) {
	s := a.s
	s.mu.Lock()
	s.undeploys = append(s.undeploys, proto.Clone(req).(*automlpb.UndeployModelRequest))
	_, ok := s.models[req.GetName()]
	s.mu.Unlock()
	if !ok {
		return nil, status.Errorf(codes.NotFound, "model %q not found", req.GetName())
	}
	return s.startModelOp(req.GetName(), &automlpb.OperationMetadata_UndeployModelDetails{UndeployModelDetails: &automlpb.UndeployModelOperationMetadata{}},
		func() (proto.Message, error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.models[req.GetName()].DeploymentState = automlpb.Model_UNDEPLOYED
			return &emptypb.Empty{}, nil
		})
}

// startModelOp starts an operation on a model, named under the model's location as AutoML names them.
func (s *Server) startModelOp(model string, details any, finish func() (proto.Message, error)) (*longrunningpb.Operation, error) {
	loc, _ := location(model)
	now := timestamppb.New(s.lro.Now())
	md := &automlpb.OperationMetadata{CreateTime: now, UpdateTime: now}
	switch d := details.(type) {
	case *automlpb.OperationMetadata_DeployModelDetails:
		md.Details = d
	case *automlpb.OperationMetadata_UndeployModelDetails:
		md.Details = d
	case *automlpb.OperationMetadata_BatchPredictDetails:
		md.Details = d
	}
	return s.lro.Start(loc, model, md, finish)
}
