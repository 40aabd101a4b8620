// Package stopper is the model stopper, the HTTP function "stopper" Cloud Scheduler calls on
// MODEL_STOPPER_POLLER_CONFIG: the safety net that undeploys the model when no daily workflow did, with
// the same rule as the model service's stop action (nothing in flight, no prediction activity for
// STOP_MODEL_WAITING_MINUTES, then the post-stop hook). It stops the model the metadata table selects for
// today.
package stopper

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/pltv/pltv/services/internal/httpjson"
	"github.com/pltv/pltv/services/internal/idle"
)

// Stopper stops an idle model; the model service implements it.
type Stopper interface {
	Stop(ctx context.Context, date string) (idle.Answer, error)
}

// Service is the model stopper.
type Service struct {
	stopper Stopper
	log     *slog.Logger
}

// New returns the model stopper.
func New(s Stopper, log *slog.Logger) *Service { return &Service{stopper: s, log: log} }

// ServeHTTP is the HTTP function: any request is a tick; its body is not read.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a, err := s.stopper.Stop(r.Context(), "")
	if err != nil {
		httpjson.Error(w, r, s.log, err)
		return
	}
	s.log.InfoContext(r.Context(), "model stopper ran", "stopped", a.Stopped, "state", a.State, "reason", a.Reason)
	httpjson.Write(w, http.StatusOK, a)
}
