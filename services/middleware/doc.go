// Package middleware holds the cross-cutting concerns of pltv's services, one per file, each a
// services.Middleware for CloudEvent handlers (or an http.Handler wrapper for the HTTP services): logging
// with the request's trace, de-duplication of redelivered events, panic recovery, and the classification
// of errors into "acknowledge and log" and "deliver again".
//
// Stack them with Default (outermost first): Logging, Classify, Dedupe, Recover, then the handler. Recover
// turns a panic into an error before Dedupe sees it, so a crashed delivery is forgotten and redelivered;
// Classify acknowledges what no retry can fix; Logging sees the final answer.
package middleware

import (
	"log/slog"

	"github.com/pltv/pltv/services"
)

// Default returns the middleware the CloudEvent service consumer runs under, outermost first.
func Default(log *slog.Logger, ledger Ledger, consumer string) []services.Middleware {
	return []services.Middleware{Logging(log), Classify(log), Dedupe(ledger, log, consumer), Recover(log)}
}
