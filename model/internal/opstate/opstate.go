// Package opstate derives a model's deployment state from what a cloud API shows: whether the model
// serves, and its deploy and undeploy operations. Neither Vertex AI nor AutoML has a "deploying" state on
// the model itself; the unfinished operation is the only trace of it.
package opstate

import (
	"time"

	"github.com/pltv/pltv/model"
)

// Kind is what an operation does.
type Kind int

// The kinds of operation that matter.
const (
	Other Kind = iota
	Deploy
	Undeploy
)

// Op is one operation on the model.
type Op struct {
	Kind    Kind
	Done    bool
	Created time.Time
	Err     string // the error an operation ended with; empty when it succeeded or is not done
}

// Status returns the state: undeploying or deploying while such an operation is unfinished (undeploying
// first), otherwise deployed when the model serves, failed when the newest deploy operation ended in an
// error and no undeploy started after it, and undeployed else.
func Status(serving bool, ops []Op) model.Status {
	var deploying, undeploying bool
	var lastDeploy *Op
	var lastUndeploy time.Time
	for i := range ops {
		op := &ops[i]
		switch op.Kind {
		case Deploy:
			deploying = deploying || !op.Done
			if lastDeploy == nil || op.Created.After(lastDeploy.Created) {
				lastDeploy = op
			}
		case Undeploy:
			undeploying = undeploying || !op.Done
			if op.Created.After(lastUndeploy) {
				lastUndeploy = op.Created
			}
		}
	}
	switch {
	case undeploying:
		return model.Status{State: model.Undeploying}
	case deploying:
		return model.Status{State: model.Deploying}
	case serving:
		return model.Status{State: model.Deployed}
	case lastDeploy != nil && lastDeploy.Err != "" && !lastUndeploy.After(lastDeploy.Created):
		return model.Status{State: model.Failed, Reason: lastDeploy.Err}
	}
	return model.Status{State: model.Undeployed}
}
