// Package predictstart is the service that hands a run date to the daily workflow once its new customers
// are filtered: a CloudEvent function on the audit-log event of the filter job's completion (labels
// stage=filter, destination prepared_new_customers_daily_transactions_D). It starts workflows/daily.yaml
// with the argument {"date": D} through the executions port.
//
// A date whose filter found no new customers still starts the workflow: the completion event does not say
// how many rows the job wrote, and the workflow plans zero batches for such a date, deploys nothing and
// still runs the completion hook, so that every date ends the same way and shows up in the executions view.
//
// Throttling: while MAX_TASKS_PER_POLL executions of the workflow or more are active, the start waits in the
// long_running_tasks queue, due after DELAY_PREDICT_TRANSACTIONS_IN_SECONDS, for the task poller (RunTask).
// Below the limit it starts at once.
package predictstart
