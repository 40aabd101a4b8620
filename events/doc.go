// Package events is the typed view of the CloudEvents that drive pltv: what Eventarc delivers, and what the
// local runtime emits in its place.
//
// Services decode with it: DecodeJobDone for the audit-log event of a finished BigQuery job (both audit-log
// formats BigQuery writes), DecodePubSub for any Pub/Sub message, and DecodeTransferRun for the
// TRANSFER_RUN_FINISHED notification of a scheduled query. Every decoding failure is a *DecodeError that
// matches ErrMalformed: input a retry can never fix, which a service acknowledges (2xx) and logs.
//
// The local runtime and the tests build with it: NewJobDoneEvent, NewLegacyJobDoneEvent and
// NewTransferRunFinishedEvent produce the bodies, ce-* attributes and extension attributes that Cloud
// Logging, Pub/Sub and Eventarc produce, so decoding a built event returns what it was built from.
package events
