package events

import (
	"strconv"

	"google.golang.org/genproto/googleapis/rpc/code"
)

// Status is why a job or a transfer run failed: a google.rpc.Status, with the name of its code as Reason.
type Status struct {
	Code    int32
	Reason  string // the google.rpc.Code name, e.g. INVALID_ARGUMENT
	Message string
}

func (e *Status) Error() string { return e.Reason + ": " + e.Message }

// NewStatus returns the error for a google.rpc.Code and message, naming the code.
func NewStatus(c int32, message string) *Status {
	return &Status{Code: c, Reason: codeName(c), Message: message}
}

func codeName(c int32) string {
	if name, ok := code.Code_name[c]; ok {
		return name
	}
	return "CODE_" + strconv.Itoa(int(c))
}

// statusFrom converts a decoded status; an empty status ({} in the JSON) is no error.
func statusFrom(s *rpcStatus) *Status {
	if s == nil || (s.Code == 0 && s.Message == "") {
		return nil
	}
	return NewStatus(s.Code, s.Message)
}

// rpcStatus is a google.rpc.Status in JSON.
type rpcStatus struct {
	Code    int32  `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

func statusOf(e *Status) *rpcStatus {
	if e == nil {
		return &rpcStatus{}
	}
	return &rpcStatus{Code: e.Code, Message: e.Message}
}
