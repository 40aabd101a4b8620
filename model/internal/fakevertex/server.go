// Package fakevertex is an in-process Vertex AI for tests: the EndpointService (deploy and undeploy as
// long-running operations), the PredictionService and the JobService's batch prediction jobs, served over
// gRPC on loopback to the real client library. It checks what it is sent the way Vertex AI does where a
// driver could get it wrong, records every request, and fails calls on demand.
package fakevertex

import (
	"fmt"
	"strings"
	"sync"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"
	"cloud.google.com/go/longrunning/autogen/longrunningpb"
	"google.golang.org/api/option"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pltv/pltv/model/internal/fakegrpc"
	"github.com/pltv/pltv/model/internal/fakelro"
)

// Full gRPC method names, for FailNext and Calls.
const (
	MethodPredict                  = aiplatformpb.PredictionService_Predict_FullMethodName
	MethodDeployModel              = aiplatformpb.EndpointService_DeployModel_FullMethodName
	MethodUndeployModel            = aiplatformpb.EndpointService_UndeployModel_FullMethodName
	MethodGetEndpoint              = aiplatformpb.EndpointService_GetEndpoint_FullMethodName
	MethodCreateBatchPredictionJob = aiplatformpb.JobService_CreateBatchPredictionJob_FullMethodName
	MethodGetBatchPredictionJob    = aiplatformpb.JobService_GetBatchPredictionJob_FullMethodName
	MethodListOperations           = "/google.longrunning.Operations/ListOperations"
)

// Predictor answers one Predict request: one prediction per instance, or an error (a status error keeps
// its code). It may return the wrong number of predictions, to test how a driver copes.
type Predictor func(instances []*structpb.Value) ([]*structpb.Value, error)

// Server is a running fake Vertex AI.
type Server struct {
	grpc *fakegrpc.Server
	lro  *fakelro.Store

	mu          sync.Mutex
	endpoints   map[string]*aiplatformpb.Endpoint
	models      map[string]*aiplatformpb.Model
	nextID      int
	deployFails []error
	predictor   Predictor
	jobs        map[string]*job
	jobFails    []error
	batchRows   int64
	lists       int
	keepPredict bool

	deploys   []*aiplatformpb.DeployModelRequest
	undeploys []*aiplatformpb.UndeployModelRequest
	predicts  []*aiplatformpb.PredictRequest
	batches   []*aiplatformpb.CreateBatchPredictionJobRequest
}

// Start serves a fake Vertex AI with the given endpoints (full resource names,
// projects/P/locations/L/endpoints/E), empty, on 127.0.0.1, and no models (AddModel). Close it when done.
func Start(endpoints ...string) (*Server, error) {
	g, err := fakegrpc.New()
	if err != nil {
		return nil, err
	}
	s := &Server{
		grpc:        g,
		lro:         fakelro.NewStore(),
		endpoints:   map[string]*aiplatformpb.Endpoint{},
		models:      map[string]*aiplatformpb.Model{},
		nextID:      1000,
		predictor:   DefaultPredictor,
		jobs:        map[string]*job{},
		batchRows:   100,
		keepPredict: true,
	}
	for _, name := range endpoints {
		if _, _, ok := parent(name, "endpoints"); !ok {
			g.Close()
			return nil, fmt.Errorf("start fake Vertex AI: endpoint name %q is not projects/P/locations/L/endpoints/E", name)
		}
		s.endpoints[name] = &aiplatformpb.Endpoint{Name: name, DisplayName: name[strings.LastIndex(name, "/")+1:]}
	}
	aiplatformpb.RegisterEndpointServiceServer(g.GRPC, endpointService{s: s})
	aiplatformpb.RegisterPredictionServiceServer(g.GRPC, predictionService{s: s})
	aiplatformpb.RegisterJobServiceServer(g.GRPC, jobService{s: s})
	aiplatformpb.RegisterModelServiceServer(g.GRPC, modelService{s: s})
	longrunningpb.RegisterOperationsServer(g.GRPC, s.lro)
	g.Serve()
	return s, nil
}

// Addr is the host:port the server listens on.
func (s *Server) Addr() string { return s.grpc.Addr() }

// ClientOptions point a Vertex AI client at the server, without TLS or credentials.
func (s *Server) ClientOptions() []option.ClientOption { return s.grpc.ClientOptions() }

// Close stops the server.
func (s *Server) Close() { s.grpc.Close() }

// FailNext makes the next calls of a method (see the Method constants) fail with the errors, in order.
func (s *Server) FailNext(method string, errs ...error) { s.grpc.FailNext(method, errs...) }

// Calls returns how many calls of a method the server received.
func (s *Server) Calls(method string) int { return s.grpc.Calls(method) }

// Settle completes every pending deploy and undeploy operation.
func (s *Server) Settle() { s.lro.Settle() }

// PendingOperations returns how many operations are not done.
func (s *Server) PendingOperations() int { return s.lro.Pending() }

// FailNextDeploy makes the next deploy operation that completes end with err instead of deploying.
func (s *Server) FailNextDeploy(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deployFails = append(s.deployFails, err)
}

// SetPredictor replaces DefaultPredictor.
func (s *Server) SetPredictor(p Predictor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.predictor = p
}

// Endpoint returns a copy of an endpoint as GetEndpoint would, or nil.
func (s *Server) Endpoint(name string) *aiplatformpb.Endpoint {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.endpoints[name]; ok {
		return proto.Clone(e).(*aiplatformpb.Endpoint)
	}
	return nil
}

// DeployRequests returns the DeployModel requests received, in order.
func (s *Server) DeployRequests() []*aiplatformpb.DeployModelRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneAll(s.deploys)
}

// UndeployRequests returns the UndeployModel requests received, in order.
func (s *Server) UndeployRequests() []*aiplatformpb.UndeployModelRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneAll(s.undeploys)
}

// PredictRequests returns the Predict requests received, in order of arrival.
func (s *Server) PredictRequests() []*aiplatformpb.PredictRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneAll(s.predicts)
}

// BatchRequests returns the CreateBatchPredictionJob requests received, in order.
func (s *Server) BatchRequests() []*aiplatformpb.CreateBatchPredictionJobRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneAll(s.batches)
}

// KeepPredictRequests turns off recording of Predict requests (for benchmarks) or back on.
func (s *Server) KeepPredictRequests(keep bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keepPredict = keep
}

func cloneAll[M proto.Message](ms []M) []M {
	out := make([]M, len(ms))
	for i, m := range ms {
		out[i] = proto.Clone(m).(M)
	}
	return out
}

// parent splits projects/P/locations/L/<collection>/ID into its location parent and ID.
func parent(name, collection string) (location, id string, ok bool) {
	parts := strings.Split(name, "/")
	if len(parts) != 6 || parts[0] != "projects" || parts[2] != "locations" || parts[4] != collection ||
		parts[1] == "" || parts[3] == "" || parts[5] == "" {
		return "", "", false
	}
	return strings.Join(parts[:4], "/"), parts[5], true
}
