package workflows_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pltv/pltv/workflows/engine"
)

// services stands in for the predict and model services of the HTTP contract, scripted per test. It keeps
// the calls it answered, and when each action last ran by the workflow's clock.
type services struct {
	clock *engine.FakeClock

	// Script.
	batches    int              // what plan answers
	planStatus int              // answered to plan instead of 200, when set
	states     []string         // what deploy and state answer, in turn; the last one repeats
	batchFails map[int][]int    // per batch, the statuses answered before a 200
	stopStatus int              // answered to stop instead of 200, when set
	stopStates []string         // the states stop answers, in turn; the last one repeats (undeployed when none)
	heldUntil  int              // batch requests wait until this many are in flight at once (0: none)
	answers    map[string]int64 // batch_mode's rows
	batchPolls int              // batch_check answers "not done" this many times first
	batchFail  int              // batch_start or batch_check answers this status instead, once, when set

	mu          sync.Mutex
	calls       []string    // every call but batch, "service action", in order
	batchCalls  map[int]int // batch → requests
	finished    int         // the batches finish was told
	at          map[string]time.Time
	inFlight    int
	maxInFlight int
	held        chan struct{} // closed once heldUntil batch requests were in flight
	heldOnce    sync.Once

	predict, model *httptest.Server
}

func newServices(t testing.TB, clock *engine.FakeClock, batches int, states ...string) *services {
	t.Helper()
	s := &services{
		clock: clock, batches: batches, states: states, batchFails: map[int][]int{},
		batchCalls: map[int]int{}, at: map[string]time.Time{}, held: make(chan struct{}),
	}
	s.predict = httptest.NewServer(requireOIDC(s.servePredict))
	s.model = httptest.NewServer(requireOIDC(s.serveModel))
	t.Cleanup(s.predict.Close)
	t.Cleanup(s.model.Close)
	return s
}

type request struct {
	Action  string `json:"action"`
	Date    string `json:"date"`
	Batch   *int   `json:"batch"`
	Batches *int   `json:"batches"`
	Job     string `json:"job"`
}

func (s *services) record(service string, r request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, service+" "+r.Action)
	s.at[r.Action] = s.clock.Now()
}

func (s *services) servePredict(w http.ResponseWriter, r *http.Request) {
	var req request
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Date == "" {
		answer(w, http.StatusBadRequest, map[string]any{"error": "want a JSON body with action and date"})
		return
	}
	table := "pltv.predictions_" + req.Date
	switch req.Action {
	case "plan":
		s.record("predict", req)
		if s.planStatus != 0 {
			answer(w, s.planStatus, map[string]any{"error": "no model for " + req.Date})
			return
		}
		answer(w, http.StatusOK, map[string]any{"date": req.Date, "rows": s.batches * 101, "batches": s.batches, "model": "model_20200601"})
	case "batch":
		s.serveBatch(w, req)
	case "finish":
		s.record("predict", req)
		if req.Batches == nil {
			answer(w, http.StatusBadRequest, map[string]any{"error": "batches is required"})
			return
		}
		s.mu.Lock()
		s.finished = *req.Batches
		s.mu.Unlock()
		answer(w, http.StatusOK, map[string]any{"stage": "predict", "date": req.Date, "table": table, "rows": *req.Batches * 100, "skipped": ""})
	case "batch_start", "batch_check":
		s.record("predict", req)
		s.mu.Lock()
		fail := s.batchFail
		s.batchFail = 0
		done := req.Action == "batch_check" && s.batchPolls == 0
		if req.Action == "batch_check" && s.batchPolls > 0 {
			s.batchPolls--
		}
		s.mu.Unlock()
		if fail != 0 {
			answer(w, fail, map[string]any{"error": "the batch service is busy"})
			return
		}
		if req.Action == "batch_check" && req.Job != "jobs/"+req.Date {
			answer(w, http.StatusBadRequest, map[string]any{"error": "unknown job " + req.Job})
			return
		}
		a := map[string]any{"stage": "predict", "date": req.Date, "job": "jobs/" + req.Date, "done": done, "table": "", "rows": 0, "skipped": ""}
		if done {
			a["table"], a["rows"] = table, s.answers["batch_mode"]
		}
		answer(w, http.StatusOK, a)
	case "batch_mode":
		s.record("predict", req)
		answer(w, http.StatusOK, map[string]any{"stage": "predict", "date": req.Date, "table": table, "rows": s.answers["batch_mode"], "skipped": ""})
	case "complete":
		s.record("predict", req)
		answer(w, http.StatusOK, map[string]any{"date": req.Date, "table": table, "rows": 0, "errors": 0})
	default:
		answer(w, http.StatusBadRequest, map[string]any{"error": fmt.Sprintf("unknown action %q", req.Action)})
	}
}

