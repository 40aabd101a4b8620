package services

import (
	"context"

	"github.com/cloudevents/sdk-go/v2/event"
)

// Handler handles one CloudEvent: nil acknowledges it, an error has it delivered again. It is the signature
// functions.CloudEvent registers.
type Handler func(ctx context.Context, e event.Event) error

// Middleware wraps a Handler with one cross-cutting concern (logging, de-duplication, ...).
type Middleware func(Handler) Handler

// Chain wraps h with the middleware, the first one outermost: Chain(h, a, b) runs a, then b, then h.
func Chain(h Handler, mws ...Middleware) Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}
