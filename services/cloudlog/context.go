package cloudlog

import (
	"context"
	"log/slog"
	"sync"
)

// fields are what a context carries for the log lines written under it.
type fields struct {
	trace, span string
	attrs       []slog.Attr
	req         *request // the request's own attributes, shared by every context derived from it
}

// request holds the attributes set anywhere while handling one request, so that the lines its middleware
// writes after the handler carry them too (the run date a handler found in the event, above all).
type request struct {
	mu    sync.Mutex
	attrs []slog.Attr
}

func (r *request) set(a slog.Attr) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attrs = setAttr(r.attrs, a)
}

func (r *request) list() []slog.Attr {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]slog.Attr(nil), r.attrs...)
}

// NewRequest returns a context that starts one request's log scope: the run date set with WithDate under
// it shows up on every line written under this context, the lines written before the date was known excepted.
func NewRequest(ctx context.Context) context.Context {
	f := derive(ctx)
	f.req = &request{}
	return context.WithValue(ctx, ctxKey{}, f)
}

type ctxKey struct{}

func fromContext(ctx context.Context) *fields {
	f, _ := ctx.Value(ctxKey{}).(*fields)
	return f
}

// derive copies the context's fields, so that a child context never changes its parent's.
func derive(ctx context.Context) *fields {
	f := &fields{}
	if p := fromContext(ctx); p != nil {
		f.trace, f.span, f.req = p.trace, p.span, p.req
		f.attrs = append([]slog.Attr(nil), p.attrs...)
	}
	return f
}

// WithTrace returns a context whose log lines carry a trace and span id (as X-Cloud-Trace-Context or
// traceparent give them). Empty ids change nothing.
func WithTrace(ctx context.Context, trace, span string) context.Context {
	if trace == "" {
		return ctx
	}
	f := derive(ctx)
	f.trace, f.span = trace, span
	return context.WithValue(ctx, ctxKey{}, f)
}

// With returns a context whose log lines carry the attributes; a key set again replaces the earlier value.
func With(ctx context.Context, attrs ...slog.Attr) context.Context {
	if len(attrs) == 0 {
		return ctx
	}
	f := derive(ctx)
	for _, a := range attrs {
		f.attrs = setAttr(f.attrs, a)
	}
	return context.WithValue(ctx, ctxKey{}, f)
}

func setAttr(attrs []slog.Attr, a slog.Attr) []slog.Attr {
	for i := range attrs {
		if attrs[i].Key == a.Key {
			attrs[i] = a
			return attrs
		}
	}
	return append(attrs, a)
}

// KeyDate is the attribute naming the run date, the same key the pipeline's own log lines use.
const KeyDate = "date"

// WithDate returns a context whose log lines carry the run date; within a request scope (NewRequest) the
// request's later lines carry it too.
func WithDate(ctx context.Context, date string) context.Context {
	a := slog.String(KeyDate, date)
	if f := fromContext(ctx); f != nil && f.req != nil {
		f.req.set(a)
	}
	return With(ctx, a)
}

// Trace returns the trace id the context carries, "" when none.
func Trace(ctx context.Context) string {
	if f := fromContext(ctx); f != nil {
		return f.trace
	}
	return ""
}
