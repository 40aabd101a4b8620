// Package filter is the service that keeps the new customers of a run date (pipeline.Filter) once the
// date's prepared table is written: a CloudEvent function on the audit-log event of the prepare job's
// completion (labels stage=prepare, destination prepared_daily_transactions_D).
//
// It holds the prepare barrier: the filter of D reads the past, so it waits while a prepare of D or of an
// earlier date is still pending (pipeline.WaitingOn), and never for a later date. A date that must wait is
// recorded as waiting (package barrier) and the event acknowledged; Release, called by the prepare service
// as soon as a prepare finishes and by the task poller as a safety net, runs the filter of every waiting date
// that nothing holds any more (pipeline.Released), without a polling delay. The filter job's own completion
// event then starts the daily workflow (package predictstart).
package filter
