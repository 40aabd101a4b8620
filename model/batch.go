package model

import (
	"context"

	"github.com/pltv/pltv/warehouse"
)

// BatchJob predicts every row of one table.
type BatchJob struct {
	// Source is the table of rows, its columns the model's features (plus any the model ignores).
	Source warehouse.Ref
	// Destination is the dataset the output table is created in. Neither Vertex AI nor AutoML lets the
	// caller name the table itself; AutoML Tables even creates a dataset of its own in Destination's
	// project. BatchResult names the table that was written.
	Destination warehouse.Dataset
	// Labels are set on the job, like on every job pltv starts.
	Labels warehouse.Labels
}

// BatchResult describes a finished batch prediction.
type BatchResult struct {
	// Predictions is the table the predictions were written to.
	Predictions warehouse.Ref
	// Succeeded and Failed count the rows, when the service reports them (-1 when it does not).
	Succeeded, Failed int64
}

// BatchState is where a started batch prediction job stands.
type BatchState string

// The states of a batch prediction job.
const (
	BatchRunning   BatchState = "running"   // queued or running
	BatchSucceeded BatchState = "succeeded" // done; BatchStatus.Result names its output
	BatchFailed    BatchState = "failed"    // failed, cancelled or expired; BatchStatus.Reason says why
)

// BatchStatus is a started batch prediction job as its service reports it.
type BatchStatus struct {
	Name   string
	State  BatchState
	Result BatchResult // when succeeded
	Reason string      // when failed
}

// BatchStarter is implemented by drivers whose batch prediction jobs outlive a call (Vertex AI): the caller
// starts the job, returns, and polls it, so that no request is held open for the hours a job may take.
type BatchStarter interface {
	// StartBatch starts the job and returns its name at once. A job already started for the same labels
	// (the same deployment, stage and date) that has not failed is returned instead of a second one, so a
	// retried start never runs a date twice.
	StartBatch(ctx context.Context, job BatchJob) (string, error)
	// BatchStatus reports a job StartBatch started.
	BatchStatus(ctx context.Context, name string) (BatchStatus, error)
}