// serveBatch answers a batch's scripted failures first, then 100 predictions and one failed row.
func (s *services) serveBatch(w http.ResponseWriter, req request) {
	if req.Batch == nil || *req.Batch < 0 || *req.Batch >= s.batches {
		answer(w, http.StatusBadRequest, map[string]any{"error": "no such batch"})
		return
	}
	n := *req.Batch
	s.mu.Lock()
	s.batchCalls[n]++
	call := s.batchCalls[n]
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	if s.heldUntil > 0 && s.inFlight >= s.heldUntil {
		s.heldOnce.Do(func() { close(s.held) })
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()
	if s.heldUntil > 0 {
		select {
		case <-s.held:
		case <-time.After(10 * time.Second):
			answer(w, http.StatusBadRequest, map[string]any{"error": fmt.Sprintf("never %d batches in flight at once", s.heldUntil)})
			return
		}
	}
	if fails := s.batchFails[n]; call <= len(fails) {
		answer(w, fails[call-1], map[string]any{"error": fmt.Sprintf("batch %d answer %d", n, call)})
		return
	}
	answer(w, http.StatusOK, map[string]any{"date": req.Date, "batch": n, "rows": 101, "predicted": 100, "failed": 1})
}

func (s *services) serveModel(w http.ResponseWriter, r *http.Request) {
	var req request
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		answer(w, http.StatusBadRequest, map[string]any{"error": "want a JSON body"})
		return
	}
	s.record("model", req)
	switch req.Action {
	case "deploy", "state":
		s.mu.Lock()
		state := s.states[0]
		if len(s.states) > 1 {
			s.states = s.states[1:]
		}
		s.mu.Unlock()
		a := map[string]any{"state": state, "date": req.Date, "model": "model_20200601"}
		if state == "failed" {
			a["reason"] = "quota exceeded"
		}
		answer(w, http.StatusOK, a)
	case "stop":
		if s.stopStatus != 0 {
			answer(w, s.stopStatus, map[string]any{"error": "undeploy refused"})
			return
		}
		s.mu.Lock()
		state := "undeployed"
		if len(s.stopStates) > 0 {
			state = s.stopStates[0]
			if len(s.stopStates) > 1 {
				s.stopStates = s.stopStates[1:]
			}
		}
		s.mu.Unlock()
		answer(w, http.StatusOK, map[string]any{"stopped": state != "deployed", "state": state, "reason": "idle", "in_flight": 0})
	default:
		answer(w, http.StatusBadRequest, map[string]any{"error": fmt.Sprintf("unknown action %q", req.Action)})
	}
}

func answer(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// oidcAuthorize stands in for Cloud Workflows' auth: an OIDC call carries an ID token for its audience.
func oidcAuthorize(req *http.Request, a engine.Auth) error {
	if a.Type == engine.AuthOIDC {
		req.Header.Set("Authorization", "Bearer id-token-for "+a.Audience)
	}
	return nil
}

// requireOIDC answers 401, as a Cloud Run function that does not allow unauthenticated calls does, to a
// request without an ID token for the function's URL.
func requireOIDC(serve http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if want := "Bearer id-token-for http://" + r.Host + strings.TrimSuffix(r.URL.Path, "/"); r.Header.Get("Authorization") != want {
			answer(w, http.StatusUnauthorized, map[string]any{"error": "want " + want + ", got " + r.Header.Get("Authorization")})
			return
		}
		serve(w, r)
	})
}
