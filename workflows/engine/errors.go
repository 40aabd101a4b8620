package engine

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pltv/pltv/workflows/engine/internal/value"
)

// TraceEntry is one level of the stack an error went through: the step that was running, in which
// subworkflow, at which line of the source.
type TraceEntry struct {
	Subworkflow string `json:"subworkflow"`
	Step        string `json:"step"`
	Line        int    `json:"line"`
}

// raised is an exception on its way up through the steps, with where it happened.
type raised struct {
	exc       *value.Exception
	trace     []TraceEntry // innermost first
	leftFrame bool         // it left a subworkflow: the calling step adds itself to the trace
}

func (r *raised) Error() string { return r.exc.Error() }
func (r *raised) Unwrap() error { return r.exc }

// locate attaches the step to an exception that does not know where it happened yet.
func locate(err error, s *step) error {
	switch e := err.(type) {
	case *raised:
		if e.leftFrame {
			e.trace = append(e.trace, TraceEntry{Subworkflow: s.sub, Step: s.name, Line: s.line})
			e.leftFrame = false
		}
		return e
	case *value.Exception:
		return &raised{exc: e, trace: []TraceEntry{{Subworkflow: s.sub, Step: s.name, Line: s.line}}}
	}
	return err
}

// asRaised returns the exception an error carries, if the workflow can catch it.
func asRaised(err error) (*raised, bool) {
	r, ok := err.(*raised)
	return r, ok
}

// ExecutionError is an execution that ended FAILED because an error was raised and not caught. Payload is
// the raised value as an except block would have seen it: for runtime errors a map with "tags" and
// "message" (HttpError adds "code", "headers" and "body").
type ExecutionError struct {
	Payload any
	Trace   []TraceEntry // innermost first
}

func (e *ExecutionError) Error() string {
	where := ""
	if len(e.Trace) > 0 {
		t := e.Trace[0]
		where = fmt.Sprintf(" in step %q (subworkflow %q, line %d)", t.Step, t.Subworkflow, t.Line)
	}
	return fmt.Sprintf("execution failed%s: %s", where, e.PayloadJSON())
}

// Step returns the step that raised the error.
func (e *ExecutionError) Step() string {
	if len(e.Trace) == 0 {
		return ""
	}
	return e.Trace[0].Step
}

// Line returns the source line of the step that raised the error.
func (e *ExecutionError) Line() int {
	if len(e.Trace) == 0 {
		return 0
	}
	return e.Trace[0].Line
}

// Tags returns the error tags of the payload (empty for a raised string or a map without tags).
func (e *ExecutionError) Tags() []string {
	return (&value.Exception{Value: e.Payload}).Tags()
}

// HasTag reports whether the payload carries tag.
func (e *ExecutionError) HasTag(tag string) bool {
	return (&value.Exception{Value: e.Payload}).HasTag(tag)
}

// PayloadJSON returns the payload as JSON, as the Executions API reports it in error.payload.
func (e *ExecutionError) PayloadJSON() string {
	b, err := value.MarshalJSON(e.Payload)
	if err != nil {
		return fmt.Sprint(e.Payload)
	}
	return string(b)
}

// Context returns a human-readable stack trace, as the Executions API reports it in error.context.
func (e *ExecutionError) Context() string {
	var sb strings.Builder
	sb.WriteString("RuntimeError: ")
	sb.WriteString(e.PayloadJSON())
	if len(e.Trace) > 0 {
		sb.WriteString("\nTraceback (most recent call last):")
		for i := len(e.Trace) - 1; i >= 0; i-- {
			t := e.Trace[i]
			fmt.Fprintf(&sb, "\n  in step %q, routine %q, line: %d", t.Step, t.Subworkflow, t.Line)
		}
	}
	return sb.String()
}

// AsExecutionError returns the ExecutionError in err's chain.
func AsExecutionError(err error) (*ExecutionError, bool) {
	var ee *ExecutionError
	ok := errors.As(err, &ee)
	return ee, ok
}
