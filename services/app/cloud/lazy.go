package cloud

import (
	"context"
	"sync"

	"github.com/pltv/pltv/services/app"
)

// Lazy builds the services on first use and keeps them; a failed build is tried again on the next use,
// so that one transient error at a cold start does not leave an instance broken.
type Lazy struct {
	build func(ctx context.Context) (*app.App, error)
	mu    sync.Mutex
	app   *app.App
}

// NewLazy returns a Lazy over build.
func NewLazy(build func(ctx context.Context) (*app.App, error)) *Lazy { return &Lazy{build: build} }

// Get returns the services, building them if needed.
func (l *Lazy) Get(ctx context.Context) (*app.App, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.app != nil {
		return l.app, nil
	}
	a, err := l.build(context.WithoutCancel(ctx)) // the clients outlive the first request
	if err != nil {
		return nil, err
	}
	l.app = a
	return a, nil
}
