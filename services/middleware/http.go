package middleware

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/felixge/httpsnoop"

	"github.com/pltv/pltv/services/cloudlog"
)

// HTTP wraps an HTTP service: the request's trace (X-Cloud-Trace-Context or traceparent) goes into the
// context for every log line, and the answer is logged (5xx at error level, 4xx at warning level, the rest
// at debug level).
func HTTP(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		trace, span := cloudlog.FromRequest(r)
		r = r.WithContext(cloudlog.NewRequest(cloudlog.WithTrace(r.Context(), trace, span)))
		m := httpsnoop.CaptureMetrics(h, w, r)
		level := slog.LevelDebug
		switch {
		case m.Code >= 500:
			level = slog.LevelError
		case m.Code >= 400:
			level = slog.LevelWarn
		}
		log.Log(r.Context(), level, "request answered", "path", r.URL.Path, "status", m.Code,
			"elapsed", m.Duration.Round(time.Microsecond).String())
	})
}
