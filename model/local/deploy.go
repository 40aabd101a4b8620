package local

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/pltv/pltv/model"
)

// deployment is the deployment state of one model file in this process.
type deployment struct {
	mu   sync.Mutex
	last *change // the last deploy or undeploy started; nil when there was none
}

// change is a deploy or undeploy, done from ready on.
type change struct {
	deploy  bool
	ready   time.Time
	file    *File  // deploy: the model to serve
	failure string // deploy: why the deployment fails, when it does
}

// deployments holds the state of every model deployed in this process, by the path of its file, so that
// every driver opened on a model agrees on its state.
var deployments = struct {
	sync.Mutex
	byPath map[string]*deployment
}{byPath: map[string]*deployment{}}

func deploymentOf(path string) *deployment {
	deployments.Lock()
	defer deployments.Unlock()
	d := deployments.byPath[path]
	if d == nil {
		d = &deployment{}
		deployments.byPath[path] = d
	}
	return d
}

// status derives the state at now from the last change. The caller holds d.mu.
func (d *deployment) status(now time.Time) model.Status {
	c := d.last
	switch {
	case c == nil:
		return model.Status{State: model.Undeployed}
	case !c.deploy && now.Before(c.ready):
		return model.Status{State: model.Undeploying}
	case !c.deploy:
		return model.Status{State: model.Undeployed}
	case now.Before(c.ready):
		return model.Status{State: model.Deploying}
	case c.failure != "":
		return model.Status{State: model.Failed, Reason: c.failure}
	}
	return model.Status{State: model.Deployed}
}

// serving returns the deployed model, or nil.
func (d *deployment) serving(now time.Time) *File {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.status(now).State != model.Deployed {
		return nil
	}
	return d.last.file
}

// State reports where the model stands.
func (m *Model) State(ctx context.Context) (model.Status, error) {
	if err := ctx.Err(); err != nil {
		return model.Status{}, fmt.Errorf("local model %s state: %w", m.opts.Name, err)
	}
	m.dep.mu.Lock()
	defer m.dep.mu.Unlock()
	return m.dep.status(m.opts.Clock.Now()), nil
}

// Deploy starts deploying the model: it reads the model file, and the model serves DeployTime later, or
// the deployment fails then when the file could not be read.
func (m *Model) Deploy(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("local model %s deploy: %w", m.opts.Name, err)
	}
	m.dep.mu.Lock()
	defer m.dep.mu.Unlock()
	now := m.opts.Clock.Now()
	switch m.dep.status(now).State {
	case model.Deployed, model.Deploying:
		return nil
	case model.Undeploying:
		return fmt.Errorf("local model %s deploy: %w (undeploying)", m.opts.Name, model.ErrBusy)
	}
	c := &change{deploy: true, ready: now.Add(m.opts.DeployTime)}
	f, err := m.load()
	if err != nil {
		c.failure = err.Error()
	}
	c.file = f
	m.dep.last = c
	m.log.InfoContext(ctx, "model deploy started", "model", m.opts.Name, "file", m.path, "ready_at", c.ready,
		"fails", c.failure)
	return nil
}

// Undeploy starts taking the model down; it is down UndeployTime later.
func (m *Model) Undeploy(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("local model %s undeploy: %w", m.opts.Name, err)
	}
	m.dep.mu.Lock()
	defer m.dep.mu.Unlock()
	now := m.opts.Clock.Now()
	switch m.dep.status(now).State {
	case model.Undeployed, model.Undeploying, model.Failed:
		return nil
	case model.Deploying:
		return fmt.Errorf("local model %s undeploy: %w (deploying)", m.opts.Name, model.ErrBusy)
	}
	m.dep.last = &change{ready: now.Add(m.opts.UndeployTime)}
	m.log.InfoContext(ctx, "model undeploy started", "model", m.opts.Name, "ready_at", m.dep.last.ready)
	return nil
}
