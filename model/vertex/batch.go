package vertex

import (
	"context"
	"fmt"
	"strings"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"
	"google.golang.org/grpc/status"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/gcperr"
	"github.com/pltv/pltv/warehouse"
)

// maxPollFailures is how many checks of a batch job in a row may fail with a retryable error before
// BatchPredict gives up on it.
const maxPollFailures = 5

// BatchPredict runs a BatchPredictionJob from the source table to a new table in the destination dataset
// and polls it, PollInterval apart, until it ends.
func (m *Model) BatchPredict(ctx context.Context, job model.BatchJob) (model.BatchResult, error) {
	src, dst := job.Source, job.Destination
	if src.Project == "" {
		src.Project = m.cfg.Project
	}
	if dst.Project == "" {
		dst.Project = m.cfg.Project
	}
	if src.Dataset == "" || src.Table == "" || dst.Dataset == "" {
		return model.BatchResult{}, fmt.Errorf("vertex batch predict: source table and destination dataset are required")
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
		Labels: job.Labels,
	}
	automatic, err := m.supportsAutomatic(ctx)
	if err != nil {
		return model.BatchResult{}, fmt.Errorf("batch predict: %w", err)
	}
	bj.DedicatedResources = m.batchResources(automatic)
	created, err := m.jobs.CreateBatchPredictionJob(ctx, &aiplatformpb.CreateBatchPredictionJobRequest{Parent: m.location, BatchPredictionJob: bj})
	if err != nil {
		return model.BatchResult{}, gcperr.Wrap("vertex batch predict "+src.String(), err)
	}
	m.log.InfoContext(ctx, "batch prediction started", "model", m.modelName, "source", src.String(), "job", created.GetName())
	done, err := m.awaitJob(ctx, created.GetName())
	if err != nil {
		return model.BatchResult{}, err
	}
	return batchResult(done)
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
