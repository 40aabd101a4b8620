package vertex_test

import (
	"context"
	"testing"
	"time"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/fakevertex"
	"github.com/pltv/pltv/model/internal/testclock"
	"github.com/pltv/pltv/model/vertex"
	"github.com/pltv/pltv/warehouse"
)

func TestBatchPredictRequest(t *testing.T) {
	clock := testclock.New(nil)
	cfg := withNames(vertex.Config{Clock: clock, PollInterval: time.Minute, MachineType: "n1-standard-4", MaxReplicas: 2})
	srv, m := start(t, cfg)
	srv.SetBatchRows(4321)
	job := model.BatchJob{
		Source:      warehouse.Ref{Dataset: "ltv", Table: "prepared_new_customers_daily_transactions_20110301"},
		Destination: warehouse.Dataset{Project: "client-project", Dataset: "ltv_out"},
		Labels:      warehouse.JobLabels("test", "predict", "20110301"),
	}
	got, err := m.BatchPredict(context.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	want := model.BatchResult{
		Predictions: warehouse.Ref{Project: "client-project", Dataset: "ltv_out", Table: "predictions_2020_07_10T00_00_00_000Z"},
		Succeeded:   4321,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("BatchPredict() (-want +got):\n%s", diff)
	}
	wantReq := &aiplatformpb.CreateBatchPredictionJobRequest{
		Parent: "projects/pltv-test/locations/europe-west1",
		BatchPredictionJob: &aiplatformpb.BatchPredictionJob{
			DisplayName: "pltv-prepared_new_customers_daily_transactions_20110301",
			Model:       modelName,
			InputConfig: &aiplatformpb.BatchPredictionJob_InputConfig{
				InstancesFormat: "bigquery",
				Source: &aiplatformpb.BatchPredictionJob_InputConfig_BigquerySource{BigquerySource: &aiplatformpb.BigQuerySource{
					InputUri: "bq://pltv-test.ltv.prepared_new_customers_daily_transactions_20110301",
				}},
			},
			OutputConfig: &aiplatformpb.BatchPredictionJob_OutputConfig{
				PredictionsFormat: "bigquery",
				Destination: &aiplatformpb.BatchPredictionJob_OutputConfig_BigqueryDestination{BigqueryDestination: &aiplatformpb.BigQueryDestination{
					OutputUri: "bq://client-project.ltv_out",
				}},
			},
			DedicatedResources: &aiplatformpb.BatchDedicatedResources{
				MachineSpec: &aiplatformpb.MachineSpec{MachineType: "n1-standard-4"}, StartingReplicaCount: 1, MaxReplicaCount: 2,
			},
			Labels: map[string]string{"pltv_deployment": "test", "pltv_stage": "predict", "pltv_date": "20110301"},
		},
	}
	if diff := cmp.Diff([]*aiplatformpb.CreateBatchPredictionJobRequest{wantReq}, srv.BatchRequests(), protocmp.Transform()); diff != "" {
		t.Errorf("CreateBatchPredictionJob requests (-want +got):\n%s", diff)
	}
	// The job is pending, then running, then done: two checks and one wait between them.
	if diff := cmp.Diff([]time.Duration{time.Minute}, clock.Waits()); diff != "" {
		t.Errorf("waits between checks (-want +got):\n%s", diff)
	}
}

func TestBatchPredictFailures(t *testing.T) {
	tests := []struct {
		name      string
		prepare   func(*fakevertex.Server)
		wantErr   bool
		retryable bool
	}{
		{"job fails on bad input", func(s *fakevertex.Server) {
			s.FailNextBatch(status.Error(codes.InvalidArgument, "no column revenue"))
		}, true, false},
		{"job fails on quota", func(s *fakevertex.Server) {
			s.FailNextBatch(status.Error(codes.ResourceExhausted, "too many concurrent jobs"))
		}, true, true},
		{"create refused as unavailable", func(s *fakevertex.Server) {
			s.FailNext(fakevertex.MethodCreateBatchPredictionJob, status.Error(codes.Unavailable, "down"))
		}, true, true},
		{"checks fail now and then", func(s *fakevertex.Server) {
			s.FailNext(fakevertex.MethodGetBatchPredictionJob, status.Error(codes.Unavailable, "down"), status.Error(codes.Unavailable, "down"))
		}, false, false},
		{"checks keep failing", func(s *fakevertex.Server) {
			for range 6 {
				s.FailNext(fakevertex.MethodGetBatchPredictionJob, status.Error(codes.Unavailable, "down"))
			}
		}, true, true},
		{"job lost", func(s *fakevertex.Server) {
			s.FailNext(fakevertex.MethodGetBatchPredictionJob, status.Error(codes.NotFound, "no such job"))
		}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, m := start(t, withNames(vertex.Config{}))
			tt.prepare(srv)
			_, err := m.BatchPredict(context.Background(), model.BatchJob{
				Source:      warehouse.Ref{Project: project, Dataset: "ltv", Table: "t"},
				Destination: warehouse.Dataset{Dataset: "out"},
			})
			if (err != nil) != tt.wantErr || model.IsRetryable(err) != tt.retryable {
				t.Errorf("BatchPredict() = %v, want error %v, retryable %v", err, tt.wantErr, tt.retryable)
			}
		})
	}
}

