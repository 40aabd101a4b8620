// Package tracking is the port to the state pltv keeps between events: Firestore's collections in the
// cloud, an embedded store on one machine. It is the go-cloud pattern: Tracker is the concrete type every
// caller uses, Store the small document-store interface a driver implements (tracking/firestore,
// tracking/embedded), and tracking/trackingtest the one conformance suite both drivers pass.
//
// Who calls what:
//
//   - Services de-duplicate CloudEvents with the processed-events ledger, a lease: ClaimEvent marks an event
//     in progress until an expiry, EventDone marks it done (remembered for EventTTL), ForgetEvent drops it
//     after a failure a retry may fix. A handler whose process dies leaves a lease that expires, so a
//     redelivery runs the handler again instead of being dropped as a duplicate. The expiry is one field,
//     EventExpiryField, for a Firestore TTL policy. Services also hold the
//     filter of date D behind the prepare barrier: prepare calls StartPrepare and FinishPrepare, filter asks
//     PendingPrepares(D) and waits while any date ≤ D is pending.
//   - The predict stage records each prediction job (StartPrediction, FinishPrediction) and, for forensics,
//     each row's fate in the per-row trace of its predictions table (TraceRows, Traces).
//   - The task poller drives the long_running_tasks queue: stages Enqueue delayed tasks or operations to
//     poll; the poller calls Poll, which claims due tasks with a lease and expires old ones, then finishes each
//     claimed task with Complete, Fail or Postpone.
//   - The model stopper reads PredictionActivity: predictions in flight and the time of the last activity.
//   - `pltv tracking ls` and `pltv tracking clean` call List and Clean; `pltv status` reads Prepares and
//     Predictions.
//
// Collections are named <DEPLOYMENT_NAME>_<SOLUTION_PREFIX>_<kind> (Options.Prefix and Names): kinds
// prepare_daily_tx_tracking, prediction_tracking, long_running_tasks, processed_events, and
// unitary_prediction_tracking_<predictions table> per predictions table.
//
// Documents of an unknown shape (written by an older version or by hand) are never fatal: an operation that
// meets one logs it with its path, returns it among its Problems and skips it; Poll also takes a malformed due
// task out of the queue (it drops the task's visible field and notes the problem in the document).
//
// Concurrency: several processes may share one Store. Read-modify-writes (a claim, a finished task, a
// ledger entry replaced after expiry) are conditional writes on the version read, so they never lock: the
// loser of a race reads again or leaves the document to the winner. A task goes to one poller at a time.
//
// All times come from Options.Clock. Every query needs Firestore's automatic single-field indexes only.
package tracking
