package vertex

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"
	"google.golang.org/api/iterator"
	"google.golang.org/grpc/status"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/gcperr"
	"github.com/pltv/pltv/warehouse"
)

// maxPollFailures is how many checks of a batch job in a row may fail with a retryable error before
// BatchPredict gives up on it.
const maxPollFailures = 5

var _ model.BatchStarter = (*Model)(nil)

// BatchPredict runs a new BatchPredictionJob from the source table to a new table in the destination
// dataset and polls it, PollInterval apart, until it ends.
func (m *Model) BatchPredict(ctx context.Context, job model.BatchJob) (model.BatchResult, error) {
	name, err := m.createJob(ctx, job)
	if err != nil {
		return model.BatchResult{}, err
	}
	done, err := m.awaitJob(ctx, name)
	if err != nil {
		return model.BatchResult{}, err
	}
	return batchResult(done)
}

// StartBatch creates a BatchPredictionJob from the source table to a new table in the destination dataset,
// on dedicated resources unless the model supports automatic ones, and returns its name. A job with the
// same labels that is queued, running or succeeded (ListBatchPredictionJobs, filtered on the labels) is
// returned instead.
func (m *Model) StartBatch(ctx context.Context, job model.BatchJob) (string, error) {
	if name, err := m.startedJob(ctx, job.Labels); name != "" || err != nil {
		return name, err
	}
	return m.createJob(ctx, job)
}

// createJob creates a BatchPredictionJob and returns its name.
func (m *Model) createJob(ctx context.Context, job model.BatchJob) (string, error) {
	src, dst := job.Source, job.Destination
	if src.Project == "" {
		src.Project = m.cfg.Project
	}
	if dst.Project == "" {
		dst.Project = m.cfg.Project
	}
	if src.Dataset == "" || src.Table == "" || dst.Dataset == "" {
		return "", fmt.Errorf("vertex batch predict: source table and destination dataset are required")
	}
	automatic, err := m.supportsAutomatic(ctx)
	if err != nil {
		return "", fmt.Errorf("batch predict: %w", err)
	}
	bj := &aiplatformpb.BatchPredictionJob{
		DisplayName: "pltv-" + src.Table,
		Model:       m.modelName,
		InputConfig: &aiplatformpb.BatchPredictionJob_InputConfig{
			InstancesFormat: "bigquery",
			Source: &aiplatformpb.BatchPredictionJob_InputConfig_BigquerySource{
				BigquerySource: &aiplatformpb.BigQuerySource{InputUri: "bq://" + src.String()},
			},
		},
		OutputConfig: &aiplatformpb.BatchPredictionJob_OutputConfig{
			PredictionsFormat: "bigquery",
			Destination: &aiplatformpb.BatchPredictionJob_OutputConfig_BigqueryDestination{
				BigqueryDestination: &aiplatformpb.BigQueryDestination{OutputUri: "bq://" + dst.Project + "." + dst.Dataset},
			},
		},
		DedicatedResources: m.batchResources(automatic),
		Labels:             job.Labels,
	}
	created, err := m.jobs.CreateBatchPredictionJob(ctx, &aiplatformpb.CreateBatchPredictionJobRequest{Parent: m.location, BatchPredictionJob: bj})
	if err != nil {
		return "", gcperr.Wrap("vertex batch predict "+src.String(), err)
	}
	m.log.InfoContext(ctx, "batch prediction started", "model", m.modelName, "source", src.String(), "job", created.GetName())
	return created.GetName(), nil
}

// startedJob finds the newest job with these labels that has not failed; "" when there is none (or no
// labels to find one by).
func (m *Model) startedJob(ctx context.Context, labels map[string]string) (string, error) {
	if len(labels) == 0 {
		return "", nil
	}
	terms := make([]string, 0, len(labels))
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		terms = append(terms, "labels."+k+"="+labels[k])
	}
	it := m.jobs.ListBatchPredictionJobs(ctx, &aiplatformpb.ListBatchPredictionJobsRequest{
		Parent: m.location, Filter: strings.Join(terms, " AND "),
	})
	var newest *aiplatformpb.BatchPredictionJob
	for {
		j, err := it.Next()
		if errors.Is(err, iterator.Done) {
			break
		}
		if err != nil {
			return "", gcperr.Wrap("vertex list batch prediction jobs", err)
		}
		if jobState(j.GetState()) == model.BatchFailed {
			continue
		}
		if newest == nil || j.GetCreateTime().AsTime().After(newest.GetCreateTime().AsTime()) {
			newest = j
		}
	}
	if newest == nil {
		return "", nil
	}
	m.log.InfoContext(ctx, "batch prediction already started", "model", m.modelName, "job", newest.GetName(), "state", newest.GetState().String())
	return newest.GetName(), nil
}

