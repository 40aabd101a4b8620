package fakevertex

import (
	"context"
	"slices"
	"strings"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// MethodGetModel is the ModelService's GetModel, for FailNext and Calls.
const MethodGetModel = aiplatformpb.ModelService_GetModel_FullMethodName

// Dedicated and Automatic are the deployment resource types a model can support.
const (
	Dedicated = aiplatformpb.Model_DEDICATED_RESOURCES
	Automatic = aiplatformpb.Model_AUTOMATIC_RESOURCES
)

type modelService struct {
	aiplatformpb.UnimplementedModelServiceServer
	s *Server
}

// AddModel registers a model (projects/P/locations/L/models/M) with the deployment resource types it
// supports; a custom-trained model supports Dedicated only, as Vertex AI reports it.
func (s *Server) AddModel(name string, types ...aiplatformpb.Model_DeploymentResourcesType) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.models[name] = &aiplatformpb.Model{Name: name, DisplayName: name[strings.LastIndex(name, "/")+1:],
		SupportedDeploymentResourcesTypes: types}
}

func (m modelService) GetModel(_ context.Context, req *aiplatformpb.GetModelRequest) (*aiplatformpb.Model, error) {
	m.s.mu.Lock()
	defer m.s.mu.Unlock()
	if md, ok := m.s.models[modelKey(req.GetName())]; ok {
		return proto.Clone(md).(*aiplatformpb.Model), nil
	}
	return nil, status.Errorf(codes.NotFound, "model %q not found", req.GetName())
}

// modelKey drops a version (@1) from a model name.
func modelKey(name string) string {
	name, _, _ = strings.Cut(name, "@")
	return name
}

// checkResources refuses what Vertex AI refuses: automatic resources for a model that does not list
// them, dedicated ones for a model that does not list those, or none for a batch job of a model that
// needs dedicated resources. Call with s.mu held.
func (s *Server) checkResources(modelName string, automatic, dedicated bool) error {
	md, ok := s.models[modelKey(modelName)]
	if !ok {
		return status.Errorf(codes.NotFound, "model %q not found", modelName)
	}
	types := md.GetSupportedDeploymentResourcesTypes()
	switch {
	case automatic && !slices.Contains(types, Automatic):
		return status.Errorf(codes.InvalidArgument, "model %s does not support automatic resources (it supports %v): "+
			"give dedicated resources with a machine type", modelName, types)
	case dedicated && !slices.Contains(types, Dedicated):
		return status.Errorf(codes.InvalidArgument, "model %s does not support dedicated resources (it supports %v)", modelName, types)
	}
	return nil
}
