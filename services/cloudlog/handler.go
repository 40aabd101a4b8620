package cloudlog

import (
	"context"
	"io"
	"log/slog"
)

// Keys Cloud Logging gives a meaning to in a structured log line.
const (
	KeySeverity = "severity"
	KeyMessage  = "message"
	KeyTrace    = "logging.googleapis.com/trace"
	KeySpanID   = "logging.googleapis.com/spanId"
)

// Options configure a Handler.
type Options struct {
	// Level is the lowest level written; slog.LevelInfo when nil.
	Level slog.Leveler
	// Project qualifies trace ids as Cloud Logging links them: projects/PROJECT/traces/TRACE. Without one the
	// bare trace id is written.
	Project string
}

// Handler is a slog.Handler writing Cloud Logging's structured JSON.
type Handler struct {
	inner   slog.Handler
	project string
}

var _ slog.Handler = (*Handler)(nil)

// NewHandler returns a Handler writing one JSON object per record to w.
func NewHandler(w io.Writer, opts Options) *Handler {
	inner := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: opts.Level, ReplaceAttr: replace})
	return &Handler{inner: inner, project: opts.Project}
}

// New returns a logger over NewHandler.
func New(w io.Writer, opts Options) *slog.Logger { return slog.New(NewHandler(w, opts)) }

// Enabled implements slog.Handler.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.inner.Enabled(ctx, l) }

// Handle adds the context's trace and attributes to the record, leaving out an attribute the record sets
// itself, and writes it.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	f := fromContext(ctx)
	if f == nil {
		return h.inner.Handle(ctx, r)
	}
	own := map[string]bool{}
	r.Attrs(func(a slog.Attr) bool { own[a.Key] = true; return true })
	var extra []slog.Attr
	attrs := f.attrs
	if f.req != nil {
		attrs = append(append([]slog.Attr(nil), attrs...), f.req.list()...)
	}
	for _, a := range attrs {
		if !own[a.Key] {
			extra = append(extra, a)
			own[a.Key] = true
		}
	}
	if f.trace != "" {
		trace := f.trace
		if h.project != "" {
			trace = "projects/" + h.project + "/traces/" + f.trace
		}
		extra = append(extra, slog.String(KeyTrace, trace))
		if f.span != "" {
			extra = append(extra, slog.String(KeySpanID, f.span))
		}
	}
	r = r.Clone()
	r.AddAttrs(extra...)
	return h.inner.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &Handler{inner: h.inner.WithAttrs(attrs), project: h.project}
}

// WithGroup implements slog.Handler.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{inner: h.inner.WithGroup(name), project: h.project}
}

// replace renames level and msg to Cloud Logging's severity and message.
func replace(groups []string, a slog.Attr) slog.Attr {
	if len(groups) > 0 {
		return a
	}
	switch a.Key {
	case slog.LevelKey:
		l, _ := a.Value.Any().(slog.Level)
		return slog.String(KeySeverity, Severity(l))
	case slog.MessageKey:
		a.Key = KeyMessage
	}
	return a
}

// Severity returns Cloud Logging's name for a level: DEBUG, INFO, WARNING or ERROR.
func Severity(l slog.Level) string {
	switch {
	case l < slog.LevelInfo:
		return "DEBUG"
	case l < slog.LevelWarn:
		return "INFO"
	case l < slog.LevelError:
		return "WARNING"
	}
	return "ERROR"
}
