package cli

import (
	"net/http"

	"github.com/pltv/pltv/local"
)

// liveReport serves the report of the state as it is now.
func liveReport(e *local.Embedded) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("pltv serve\n"))
	})
}
