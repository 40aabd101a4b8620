package fakevertex

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

type jobService struct {
	aiplatformpb.UnimplementedJobServiceServer
	s *Server
}

// job is a batch prediction job and the error it is to end with (nil: it succeeds).
type job struct {
	pb   *aiplatformpb.BatchPredictionJob
	fail error
}

// FailNextBatch makes the next batch prediction job created end in JOB_STATE_FAILED with err.
func (s *Server) FailNextBatch(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobFails = append(s.jobFails, err)
}

// SetBatchRows sets the row count that succeeding jobs report (100 by default).
func (s *Server) SetBatchRows(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batchRows = n
}

func (j jobService) CreateBatchPredictionJob(_ context.Context, req *aiplatformpb.CreateBatchPredictionJobRequest) (*aiplatformpb.BatchPredictionJob, error) {
	s := j.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batches = append(s.batches, proto.Clone(req).(*aiplatformpb.CreateBatchPredictionJobRequest))
	b := req.GetBatchPredictionJob()
	if err := checkJob(req.GetParent(), b); err != nil {
		return nil, err
	}
	if d := b.GetDedicatedResources(); d != nil && (d.GetMachineSpec().GetMachineType() == "" ||
		d.GetMaxReplicaCount() != 0 && d.GetMaxReplicaCount() < d.GetStartingReplicaCount()) {
		return nil, status.Error(codes.InvalidArgument, "dedicated_resources need a machine type and max_replica_count >= starting_replica_count")
	}
	if err := s.checkResources(b.GetModel(), b.GetDedicatedResources() == nil, b.GetDedicatedResources() != nil); err != nil {
		return nil, err
	}
	pb := proto.Clone(b).(*aiplatformpb.BatchPredictionJob)
	pb.Name = fmt.Sprintf("%s/batchPredictionJobs/%d", req.GetParent(), len(s.jobs)+1)
	pb.State = aiplatformpb.JobState_JOB_STATE_PENDING
	pb.CreateTime = timestamppb.New(s.lro.Now())
	jb := &job{pb: pb}
	if len(s.jobFails) > 0 {
		jb.fail, s.jobFails = s.jobFails[0], s.jobFails[1:]
	}
	s.jobs[pb.Name] = jb
	return proto.Clone(pb).(*aiplatformpb.BatchPredictionJob), nil
}

func checkJob(parentName string, b *aiplatformpb.BatchPredictionJob) error {
	loc, _, ok := parent(b.GetModel(), "models")
	switch {
	case !ok:
		return status.Errorf(codes.InvalidArgument, "model %q is not projects/P/locations/L/models/M", b.GetModel())
	case loc != parentName:
		return status.Errorf(codes.InvalidArgument, "model %s is not in %s", b.GetModel(), parentName)
	case b.GetDisplayName() == "":
		return status.Error(codes.InvalidArgument, "display_name is required")
	case b.GetInputConfig().GetInstancesFormat() != "bigquery" || !strings.HasPrefix(b.GetInputConfig().GetBigquerySource().GetInputUri(), "bq://"):
		return status.Errorf(codes.InvalidArgument, "input must be bigquery from a bq:// table, got %v", b.GetInputConfig())
	case b.GetOutputConfig().GetPredictionsFormat() != "bigquery" || !strings.HasPrefix(b.GetOutputConfig().GetBigqueryDestination().GetOutputUri(), "bq://"):
		return status.Errorf(codes.InvalidArgument, "output must be bigquery to a bq:// destination, got %v", b.GetOutputConfig())
	}
	return nil
}

// GetBatchPredictionJob moves the job one step on each call: PENDING, RUNNING, then SUCCEEDED or FAILED.
func (j jobService) GetBatchPredictionJob(_ context.Context, req *aiplatformpb.GetBatchPredictionJobRequest) (*aiplatformpb.BatchPredictionJob, error) {
	s := j.s
	s.mu.Lock()
	defer s.mu.Unlock()
	jb, ok := s.jobs[req.GetName()]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "batch prediction job %q not found", req.GetName())
	}
	switch pb := jb.pb; pb.State {
	case aiplatformpb.JobState_JOB_STATE_PENDING:
		pb.State = aiplatformpb.JobState_JOB_STATE_RUNNING
	case aiplatformpb.JobState_JOB_STATE_RUNNING:
		pb.EndTime = timestamppb.New(s.lro.Now())
		if jb.fail != nil {
			pb.State = aiplatformpb.JobState_JOB_STATE_FAILED
			pb.Error = status.Convert(jb.fail).Proto()
			break
		}
		pb.State = aiplatformpb.JobState_JOB_STATE_SUCCEEDED
		dataset := strings.TrimPrefix(pb.GetOutputConfig().GetBigqueryDestination().GetOutputUri(), "bq://")
		if !strings.Contains(dataset, ".") { // a project only: Vertex AI creates a dataset
			dataset += ".prediction_" + strings.ReplaceAll(pb.GetDisplayName(), "-", "_") + "_2020_07_10T00_00_00_000Z"
		}
		pb.OutputInfo = &aiplatformpb.BatchPredictionJob_OutputInfo{
			OutputLocation:      &aiplatformpb.BatchPredictionJob_OutputInfo_BigqueryOutputDataset{BigqueryOutputDataset: "bq://" + dataset},
			BigqueryOutputTable: "predictions_2020_07_10T00_00_00_000Z",
		}
		pb.CompletionStats = &aiplatformpb.CompletionStats{SuccessfulCount: s.batchRows}
	}
	return proto.Clone(jb.pb).(*aiplatformpb.BatchPredictionJob), nil
}

// labelTermRE is one term of the list filter the fake understands: labels.key=value.
var labelTermRE = regexp.MustCompile(`^labels\.([a-z][a-z0-9_-]*)=("?)([a-z0-9_-]*)"?$`)

// ListBatchPredictionJobs lists the jobs of a location; the filter may be a conjunction of label equalities
// (labels.k=v AND ...), as Vertex AI's list filter allows; anything else is refused.
func (j jobService) ListBatchPredictionJobs(_ context.Context, req *aiplatformpb.ListBatchPredictionJobsRequest) (*aiplatformpb.ListBatchPredictionJobsResponse, error) {
	want := map[string]string{}
	if f := strings.TrimSpace(req.GetFilter()); f != "" {
		for _, term := range strings.Split(f, " AND ") {
			m := labelTermRE.FindStringSubmatch(strings.TrimSpace(term))
			if m == nil {
				return nil, status.Errorf(codes.InvalidArgument, "the fake filters on labels.key=value terms joined by AND, got %q", f)
			}
			want[m[1]] = m[3]
		}
	}
	s := j.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lists++
	resp := &aiplatformpb.ListBatchPredictionJobsResponse{}
	for _, name := range slices.Sorted(maps.Keys(s.jobs)) {
		pb := s.jobs[name].pb
		if !strings.HasPrefix(name, req.GetParent()+"/") {
			continue
		}
		match := true
		for k, v := range want {
			match = match && pb.GetLabels()[k] == v
		}
		if match {
			resp.BatchPredictionJobs = append(resp.BatchPredictionJobs, proto.Clone(pb).(*aiplatformpb.BatchPredictionJob))
		}
	}
	return resp, nil
}

// ListRequests returns how many ListBatchPredictionJobs calls the server answered.
func (s *Server) ListRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lists
}
