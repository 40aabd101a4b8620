package value

import (
	"encoding/json"
	"fmt"
)

// Error tags, as documented for Cloud Workflows error maps.
const (
	AuthError             = "AuthError"
	ConnectionError       = "ConnectionError"
	ConnectionFailedError = "ConnectionFailedError"
	HttpError             = "HttpError"
	IndexError            = "IndexError"
	KeyError              = "KeyError"
	OperationError        = "OperationError"
	ParallelNestingError  = "ParallelNestingError"
	RecursionError        = "RecursionError"
	ResourceLimitError    = "ResourceLimitError"
	ResponseTypeError     = "ResponseTypeError"
	SystemError           = "SystemError"
	TimeoutError          = "TimeoutError"
	TypeError             = "TypeError"
	UnhandledBranchError  = "UnhandledBranchError"
	ValueError            = "ValueError"
	ZeroDivisionError     = "ZeroDivisionError"
)

// Exception is an error raised inside a workflow: by a raise step, by a failed call or by an operation on
// values. Value is what an except block receives as its variable: usually a map with tags and message, but a
// raise step may raise any value, a plain string included.
type Exception struct {
	Value any
}

func (e *Exception) Error() string {
	if m, ok := e.Value.(map[string]any); ok {
		if msg, ok := m["message"].(string); ok {
			return msg
		}
	}
	if s, ok := e.Value.(string); ok {
		return s
	}
	b, err := json.Marshal(ToJSON(e.Value))
	if err != nil {
		return fmt.Sprint(e.Value)
	}
	return string(b)
}

// Tags returns the tags of the exception's map, or nil when it has none.
func (e *Exception) Tags() []string {
	m, ok := e.Value.(map[string]any)
	if !ok {
		return nil
	}
	list, _ := m["tags"].([]any)
	tags := make([]string, 0, len(list))
	for _, t := range list {
		if s, ok := t.(string); ok {
			tags = append(tags, s)
		}
	}
	return tags
}

// HasTag reports whether the exception carries tag.
func (e *Exception) HasTag(tag string) bool {
	for _, t := range e.Tags() {
		if t == tag {
			return true
		}
	}
	return false
}

// Errorf returns an exception with one tag and a message prefixed by the tag, as the runtime reports them
// (for example "KeyError: key not found: body").
func Errorf(tag, format string, args ...any) *Exception {
	return &Exception{Value: map[string]any{
		"tags":    []any{tag},
		"message": tag + ": " + fmt.Sprintf(format, args...),
	}}
}

// TypeErrorf is Errorf(TypeError, ...).
func TypeErrorf(format string, args ...any) *Exception { return Errorf(TypeError, format, args...) }

// ValueErrorf is Errorf(ValueError, ...).
func ValueErrorf(format string, args ...any) *Exception { return Errorf(ValueError, format, args...) }
