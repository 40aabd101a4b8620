// Package httpjson is how pltv's HTTP services read a JSON request and answer: 200 with a JSON body,
// 400/422 with {"error": ...} for input that can never succeed, 429/503 for what a retry fixes (the ones a
// workflow's http.default_retry retries), 500 for the rest.
package httpjson

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/pltv/pltv/events"
	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/services"
)

// MaxBody bounds a request body; a workflow's argument is at most 512 KB, and requests are far smaller.
const MaxBody = 1 << 20

// ErrBadRequest is matched by errors in a request itself (HTTP 400).
var ErrBadRequest = errors.New("bad request")

// Decode reads a JSON body into v. An empty body leaves v as it is. Unknown fields are allowed, so that a
// caller may send more than a service reads.
func Decode(r *http.Request, v any) error {
	if r.Method != http.MethodPost && r.Method != http.MethodPut {
		return fmt.Errorf("%w: method %s, want POST", ErrBadRequest, r.Method)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return fmt.Errorf("read request: %w", err)
	}
	if len(body) > MaxBody {
		return fmt.Errorf("%w: body larger than %d bytes", ErrBadRequest, MaxBody)
	}
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	return nil
}

// Write answers status with v in JSON.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Error answers err with the status StatusOf gives it, as {"error": "..."}, and logs it.
func Error(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	status := StatusOf(err)
	level := slog.LevelWarn
	if status >= 500 {
		level = slog.LevelError
	}
	log.Log(r.Context(), level, "request failed", "status", status, "error", err.Error())
	Write(w, status, map[string]string{"error": err.Error()})
}

// StatusOf maps an error to its HTTP status: 400 for a bad request, 422 for input that can never succeed
// (services.IsPermanent), 503 for a model that is busy, not deployed or failing for a while
// (model.IsRetryable), 500 otherwise.
func StatusOf(err error) int {
	switch {
	case errors.Is(err, ErrBadRequest):
		return http.StatusBadRequest
	case services.IsPermanent(err):
		return http.StatusUnprocessableEntity
	case errors.Is(err, model.ErrBusy), errors.Is(err, model.ErrNotDeployed), model.IsRetryable(err):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Date checks a run date from a request: 400 unless it is YYYYMMDD.
func Date(date string) error {
	if date == "" {
		return fmt.Errorf("%w: date is required", ErrBadRequest)
	}
	if err := events.CheckDate(date); err != nil {
		return fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	return nil
}
