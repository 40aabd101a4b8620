package automl_test

import (
	"context"
	"testing"
	"time"

	"cloud.google.com/go/automl/apiv1beta1/automlpb"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/automl"
	"github.com/pltv/pltv/model/internal/fakeautoml"
	"github.com/pltv/pltv/model/internal/testclock"
	"github.com/pltv/pltv/warehouse"
)

func TestBatchPredict(t *testing.T) {
	var srv *fakeautoml.Server
	clock := testclock.New(func(n int) {
		if n == 2 {
			srv.Settle() // the operation is done by the third check
		}
	})
	srv, m := start(t, automl.Config{Clock: clock, PollInterval: time.Minute}, nil)
	got, err := m.BatchPredict(context.Background(), model.BatchJob{
		Source:      warehouse.Ref{Dataset: "ltv", Table: "prepared_new_customers_daily_transactions_20110301"},
		Destination: warehouse.Dataset{Project: "client-project", Dataset: "ignored"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := model.BatchResult{
		Predictions: warehouse.Ref{Project: "client-project", Dataset: "prediction_TBL123_2020_07_10T00_00_00_000Z", Table: "predictions"},
		Succeeded:   -1, Failed: -1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("BatchPredict() (-want +got):\n%s", diff)
	}
	wantReq := &automlpb.BatchPredictRequest{
		Name: modelName,
		InputConfig: &automlpb.BatchPredictInputConfig{Source: &automlpb.BatchPredictInputConfig_BigquerySource{
			BigquerySource: &automlpb.BigQuerySource{InputUri: "bq://pltv-test.ltv.prepared_new_customers_daily_transactions_20110301"},
		}},
		OutputConfig: &automlpb.BatchPredictOutputConfig{Destination: &automlpb.BatchPredictOutputConfig_BigqueryDestination{
			BigqueryDestination: &automlpb.BigQueryDestination{OutputUri: "bq://client-project"},
		}},
	}
	if diff := cmp.Diff([]*automlpb.BatchPredictRequest{wantReq}, srv.BatchRequests(), protocmp.Transform()); diff != "" {
		t.Errorf("BatchPredict requests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]time.Duration{time.Minute, time.Minute}, clock.Waits()); diff != "" {
		t.Errorf("waits between checks (-want +got):\n%s", diff)
	}
}

func TestBatchPredictFailures(t *testing.T) {
	unavailable := status.Error(codes.Unavailable, "down")
	tests := []struct {
		name      string
		prepare   func(*fakeautoml.Server)
		wantErr   bool
		retryable bool
	}{
		{"operation fails on bad input", func(s *fakeautoml.Server) {
			s.FailNextBatch(status.Error(codes.InvalidArgument, "no column revenue"))
		}, true, false},
		{"operation fails on quota", func(s *fakeautoml.Server) {
			s.FailNextBatch(status.Error(codes.ResourceExhausted, "too many batch predictions"))
		}, true, true},
		{"start refused", func(s *fakeautoml.Server) {
			s.FailNext(fakeautoml.MethodBatchPredict, status.Error(codes.PermissionDenied, "no access to the table"))
		}, true, false},
		{"checks fail now and then", func(s *fakeautoml.Server) {
			s.FailNext(fakeautoml.MethodGetOperation, unavailable, unavailable)
		}, false, false},
		{"checks keep failing", func(s *fakeautoml.Server) {
			s.FailNext(fakeautoml.MethodGetOperation, unavailable, unavailable, unavailable, unavailable, unavailable, unavailable)
		}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, m := start(t, automl.Config{}, nil)
			tt.prepare(srv)
			_, err := m.BatchPredict(context.Background(), model.BatchJob{Source: warehouse.Ref{Dataset: "ltv", Table: "t"}})
			if (err != nil) != tt.wantErr || model.IsRetryable(err) != tt.retryable {
				t.Errorf("BatchPredict() = %v, want error %v, retryable %v", err, tt.wantErr, tt.retryable)
			}
		})
	}
}
