// Package cloudlog writes log/slog records as the JSON lines Cloud Logging reads from a function's output:
// severity and message under the names it expects, the trace of the request that caused the line, and the
// attributes a request carries in its context (the run date above all, so that one date's trail is one
// filter).
package cloudlog
