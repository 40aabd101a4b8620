package tracking

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Problem is a document that tracking could not read: one of an unknown shape, written by an older version or
// by hand. Operations report it, log it and skip the document.
type Problem struct {
	Path   string `json:"path"`   // collection/id
	Reason string `json:"reason"` // what is wrong with it
}

func (p Problem) String() string { return p.Path + ": " + p.Reason }

// report logs problems at warning level, one line each.
func report(ctx context.Context, log *slog.Logger, op string, problems ...Problem) {
	for _, p := range problems {
		log.WarnContext(ctx, "tracking: skipped a document of an unknown shape",
			"op", op, "path", p.Path, "reason", p.Reason)
	}
}

// reader decodes a document's fields, collecting what is wrong instead of failing at the first.
type reader struct {
	doc  Doc
	errs []string
}

func newReader(d Doc) *reader { return &reader{doc: d} }

func (r *reader) fail(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// problem returns the collected errors as a Problem, or nil when the document read cleanly.
func (r *reader) problem() *Problem {
	if len(r.errs) == 0 {
		return nil
	}
	return &Problem{Path: r.doc.Path(), Reason: strings.Join(r.errs, "; ")}
}

// value returns a field; a missing required field is an error.
func (r *reader) value(name string, required bool) (any, bool) {
	v, ok := r.doc.Fields[name]
	if (!ok || v == nil) && required {
		r.fail("missing field %q", name)
	}
	return v, ok && v != nil
}

func (r *reader) str(name string, required bool) string {
	v, ok := r.value(name, required)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		r.fail("field %q is %T, want string", name, v)
	}
	return s
}

func (r *reader) time(name string, required bool) time.Time {
	v, ok := r.value(name, required)
	if !ok {
		return time.Time{}
	}
	t, isTime := v.(time.Time)
	if !isTime {
		r.fail("field %q is %T, want timestamp", name, v)
	}
	return t
}

func (r *reader) int(name string, required bool) int64 {
	v, ok := r.value(name, required)
	if !ok {
		return 0
	}
	n, isInt := v.(int64)
	if !isInt {
		r.fail("field %q is %T, want integer", name, v)
	}
	return n
}

func (r *reader) bytes(name string, required bool) []byte {
	v, ok := r.value(name, required)
	if !ok {
		return nil
	}
	b, isBytes := v.([]byte)
	if !isBytes {
		r.fail("field %q is %T, want bytes", name, v)
	}
	return b
}

func (r *reader) fields(name string, required bool) map[string]any {
	v, ok := r.value(name, required)
	if !ok {
		return nil
	}
	m, isMap := v.(map[string]any)
	if !isMap {
		r.fail("field %q is %T, want map", name, v)
	}
	return m
}

// oneOf checks that a string field holds one of the allowed values.
func (r *reader) oneOf(name, value string, allowed ...string) {
	if _, ok := r.doc.Fields[name]; !ok {
		return // reported as missing
	}
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	r.fail("field %q is %q, want one of %s", name, value, strings.Join(allowed, ", "))
}

// date checks that a string field holds a YYYYMMDD date.
func (r *reader) date(name, value string) {
	if _, ok := r.doc.Fields[name]; !ok {
		return
	}
	if ValidDate(value) != nil {
		r.fail("field %q is %q, want a YYYYMMDD date", name, value)
	}
}
