package fakevertex

import (
	"context"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pltv/pltv/model/internal/fakemodel"
)

type predictionService struct {
	aiplatformpb.UnimplementedPredictionServiceServer
	s *Server
}

var _ aiplatformpb.PredictionServiceServer = predictionService{}

func (p predictionService) Predict(_ context.Context, req *aiplatformpb.PredictRequest) (*aiplatformpb.PredictResponse, error) {
	s := p.s
	s.mu.Lock()
	if s.keepPredict {
		s.predicts = append(s.predicts, proto.Clone(req).(*aiplatformpb.PredictRequest))
	}
	ep, ok := s.endpoints[req.GetEndpoint()]
	var deployed string
	if ok && len(ep.DeployedModels) > 0 {
		deployed = ep.DeployedModels[0].GetId()
	}
	predictor := s.predictor
	s.mu.Unlock()
	switch {
	case !ok:
		return nil, status.Errorf(codes.NotFound, "endpoint %q not found", req.GetEndpoint())
	case deployed == "":
		return nil, status.Errorf(codes.FailedPrecondition, "endpoint %s has no deployed model", req.GetEndpoint())
	case len(req.GetInstances()) == 0:
		return nil, status.Error(codes.InvalidArgument, "instances must not be empty")
	}
	preds, err := predictor(req.GetInstances())
	if err != nil {
		return nil, err
	}
	return &aiplatformpb.PredictResponse{Predictions: preds, DeployedModelId: deployed}, nil
}

// DefaultPredictor answers each instance with a tabular regression prediction: {"value": Score(x),
// "lower_bound": Score(x)-1, "upper_bound": Score(x)+1}.
func DefaultPredictor(instances []*structpb.Value) ([]*structpb.Value, error) {
	out := make([]*structpb.Value, len(instances))
	for i, x := range instances {
		v := Score(x)
		out[i] = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{
			"value":       structpb.NewNumberValue(v),
			"lower_bound": structpb.NewNumberValue(v - 1),
			"upper_bound": structpb.NewNumberValue(v + 1),
		}})
	}
	return out, nil
}

// Score is the fake model's score of an instance (see fakemodel.Score).
func Score(x *structpb.Value) float64 { return fakemodel.Score(x) }
