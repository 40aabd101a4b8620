// Package fakeautoml is an in-process AutoML API (v1beta1) for tests: the AutoMl service's GetModel,
// DeployModel and UndeployModel (long-running operations), and the PredictionService's Predict (one Row
// per request) and BatchPredict, served over gRPC on loopback to the real client library. It checks what
// it is sent the way AutoML Tables did where a driver could get it wrong, records every request, and
// fails calls on demand.
package fakeautoml

import (
	"fmt"
	"strings"
	"sync"

	"cloud.google.com/go/automl/apiv1beta1/automlpb"
	"cloud.google.com/go/longrunning/autogen/longrunningpb"
	"google.golang.org/api/option"
	"google.golang.org/protobuf/proto"

	"github.com/pltv/pltv/model/internal/fakegrpc"
	"github.com/pltv/pltv/model/internal/fakelro"
)

// Full gRPC method names, for FailNext and Calls.
const (
	MethodGetModel       = automlpb.AutoMl_GetModel_FullMethodName
	MethodDeployModel    = automlpb.AutoMl_DeployModel_FullMethodName
	MethodUndeployModel  = automlpb.AutoMl_UndeployModel_FullMethodName
	MethodPredict        = automlpb.PredictionService_Predict_FullMethodName
	MethodBatchPredict   = automlpb.PredictionService_BatchPredict_FullMethodName
	MethodGetOperation   = "/google.longrunning.Operations/GetOperation"
	MethodListOperations = "/google.longrunning.Operations/ListOperations"
)

// Column is one input feature of a tables model.
type Column struct {
	Name string
	Type automlpb.TypeCode // FLOAT64, CATEGORY, STRING or TIMESTAMP
}

// Predictor answers one Predict request for the row of a model. It may answer no payload or a wrong one,
// to test how a driver copes; an error (a status error keeps its code) fails the call.
type Predictor func(m *automlpb.Model, row *automlpb.Row) ([]*automlpb.AnnotationPayload, error)

// Server is a running fake AutoML API.
type Server struct {
	grpc *fakegrpc.Server
	lro  *fakelro.Store

	mu          sync.Mutex
	models      map[string]*automlpb.Model
	deployFails []error
	batchFails  []error
	predictor   Predictor
	keepPredict bool

	deploys   []*automlpb.DeployModelRequest
	undeploys []*automlpb.UndeployModelRequest
	predicts  []*automlpb.PredictRequest
	batches   []*automlpb.BatchPredictRequest
}

// TablesModel returns an undeployed AutoML Tables model named projects/P/locations/L/models/M whose input
// features are the columns, in order.
func TablesModel(name string, columns ...Column) *automlpb.Model {
	specs := make([]*automlpb.ColumnSpec, len(columns))
	for i, c := range columns {
		specs[i] = &automlpb.ColumnSpec{
			Name:        fmt.Sprintf("%s/columnSpecs/%d", name, i+1),
			DisplayName: c.Name,
			DataType:    &automlpb.DataType{TypeCode: c.Type},
		}
	}
	return &automlpb.Model{
		Name:            name,
		DisplayName:     name[strings.LastIndex(name, "/")+1:],
		DeploymentState: automlpb.Model_UNDEPLOYED,
		ModelMetadata: &automlpb.Model_TablesModelMetadata{TablesModelMetadata: &automlpb.TablesModelMetadata{
			InputFeatureColumnSpecs: specs,
		}},
	}
}

// Start serves a fake AutoML API holding the models on 127.0.0.1. Close it when done.
func Start(models ...*automlpb.Model) (*Server, error) {
	g, err := fakegrpc.New()
	if err != nil {
		return nil, err
	}
	s := &Server{grpc: g, lro: fakelro.NewStore(), models: map[string]*automlpb.Model{}, predictor: Regression, keepPredict: true}
	for _, m := range models {
		if _, ok := location(m.GetName()); !ok {
			g.Close()
			return nil, fmt.Errorf("start fake AutoML: model name %q is not projects/P/locations/L/models/M", m.GetName())
		}
		s.models[m.GetName()] = proto.Clone(m).(*automlpb.Model)
	}
	automlpb.RegisterAutoMlServer(g.GRPC, autoMLService{s: s})
	automlpb.RegisterPredictionServiceServer(g.GRPC, predictionService{s: s})
	longrunningpb.RegisterOperationsServer(g.GRPC, s.lro)
	g.Serve()
	return s, nil
}

// Addr is the host:port the server listens on.
func (s *Server) Addr() string { return s.grpc.Addr() }

// ClientOptions point an AutoML client at the server, without TLS or credentials.
func (s *Server) ClientOptions() []option.ClientOption { return s.grpc.ClientOptions() }

// Close stops the server.
func (s *Server) Close() { s.grpc.Close() }

// FailNext makes the next calls of a method (see the Method constants) fail with the errors, in order.
func (s *Server) FailNext(method string, errs ...error) { s.grpc.FailNext(method, errs...) }

// Calls returns how many calls of a method the server received.
func (s *Server) Calls(method string) int { return s.grpc.Calls(method) }

// Settle completes every pending operation.
func (s *Server) Settle() { s.lro.Settle() }

// PendingOperations returns how many operations are not done.
func (s *Server) PendingOperations() int { return s.lro.Pending() }

// FailNextDeploy makes the next deploy operation that completes end with err instead of deploying.
func (s *Server) FailNextDeploy(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deployFails = append(s.deployFails, err)
}

// FailNextBatch makes the next batch prediction operation that completes end with err.
func (s *Server) FailNextBatch(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batchFails = append(s.batchFails, err)
}

// SetPredictor replaces Regression.
func (s *Server) SetPredictor(p Predictor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.predictor = p
}

// KeepPredictRequests turns recording of Predict requests off (for benchmarks) or back on.
func (s *Server) KeepPredictRequests(keep bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keepPredict = keep
}

// Model returns a copy of a model as GetModel would, or nil.
func (s *Server) Model(name string) *automlpb.Model {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.models[name]; ok {
		return proto.Clone(m).(*automlpb.Model)
	}
	return nil
}

// DeployRequests returns the DeployModel requests received, in order.
func (s *Server) DeployRequests() []*automlpb.DeployModelRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneAll(s.deploys)
}

// UndeployRequests returns the UndeployModel requests received, in order.
func (s *Server) UndeployRequests() []*automlpb.UndeployModelRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneAll(s.undeploys)
}

// PredictRequests returns the Predict requests received, in order of arrival.
func (s *Server) PredictRequests() []*automlpb.PredictRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneAll(s.predicts)
}

// BatchRequests returns the BatchPredict requests received, in order.
func (s *Server) BatchRequests() []*automlpb.BatchPredictRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneAll(s.batches)
}

func cloneAll[M proto.Message](ms []M) []M {
	out := make([]M, len(ms))
	for i, m := range ms {
		out[i] = proto.Clone(m).(M)
	}
	return out
}

// location returns projects/P/locations/L of a model name projects/P/locations/L/models/M.
func location(model string) (string, bool) {
	parts := strings.Split(model, "/")
	if len(parts) != 6 || parts[0] != "projects" || parts[2] != "locations" || parts[4] != "models" ||
		parts[1] == "" || parts[3] == "" || parts[5] == "" {
		return "", false
	}
	return strings.Join(parts[:4], "/"), true
}
