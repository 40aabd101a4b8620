package local

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pltv/pltv/local/router"
)

// FaultsEnv names the environment variable through which the fault-injection suite makes a runtime unkind
// on purpose, in a child process: a comma-separated list of duplicate=P (each event delivered twice with
// probability P), reorder=N (deliveries taken at random among the first N waiting), unavailable=P (a
// service request answered 503 once, with probability P), seed=N, and the model faults deployfail=N,
// throttle=DURATION, hangpredict=N and signal=PATH (see ModelFaults), and preparefail=YYYYMMDD (every query
// of that date's prepare refused with a SQL error). It is for tests; nothing sets it
// otherwise.
const FaultsEnv = "PLTV_TEST_FAULTS"

// Faults are the faults a runtime injects.
type Faults struct {
	Router       router.Faults
	Unavailable  float64 // the probability that a request to a service is answered 503 the first time it is made
	Model        ModelFaults
	PrepareFails string // the date whose prepare queries the warehouse refuses; empty: none
}

// FaultsFromEnv reads FaultsEnv; unset, there are none.
func FaultsFromEnv() (Faults, error) {
	var f Faults
	spec := os.Getenv(FaultsEnv)
	if spec == "" {
		return f, nil
	}
	for _, kv := range strings.Split(spec, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		var err error
		switch k {
		case "duplicate":
			f.Router.Duplicate, err = strconv.ParseFloat(v, 64)
		case "reorder":
			f.Router.Reorder, err = strconv.Atoi(v)
		case "unavailable":
			f.Unavailable, err = strconv.ParseFloat(v, 64)
		case "deployfail":
			f.Model.DeployFails, err = strconv.Atoi(v)
		case "throttle":
			f.Model.Throttle, err = time.ParseDuration(v)
		case "hangpredict":
			f.Model.HangPredict, err = strconv.Atoi(v)
		case "signal":
			f.Model.Signal = v
		case "preparefail":
			f.PrepareFails = v
		case "seed":
			f.Router.Seed, err = strconv.ParseUint(v, 10, 64)
		default:
			err = fmt.Errorf("unknown fault %q", k)
		}
		if err != nil {
			return f, fmt.Errorf("%s %q: %w", FaultsEnv, kv, err)
		}
	}
	return f, nil
}

// unavailableOnce answers a share of the requests 503 the first time each is made (the same method, path and
// body), as a service scaling or restarting does; its retry goes through. It counts what it refused.
type unavailableOnce struct {
	next http.Handler
	p    float64
	mu   sync.Mutex
	rnd  *rand.Rand
	seen map[[32]byte]bool
	log  *slog.Logger // each refusal is logged ("injected fault"), so that a test can count them
}

func newUnavailableOnce(next http.Handler, p float64, seed uint64, log *slog.Logger) *unavailableOnce {
	return &unavailableOnce{next: next, p: p, rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		seen: map[[32]byte]bool{}, log: log}
}

func (u *unavailableOnce) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	h := sha256.New()
	fmt.Fprintf(h, "%s %s %s\n", r.Method, r.URL.Path, r.Header.Get("Ce-Id"))
	h.Write(body)
	var key [32]byte
	copy(key[:], h.Sum(nil))
	u.mu.Lock()
	refuse := !u.seen[key] && u.rnd.Float64() < u.p
	u.seen[key] = true
	u.mu.Unlock()
	if refuse {
		u.log.WarnContext(r.Context(), "injected fault", "fault", "service unavailable (503)", "path", r.URL.Path)
		w.Header().Set("Retry-After", "0")
		http.Error(w, "injected fault: service unavailable", http.StatusServiceUnavailable)
		return
	}
	u.next.ServeHTTP(w, r)
}
