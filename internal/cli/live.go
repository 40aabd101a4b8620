package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/internal/report"
	"github.com/pltv/pltv/local"
)

// liveReport serves the report of the state as it is now, reloading itself every few seconds.
func liveReport(e *local.Embedded) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, err := report.Collect(r.Context(), e.Runtime, executionsOf(e))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		var buf bytes.Buffer
		if err := report.Write(&buf, d, report.Options{Refresh: 10}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(buf.Bytes())
	})
}

// executionsOf is the runtime's executions port, nil when it has none.
func executionsOf(e *local.Embedded) executions.Executions {
	if e.Executions == nil {
		return nil
	}
	return e.Executions
}

// refreshReport rewrites the state's HTML report after a command changed what it shows, and prints its path.
func (g *globals) refreshReport(ctx context.Context, rt *local.Runtime) error {
	if rt.Config.IsCloud() {
		return nil
	}
	xs, done, err := g.executions()
	if err != nil {
		return err
	}
	defer done()
	path, err := report.WriteFile(ctx, rt, xs)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "report: %s\n", path)
	return nil
}
