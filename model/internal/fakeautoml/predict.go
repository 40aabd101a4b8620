package fakeautoml

import (
	"context"
	"fmt"
	"strings"

	"cloud.google.com/go/automl/apiv1beta1/automlpb"
	"cloud.google.com/go/longrunning/autogen/longrunningpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pltv/pltv/model/internal/fakemodel"
)

type predictionService struct {
	automlpb.UnimplementedPredictionServiceServer
	s *Server
}

func (p predictionService) Predict(_ context.Context, req *automlpb.PredictRequest) (*automlpb.PredictResponse, error) {
	s := p.s
	s.mu.Lock()
	if s.keepPredict {
		s.predicts = append(s.predicts, proto.Clone(req).(*automlpb.PredictRequest))
	}
	m, ok := s.models[req.GetName()]
	if ok {
		m = proto.Clone(m).(*automlpb.Model)
	}
	predictor := s.predictor
	s.mu.Unlock()
	if !ok {
		return nil, status.Errorf(codes.NotFound, "model %q not found", req.GetName())
	}
	if m.GetDeploymentState() != automlpb.Model_DEPLOYED {
		return nil, status.Errorf(codes.FailedPrecondition, "model %s is not deployed", req.GetName())
	}
	row := req.GetPayload().GetRow()
	if err := checkRow(m, row); err != nil {
		return nil, err
	}
	payload, err := predictor(m, row)
	if err != nil {
		return nil, err
	}
	return &automlpb.PredictResponse{Payload: payload}, nil
}

// checkRow checks a row the way AutoML Tables does: one value per input feature, in their order, each of
// the kind its column's type takes (or null).
func checkRow(m *automlpb.Model, row *automlpb.Row) error {
	specs := m.GetTablesModelMetadata().GetInputFeatureColumnSpecs()
	if row == nil {
		return status.Error(codes.InvalidArgument, "payload must be a row")
	}
	if len(row.GetColumnSpecIds()) > 0 {
		return status.Error(codes.InvalidArgument, "this fake takes rows in input feature order, without column_spec_ids")
	}
	if len(row.GetValues()) != len(specs) {
		return status.Errorf(codes.InvalidArgument, "row has %d values, the model takes %d input features", len(row.GetValues()), len(specs))
	}
	for i, v := range row.GetValues() {
		spec := specs[i]
		var ok bool
		switch v.GetKind().(type) {
		case *structpb.Value_NullValue:
			ok = true
		case *structpb.Value_NumberValue:
			ok = spec.GetDataType().GetTypeCode() == automlpb.TypeCode_FLOAT64
		case *structpb.Value_StringValue:
			ok = spec.GetDataType().GetTypeCode() != automlpb.TypeCode_FLOAT64
		}
		if !ok {
			return status.Errorf(codes.InvalidArgument, "value %d (%v) does not fit column %s of type %v",
				i, v, spec.GetDisplayName(), spec.GetDataType().GetTypeCode())
		}
	}
	return nil
}

// Regression answers as an AutoML Tables regression model: one payload whose value is the fake model's
// score of the row, with a prediction interval one either side.
func Regression(_ *automlpb.Model, row *automlpb.Row) ([]*automlpb.AnnotationPayload, error) {
	v := Score(row)
	return []*automlpb.AnnotationPayload{{Detail: &automlpb.AnnotationPayload_Tables{Tables: &automlpb.TablesAnnotation{
		Value:              structpb.NewNumberValue(v),
		PredictionInterval: &automlpb.DoubleRange{Start: v - 1, End: v + 1},
	}}}}, nil
}

// Classification answers as an AutoML Tables binary classification model: one payload per class, "1"
// scored from the row's score (as a fraction of one more than itself) and "0" with the rest.
func Classification(_ *automlpb.Model, row *automlpb.Row) ([]*automlpb.AnnotationPayload, error) {
	v := Score(row)
	p := float32(v / (1 + v))
	class := func(name string, score float32) *automlpb.AnnotationPayload {
		return &automlpb.AnnotationPayload{Detail: &automlpb.AnnotationPayload_Tables{Tables: &automlpb.TablesAnnotation{
			Value: structpb.NewStringValue(name), Score: score,
		}}}
	}
	return []*automlpb.AnnotationPayload{class("1", p), class("0", 1-p)}, nil
}

// Score is the fake model's score of a row (see fakemodel.Score).
func Score(row *automlpb.Row) float64 {
	return fakemodel.Score(structpb.NewListValue(&structpb.ListValue{Values: row.GetValues()}))
}

func (p predictionService) BatchPredict(_ context.Context, req *automlpb.BatchPredictRequest) (*longrunningpb.Operation, error) {
	s := p.s
	s.mu.Lock()
	s.batches = append(s.batches, proto.Clone(req).(*automlpb.BatchPredictRequest))
	m, ok := s.models[req.GetName()]
	s.mu.Unlock()
	if !ok {
		return nil, status.Errorf(codes.NotFound, "model %q not found", req.GetName())
	}
	in := req.GetInputConfig().GetBigquerySource().GetInputUri()
	if strings.Count(in, ".") != 2 || !strings.HasPrefix(in, "bq://") {
		return nil, status.Errorf(codes.InvalidArgument, "input must be a bq://project.dataset.table, got %q", in)
	}
	out := req.GetOutputConfig().GetBigqueryDestination().GetOutputUri()
	if strings.Contains(out, ".") || !strings.HasPrefix(out, "bq://") {
		return nil, status.Errorf(codes.InvalidArgument, "output must be a bq://project, got %q", out)
	}
	dataset := fmt.Sprintf("%s.prediction_%s_2020_07_10T00_00_00_000Z", out, m.GetDisplayName())
	details := &automlpb.BatchPredictOperationMetadata{InputConfig: req.GetInputConfig()}
	return s.startModelOp(req.GetName(), &automlpb.OperationMetadata_BatchPredictDetails{BatchPredictDetails: details},
		func() (proto.Message, error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			if len(s.batchFails) > 0 {
				err := s.batchFails[0]
				s.batchFails = s.batchFails[1:]
				return nil, err
			}
			details.OutputInfo = &automlpb.BatchPredictOperationMetadata_BatchPredictOutputInfo{
				OutputLocation: &automlpb.BatchPredictOperationMetadata_BatchPredictOutputInfo_BigqueryOutputDataset{BigqueryOutputDataset: dataset},
			}
			return &automlpb.BatchPredictResult{}, nil
		})
}
