// Package modeltest is the conformance suite of the model port. Every driver's tests call Run with a
// constructor of fresh fixtures and the Features the driver has; the suite checks deploy and undeploy
// idempotence, the state transitions, prediction arity and row order, the classification of failures as
// retryable or permanent, and batch prediction where the driver offers it.
package modeltest

import (
	"testing"

	"github.com/pltv/pltv/model"
)

// Fault is a failure a fixture can make happen, once, at the next matching call.
type Fault int

// The faults. The first four must come back retryable from Predict, the others permanent.
const (
	Unavailable       Fault = iota + 1 // the next prediction call meets 503 / UNAVAILABLE
	ResourceExhausted                  // the next prediction call meets 429 / RESOURCE_EXHAUSTED (quota)
	DeadlineExceeded                   // the next prediction call meets DEADLINE_EXCEEDED
	Aborted                            // the next prediction call meets ABORTED
	InvalidArgument                    // the service refuses the next prediction call as invalid
	WrongArity                         // the next prediction answer leaves the last row without a prediction
	WrongShape                         // the next prediction answer holds no value for the first row
	DeployFails                        // the next deployment to finish ends in failure
	BatchFails                         // the next batch prediction job fails
)

var faultNames = map[Fault]string{
	Unavailable: "unavailable", ResourceExhausted: "resource exhausted", DeadlineExceeded: "deadline exceeded",
	Aborted: "aborted", InvalidArgument: "invalid argument", WrongArity: "wrong arity", WrongShape: "wrong shape",
	DeployFails: "deploy fails", BatchFails: "batch fails",
}

func (f Fault) String() string { return faultNames[f] }

// Features says what a driver does, so the suite checks it and skips the rest.
type Features struct {
	// AsyncDeploy: Deploy and Undeploy leave the model Deploying or Undeploying until Fixture.Settle.
	// Without it, they take effect before returning.
	AsyncDeploy bool
	// Faults are the faults Fixture.Inject can cause. Tests of the others are skipped.
	Faults []Fault
	// BatchPredict: the driver runs batch predictions of Fixture.Batch. Without it, BatchPredict must
	// fail with model.ErrUnsupported.
	BatchPredict bool
}

func (f Features) has(fault Fault) bool {
	for _, x := range f.Faults {
		if x == fault {
			return true
		}
	}
	return false
}

// Fixture is one fresh, undeployed model under test. The constructor registers its cleanup with t.Cleanup.
type Fixture struct {
	Model model.Model
	// Instances is a valid batch of at least three distinct rows that the model takes.
	Instances model.Instances
	// Settle lets every deploy or undeploy that was started finish: a fake service completes its
	// operations, an in-process model moves its injected clock past the time a change takes. Required
	// with Features.AsyncDeploy.
	Settle func()
	// Inject causes a fault (one listed in Features.Faults) at the next matching call.
	Inject func(Fault)
	// Batch is a batch job the model can run, with Features.BatchPredict.
	Batch model.BatchJob
}

// NewFixture makes a fresh fixture for one test.
type NewFixture func(t *testing.T) Fixture

// Run runs the suite.
func Run(t *testing.T, newFixture NewFixture, f Features) {
	tests := []struct {
		name string
		run  func(t *testing.T, newFixture NewFixture, f Features)
	}{
		{"StartsUndeployed", testStartsUndeployed},
		{"PredictUndeployed", testPredictUndeployed},
		{"DeployIdempotent", testDeployIdempotent},
		{"UndeployIdempotent", testUndeployIdempotent},
		{"DeployFailure", testDeployFailure},
		{"WaitForDeployed", testWaitForDeployed},
		{"PredictArityAndOrder", testPredictArityAndOrder},
		{"PredictEmpty", testPredictEmpty},
		{"PredictManyRows", testPredictManyRows},
		{"PredictInvalidRows", testPredictInvalidRows},
		{"RetryableFaults", testRetryableFaults},
		{"PermanentFaults", testPermanentFaults},
		{"BatchPredict", testBatchPredict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, newFixture, f) })
	}
}
