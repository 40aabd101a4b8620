// Package prepare is the service that prepares a run date's transactions (pipeline.Prepare) once its
// extract is written: a CloudEvent function on the Pub/Sub notification TRANSFER_RUN_FINISHED of the
// scheduled extract query.
//
// A failed or cancelled run, and a run of another query, are logged and acknowledged. Otherwise the prepare
// of the date is recorded as pending (the barrier the filter of that date and of later dates waits on), run,
// and recorded as finished; then the filters that were waiting on it are released at once. An empty extract
// is skipped by the stage itself. The prepare job carries the pipeline labels, so its completion event
// reaches the filter service.
//
// Throttling: while MAX_TASKS_PER_POLL prepares or more are pending, a new one waits in the
// long_running_tasks queue, due after DELAY_PREPARE_DAILY_IN_SECONDS, for the task poller (RunTask). Below
// the limit it runs at once.
package prepare
