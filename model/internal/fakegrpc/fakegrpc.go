// Package fakegrpc runs the in-process gRPC servers that stand in for Google APIs in the model drivers'
// tests: a loopback listener, the client options that reach it without credentials, and a unary
// interceptor that counts calls and fails the next ones on demand.
package fakegrpc

import (
	"context"
	"fmt"
	"net"
	"sync"

	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// Server is a gRPC server on 127.0.0.1.
type Server struct {
	GRPC *grpc.Server
	lis  net.Listener

	mu     sync.Mutex
	faults map[string][]error // full method name → errors to answer the next calls with
	calls  map[string]int
	served bool
	done   chan struct{}
}

// New listens on a free loopback port. Register services on GRPC, then call Serve.
func New() (*Server, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for a fake gRPC server: %w", err)
	}
	s := &Server{lis: lis, faults: map[string][]error{}, calls: map[string]int{}, done: make(chan struct{})}
	s.GRPC = grpc.NewServer(grpc.UnaryInterceptor(s.intercept))
	return s, nil
}

// Serve starts answering calls in the background.
func (s *Server) Serve() {
	s.mu.Lock()
	s.served = true
	s.mu.Unlock()
	go func() {
		defer close(s.done)
		_ = s.GRPC.Serve(s.lis) // returns when Close stops the server
	}()
}

// Addr is the host:port clients dial.
func (s *Server) Addr() string { return s.lis.Addr().String() }

// ClientOptions point a Google client library at the server, without TLS or credentials.
func (s *Server) ClientOptions() []option.ClientOption {
	return []option.ClientOption{
		option.WithEndpoint(s.Addr()),
		option.WithoutAuthentication(),
		option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())),
	}
}

// FailNext makes the next calls of the method (its full name, e.g.
// "/google.cloud.aiplatform.v1.PredictionService/Predict") fail with the errors, one per call, in order.
func (s *Server) FailNext(method string, errs ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], errs...)
}

// Calls returns how many calls of the method the server received, failed ones included.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// Close stops the server at once and waits for it.
func (s *Server) Close() {
	s.GRPC.Stop()
	s.mu.Lock()
	served := s.served
	s.mu.Unlock()
	if !served {
		_ = s.lis.Close() // Serve owns the listener once called
		return
	}
	<-s.done
}

func (s *Server) intercept(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	s.mu.Lock()
	s.calls[info.FullMethod]++
	var fault error
	if q := s.faults[info.FullMethod]; len(q) > 0 {
		fault, s.faults[info.FullMethod] = q[0], q[1:]
	}
	s.mu.Unlock()
	if fault != nil {
		return nil, fault
	}
	return handler(ctx, req)
}