func TestBatchPredictNeedsTables(t *testing.T) {
	_, m := start(t, withNames(vertex.Config{}))
	if _, err := m.BatchPredict(context.Background(), model.BatchJob{Source: warehouse.Ref{Dataset: "ltv"}}); err == nil {
		t.Error("BatchPredict() without a source table succeeded")
	}
}

// TestBatchPredictResources checks the job's resources: dedicated ones (n1-standard-2, one replica, as in
// Google's SDK) for a model that does not support automatic resources, which Vertex AI requires; none for a
// model that does.
func TestBatchPredictResources(t *testing.T) {
	for _, tc := range []struct {
		name  string
		types []aiplatformpb.Model_DeploymentResourcesType
		want  *aiplatformpb.BatchDedicatedResources
	}{
		{"dedicated only", []aiplatformpb.Model_DeploymentResourcesType{fakevertex.Dedicated},
			&aiplatformpb.BatchDedicatedResources{MachineSpec: &aiplatformpb.MachineSpec{MachineType: "n1-standard-2"},
				StartingReplicaCount: 1, MaxReplicaCount: 1}},
		{"automatic too", []aiplatformpb.Model_DeploymentResourcesType{fakevertex.Dedicated, fakevertex.Automatic}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, m := start(t, vertex.Config{})
			srv.AddModel(modelName, tc.types...)
			job := model.BatchJob{Source: warehouse.Ref{Dataset: "ltv", Table: "t"}, Destination: warehouse.Dataset{Dataset: "out"}}
			if _, err := m.BatchPredict(context.Background(), job); err != nil {
				t.Fatal(err)
			}
			reqs := srv.BatchRequests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests", len(reqs))
			}
			if diff := cmp.Diff(tc.want, reqs[0].GetBatchPredictionJob().GetDedicatedResources(), protocmp.Transform()); diff != "" {
				t.Errorf("dedicated resources (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStartBatchOncePerDate: a retried start finds the job already created for the date's labels, and a
// failed job is started again.
func TestStartBatchOncePerDate(t *testing.T) {
	srv, m := start(t, vertex.Config{})
	ctx := context.Background()
	job := model.BatchJob{
		Source:      warehouse.Ref{Dataset: "ltv", Table: "prepared_new_customers_daily_transactions_20110301"},
		Destination: warehouse.Dataset{Dataset: "ltv"},
		Labels:      warehouse.JobLabels("test", "predict", "20110301"),
	}
	first, err := m.StartBatch(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	again, err := m.StartBatch(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	other := job
	other.Labels = warehouse.JobLabels("test", "predict", "20110302")
	if _, err := m.StartBatch(ctx, other); err != nil {
		t.Fatal(err)
	}
	if again != first || len(srv.BatchRequests()) != 2 {
		t.Fatalf("starts gave %s then %s with %d jobs created, want one job per date", first, again, len(srv.BatchRequests()))
	}
	var st model.BatchStatus
	for range 3 {
		if st, err = m.BatchStatus(ctx, first); err != nil {
			t.Fatal(err)
		}
	}
	if st.State != model.BatchSucceeded || st.Result.Succeeded != 100 || st.Result.Predictions.Table == "" {
		t.Errorf("status after the job ran = %+v", st)
	}

	srv.FailNextBatch(status.Error(codes.InvalidArgument, "bad input"))
	failing := job
	failing.Labels = warehouse.JobLabels("test", "predict", "20110303")
	name, err := m.StartBatch(ctx, failing)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if st, err = m.BatchStatus(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	if st.State != model.BatchFailed || st.Reason == "" {
		t.Errorf("status of the failed job = %+v", st)
	}
	retried, err := m.StartBatch(ctx, failing)
	if err != nil {
		t.Fatal(err)
	}
	if retried == name {
		t.Error("a failed job was returned instead of a new one")
	}
}
