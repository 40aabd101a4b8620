// Package model is the port through which pltv deploys a trained model, asks it for predictions and takes it
// down again when it sits idle.
//
// The pipeline and the services talk only to the Model interface. Drivers live in sub-packages (vertex for
// Vertex AI, automl for the legacy AutoML Tables API, local for the model trained in Go) and every driver runs
// the shared conformance suite in modeltest.
//
// Deploying is slow on Google Cloud (minutes), so Deploy and Undeploy only start the change and return; the
// daily workflow polls State with sys.sleep, and Go callers that may block use WaitFor or DeployAndWait.
// Errors that a later retry may fix satisfy IsRetryable; rows that can never be predicted are named by
// RowError.
package model

import (
	"context"
	"errors"
	"fmt"
)

// Model is what pltv needs of a deployed prediction model.
type Model interface {
	// Deploy starts deploying the model and returns once the change is under way, without waiting for it.
	// It does nothing when the model is already deployed or deploying. A model that is being undeployed
	// cannot be deployed until that finishes: Deploy then returns ErrBusy, which is retryable.
	Deploy(ctx context.Context) error
	// State reports where the model stands.
	State(ctx context.Context) (Status, error)
	// Predict returns one prediction per row, in row order. Rows that can never be predicted make it fail
	// with RowError values naming them (see FailedRows); a model that is not deployed fails with
	// ErrNotDeployed.
	Predict(ctx context.Context, in Instances) ([]Prediction, error)
	// BatchPredict predicts every row of a table into a new table and returns once the job has finished.
	// Drivers that cannot do it return ErrUnsupported.
	BatchPredict(ctx context.Context, job BatchJob) (BatchResult, error)
	// Undeploy starts taking the model down and returns once the change is under way. It does nothing when
	// the model is already undeployed, undeploying, or failed to deploy. A deployment still in progress is
	// left alone: Undeploy then returns ErrBusy.
	Undeploy(ctx context.Context) error
	// Close releases the driver's connections.
	Close() error
}

// State is where a model stands in its deployment.
type State int

// The states of a model. Deploy moves Undeployed and Failed to Deploying, which ends in Deployed or Failed;
// Undeploy moves Deployed to Undeploying, which ends in Undeployed.
const (
	Undeployed State = iota
	Deploying
	Deployed
	Undeploying
	Failed
)

var stateNames = [...]string{"undeployed", "deploying", "deployed", "undeploying", "failed"}

// String returns the state's lower-case name, as the workflows compare it.
func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return fmt.Sprintf("State(%d)", int(s))
	}
	return stateNames[s]
}

// ParseState parses a state's name.
func ParseState(name string) (State, error) {
	for i, n := range stateNames {
		if n == name {
			return State(i), nil
		}
	}
	return 0, fmt.Errorf("unknown model state %q", name)
}

// MarshalText encodes the state by name, so JSON answers to the workflow read "deployed".
func (s State) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(stateNames) {
		return nil, fmt.Errorf("marshal model state: unknown state %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a state's name.
func (s *State) UnmarshalText(b []byte) error {
	v, err := ParseState(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Status is a model's state with the reason of a failed deployment.
type Status struct {
	State  State  `json:"state"`
	Reason string `json:"reason,omitempty"` // why the last deployment failed; empty unless State is Failed
}

// Sentinel errors, matched with errors.Is.
var (
	// ErrNotDeployed: the model must be deployed first.
	ErrNotDeployed = errors.New("model not deployed")
	// ErrBusy: another deploy or undeploy of the model is still in progress. Retryable.
	ErrBusy = errors.New("model deployment change in progress")
	// ErrDeployFailed: the deployment ended in the Failed state (WaitFor returns it).
	ErrDeployFailed = errors.New("model deployment failed")
	// ErrUnsupported: the driver does not offer the operation.
	ErrUnsupported = errors.New("not supported by this model driver")
)
