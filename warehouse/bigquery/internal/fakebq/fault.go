package fakebq

import (
	"net/http"
)

// Fault makes matching requests fail with a Google API error instead of being answered.
type Fault struct {
	Call    string // the REST method to fail, e.g. "tabledata.list"
	Table   string // when set, only requests on this table (its table id) fail
	Code    int    // the HTTP status
	Reason  string // the error reason, e.g. "backendError"
	Message string
	Times   int // how many matching requests fail; 0 means one
}

// Fail adds a fault. Faults are tried in the order they were added; a used-up fault is dropped.
func (s *Server) Fail(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.locked(func() { s.faults = append(s.faults, &f) })
}

// fault returns the error of the first fault matching the request, if any, and uses it up once.
func (s *Server) fault(call string, r *http.Request) *apiError {
	s.mu.Lock()
	var hit *Fault
	for i, f := range s.faults {
		if f.Call != call || (f.Table != "" && f.Table != r.PathValue("table")) {
			continue
		}
		f.Times--
		if f.Times == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		hit = f
		break
	}
	s.mu.Unlock()
	if hit == nil {
		return nil
	}
	return &apiError{Code: hit.Code, Reason: hit.Reason, Message: hit.Message}
}
