package fakevertex

import (
	"context"
	"fmt"
	"strconv"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"
	"cloud.google.com/go/longrunning/autogen/longrunningpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

type endpointService struct {
	aiplatformpb.UnimplementedEndpointServiceServer
	s *Server
}

var _ aiplatformpb.EndpointServiceServer = endpointService{}

func (e endpointService) GetEndpoint(_ context.Context, req *aiplatformpb.GetEndpointRequest) (*aiplatformpb.Endpoint, error) {
	if ep := e.s.Endpoint(req.GetName()); ep != nil {
		return ep, nil
	}
	return nil, status.Errorf(codes.NotFound, "endpoint %q not found", req.GetName())
}

func (e endpointService) DeployModel(_ context.Context, req *aiplatformpb.DeployModelRequest) (*longrunningpb.Operation, error) {
	s := e.s
	s.mu.Lock()
	s.deploys = append(s.deploys, proto.Clone(req).(*aiplatformpb.DeployModelRequest))
	ep, ok := s.endpoints[req.GetEndpoint()]
	s.mu.Unlock()
	if !ok {
		return nil, status.Errorf(codes.NotFound, "endpoint %q not found", req.GetEndpoint())
	}
	dm := req.GetDeployedModel()
	if _, _, ok := parent(dm.GetModel(), "models"); !ok {
		return nil, status.Errorf(codes.InvalidArgument, "deployed_model.model %q is not projects/P/locations/L/models/M", dm.GetModel())
	}
	var automatic bool
	switch r := dm.GetPredictionResources().(type) {
	case *aiplatformpb.DeployedModel_DedicatedResources:
		d := r.DedicatedResources
		if d.GetMachineSpec().GetMachineType() == "" || d.GetMinReplicaCount() < 1 || d.GetMaxReplicaCount() != 0 && d.GetMaxReplicaCount() < d.GetMinReplicaCount() {
			return nil, status.Error(codes.InvalidArgument, "dedicated_resources need a machine type, min_replica_count >= 1 and max_replica_count >= min_replica_count")
		}
	case *aiplatformpb.DeployedModel_AutomaticResources:
		automatic = true
	default:
		return nil, status.Error(codes.InvalidArgument, "deployed_model needs dedicated or automatic resources")
	}
	s.mu.Lock()
	err := s.checkResources(dm.GetModel(), automatic, !automatic)
	if err == nil {
		err = checkSplit(req.GetTrafficSplit(), ep, "0", "")
	}
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	md := &aiplatformpb.DeployModelOperationMetadata{GenericMetadata: s.generic()}
	return s.lro.Start(req.GetEndpoint(), req.GetEndpoint(), md, func() (proto.Message, error) {
		return s.finishDeploy(req)
	})
}

func (s *Server) finishDeploy(req *aiplatformpb.DeployModelRequest) (proto.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.deployFails) > 0 {
		err := s.deployFails[0]
		s.deployFails = s.deployFails[1:]
		return nil, err
	}
	ep := s.endpoints[req.GetEndpoint()]
	dm := proto.Clone(req.GetDeployedModel()).(*aiplatformpb.DeployedModel)
	s.nextID++
	dm.Id = strconv.Itoa(s.nextID)
	dm.CreateTime = timestamppb.New(s.lro.Now())
	ep.DeployedModels = append(ep.DeployedModels, dm)
	split := map[string]int32{}
	for k, v := range req.GetTrafficSplit() {
		if k == "0" {
			k = dm.Id
		}
		split[k] = v
	}
	if len(split) == 0 && len(ep.DeployedModels) == 1 {
		split[dm.Id] = 100 // Vertex AI gives the only model all traffic
	}
	if len(split) > 0 {
		ep.TrafficSplit = split
	}
	return &aiplatformpb.DeployModelResponse{DeployedModel: proto.Clone(dm).(*aiplatformpb.DeployedModel)}, nil
}

func (e endpointService) UndeployModel(_ context.Context, req *aiplatformpb.UndeployModelRequest) (*longrunningpb.Operation, error) {
	s := e.s
	s.mu.Lock()
	s.undeploys = append(s.undeploys, proto.Clone(req).(*aiplatformpb.UndeployModelRequest))
	ep, ok := s.endpoints[req.GetEndpoint()]
	if !ok {
		s.mu.Unlock()
		return nil, status.Errorf(codes.NotFound, "endpoint %q not found", req.GetEndpoint())
	}
	id := req.GetDeployedModelId()
	found := false
	for _, dm := range ep.DeployedModels {
		found = found || dm.GetId() == id
	}
	var err error
	switch {
	case !found:
		err = status.Errorf(codes.NotFound, "deployed model %q not found on %s", id, ep.GetName())
	case len(req.GetTrafficSplit()) > 0:
		err = checkSplit(req.GetTrafficSplit(), ep, "", id)
	case ep.GetTrafficSplit()[id] > 0 && len(ep.GetDeployedModels()) > 1:
		err = status.Errorf(codes.FailedPrecondition, "deployed model %s still has traffic; give it to the others", id)
	}
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	md := &aiplatformpb.UndeployModelOperationMetadata{GenericMetadata: s.generic()}
	return s.lro.Start(req.GetEndpoint(), req.GetEndpoint(), md, func() (proto.Message, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		ep := s.endpoints[req.GetEndpoint()]
		var kept []*aiplatformpb.DeployedModel
		for _, dm := range ep.DeployedModels {
			if dm.GetId() != id {
				kept = append(kept, dm)
			}
		}
		ep.DeployedModels = kept
		switch {
		case len(kept) == 0:
			ep.TrafficSplit = nil
		case len(req.GetTrafficSplit()) > 0:
			ep.TrafficSplit = req.GetTrafficSplit()
		default:
			delete(ep.TrafficSplit, id)
		}
		return &aiplatformpb.UndeployModelResponse{}, nil
	})
}

// checkSplit checks a traffic split the way Vertex AI does: it names only deployed models (or newID, the
// model being deployed), gives removed nothing, and adds up to 100.
func checkSplit(split map[string]int32, ep *aiplatformpb.Endpoint, newID, removed string) error {
	if len(split) == 0 {
		return nil
	}
	known := map[string]bool{}
	for _, dm := range ep.GetDeployedModels() {
		known[dm.GetId()] = true
	}
	var sum int32
	for id, pct := range split {
		if id != newID && !known[id] {
			return status.Errorf(codes.InvalidArgument, "traffic_split names %q, which is not deployed on %s", id, ep.GetName())
		}
		if id == removed && pct > 0 {
			return status.Errorf(codes.InvalidArgument, "traffic_split gives %d%% to the model being undeployed", pct)
		}
		if pct < 0 {
			return status.Errorf(codes.InvalidArgument, "traffic_split has a negative share for %q", id)
		}
		sum += pct
	}
	if sum != 100 {
		return status.Error(codes.InvalidArgument, fmt.Sprintf("traffic_split adds up to %d, not 100", sum))
	}
	return nil
}

func (s *Server) generic() *aiplatformpb.GenericOperationMetadata {
	now := timestamppb.New(s.lro.Now())
	return &aiplatformpb.GenericOperationMetadata{CreateTime: now, UpdateTime: now}
}
