package workflows_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// extractService stands in for the extract service: it starts a run for each date it is given, and answers
// the scripted status for some dates instead.
type extractService struct {
	fails       map[string]int // date → status answered
	unavailable int            // the first requests answered 503

	mu          sync.Mutex
	dates       map[string]int // date → requests
	inFlight    int
	maxInFlight int

	server *httptest.Server
}

func newExtractService(t *testing.T, fails map[string]int) *extractService {
	t.Helper()
	s := &extractService{fails: fails, dates: map[string]int{}}
	s.server = httptest.NewServer(requireOIDC(s.serve))
	t.Cleanup(s.server.Close)
	return s
}

func (s *extractService) serve(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Date string `json:"date"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		answer(w, http.StatusBadRequest, map[string]any{"error": "want a JSON body"})
		return
	}
	s.mu.Lock()
	s.dates[req.Date]++
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	busy := s.unavailable > 0
	if busy {
		s.unavailable--
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()
	if busy {
		answer(w, http.StatusServiceUnavailable, map[string]any{"error": "busy"})
		return
	}
	if status := s.fails[req.Date]; status != 0 {
		answer(w, status, map[string]any{"error": "bad date " + req.Date})
		return
	}
	answer(w, http.StatusOK, map[string]any{"date": req.Date, "run": "run-" + req.Date, "state": "started"})
}
