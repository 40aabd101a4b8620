package automl

import (
	"context"
	"fmt"
	"strings"

	"cloud.google.com/go/automl/apiv1beta1/automlpb"
	gax "github.com/googleapis/gax-go/v2"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/gcperr"
	"github.com/pltv/pltv/warehouse"
)

// noRetry turns off the client library's own retries with backoff on the real clock.
var noRetry = gax.WithRetry(func() gax.Retryer { return nil })

// maxPollFailures is how many checks of a batch prediction in a row may fail with a retryable error
// before BatchPredict gives up on it.
const maxPollFailures = 5

// BatchPredict runs a batch prediction from the source table and polls it, PollInterval apart, until it
// ends. AutoML creates a dataset of its own (prediction_<model>_<time>) in the destination's project and
// writes the predictions table there; the result names it. Row counts are not reported (-1).
func (m *Model) BatchPredict(ctx context.Context, job model.BatchJob) (model.BatchResult, error) {
	src, project := job.Source, job.Destination.Project
	if src.Project == "" {
		src.Project = m.cfg.Project
	}
	if project == "" {
		project = m.cfg.Project
	}
	if src.Dataset == "" || src.Table == "" {
		return model.BatchResult{}, fmt.Errorf("automl batch predict: a source table is required")
	}
	op, err := m.predictions.BatchPredict(ctx, &automlpb.BatchPredictRequest{
		Name: m.name,
		InputConfig: &automlpb.BatchPredictInputConfig{Source: &automlpb.BatchPredictInputConfig_BigquerySource{
			BigquerySource: &automlpb.BigQuerySource{InputUri: "bq://" + src.String()},
		}},
		OutputConfig: &automlpb.BatchPredictOutputConfig{Destination: &automlpb.BatchPredictOutputConfig_BigqueryDestination{
			BigqueryDestination: &automlpb.BigQueryDestination{OutputUri: "bq://" + project},
		}},
	})
	if err != nil {
		return model.BatchResult{}, gcperr.Wrap("automl batch predict "+src.String(), err)
	}
	m.log.InfoContext(ctx, "batch prediction started", "model", m.name, "source", src.String(), "operation", op.Name())
	failures := 0
	for {
		_, err := op.Poll(ctx, noRetry) // this loop retries, on the injected clock
		switch {
		case err != nil && op.Done():
			return model.BatchResult{}, gcperr.Wrap("automl batch prediction "+op.Name(), err)
		case err != nil && gcperr.IsRetryableCode(gcperr.Code(err)) && failures < maxPollFailures && ctx.Err() == nil:
			failures++
		case err != nil:
			return model.BatchResult{}, gcperr.Wrap("automl check batch prediction "+op.Name(), err)
		case op.Done():
			return batchResult(op.Name(), op.Metadata)
		default:
			failures = 0
		}
		select {
		case <-ctx.Done():
			return model.BatchResult{}, fmt.Errorf("automl batch prediction %s: %w", op.Name(), ctx.Err())
		case <-m.cfg.Clock.After(m.cfg.PollInterval):
		}
	}
}

func batchResult(name string, metadata func() (*automlpb.OperationMetadata, error)) (model.BatchResult, error) {
	md, err := metadata()
	if err != nil {
		return model.BatchResult{}, fmt.Errorf("automl batch prediction %s metadata: %w", name, err)
	}
	out := strings.TrimPrefix(md.GetBatchPredictDetails().GetOutputInfo().GetBigqueryOutputDataset(), "bq://")
	project, dataset, ok := strings.Cut(out, ".")
	if !ok || dataset == "" {
		return model.BatchResult{}, fmt.Errorf("automl batch prediction %s: no BigQuery output dataset in %v", name, md)
	}
	return model.BatchResult{
		Predictions: warehouse.Ref{Project: project, Dataset: dataset, Table: "predictions"},
		Succeeded:   -1, Failed: -1,
	}, nil
}