// BatchStatus reads a job.
func (m *Model) BatchStatus(ctx context.Context, name string) (model.BatchStatus, error) {
	j, err := m.jobs.GetBatchPredictionJob(ctx, &aiplatformpb.GetBatchPredictionJobRequest{Name: name})
	if err != nil {
		return model.BatchStatus{}, gcperr.Wrap("vertex get batch prediction job "+name, err)
	}
	st := model.BatchStatus{Name: name, State: jobState(j.GetState())}
	switch st.State {
	case model.BatchSucceeded:
		st.Result, err = batchResult(j)
	case model.BatchFailed:
		st.Reason = j.GetState().String()
		if e := j.GetError(); e != nil {
			st.Reason += ": " + status.ErrorProto(e).Error()
		}
	}
	return st, err
}

// jobState maps a job's state: PARTIALLY_SUCCEEDED counts as succeeded (its failed rows are in the output).
func jobState(s aiplatformpb.JobState) model.BatchState {
	switch s {
	case aiplatformpb.JobState_JOB_STATE_SUCCEEDED, aiplatformpb.JobState_JOB_STATE_PARTIALLY_SUCCEEDED:
		return model.BatchSucceeded
	case aiplatformpb.JobState_JOB_STATE_FAILED, aiplatformpb.JobState_JOB_STATE_CANCELLED, aiplatformpb.JobState_JOB_STATE_EXPIRED:
		return model.BatchFailed
	}
	return model.BatchRunning
}

func (m *Model) awaitJob(ctx context.Context, name string) (*aiplatformpb.BatchPredictionJob, error) {
	failures := 0
	for {
		j, err := m.jobs.GetBatchPredictionJob(ctx, &aiplatformpb.GetBatchPredictionJobRequest{Name: name})
		switch {
		case err != nil && gcperr.IsRetryableCode(gcperr.Code(err)) && failures < maxPollFailures && ctx.Err() == nil:
			failures++
		case err != nil:
			return nil, gcperr.Wrap("vertex get batch prediction job "+name, err)
		default:
			failures = 0
			switch j.GetState() {
			case aiplatformpb.JobState_JOB_STATE_SUCCEEDED, aiplatformpb.JobState_JOB_STATE_PARTIALLY_SUCCEEDED:
				return j, nil
			case aiplatformpb.JobState_JOB_STATE_FAILED, aiplatformpb.JobState_JOB_STATE_CANCELLED, aiplatformpb.JobState_JOB_STATE_EXPIRED:
				cause := status.ErrorProto(j.GetError())
				if cause == nil {
					cause = fmt.Errorf("no error reported")
				}
				return nil, gcperr.Wrap(fmt.Sprintf("vertex batch prediction job %s ended %s", name, j.GetState()), cause)
			}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("vertex batch prediction job %s: %w", name, ctx.Err())
		case <-m.cfg.Clock.After(m.cfg.PollInterval):
		}
	}
}

func batchResult(j *aiplatformpb.BatchPredictionJob) (model.BatchResult, error) {
	dataset := strings.TrimPrefix(j.GetOutputInfo().GetBigqueryOutputDataset(), "bq://")
	project, ds, ok := strings.Cut(dataset, ".")
	table := j.GetOutputInfo().GetBigqueryOutputTable()
	if !ok || table == "" {
		return model.BatchResult{}, fmt.Errorf("vertex batch prediction job %s: no BigQuery output in %v", j.GetName(), j.GetOutputInfo())
	}
	res := model.BatchResult{Predictions: warehouse.Ref{Project: project, Dataset: ds, Table: table}, Succeeded: -1, Failed: -1}
	if st := j.GetCompletionStats(); st != nil {
		res.Succeeded, res.Failed = st.GetSuccessfulCount(), st.GetFailedCount()
	}
	return res, nil
}
