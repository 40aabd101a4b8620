// Package services holds what pltv's services share: the shape of a CloudEvent handler and its middleware,
// the line between errors a retry can fix and input that can never succeed, the scope that tells a
// deployment's own tables from the rest, and the progress a run date makes.
//
// Each service is one package below this one (prepare, filter, predictstart, extract, predict, model,
// poller, stopper), written for github.com/GoogleCloudPlatform/functions-framework-go: a CloudEvent
// function for the services Eventarc triggers, an HTTP function for those a workflow or a scheduler calls.
// A service decodes its input with package events, decides (labels, barrier, de-duplication), calls one
// pipeline function and answers; package app assembles them with their middleware, for Cloud Functions
// (functions.go at the module root) and for the embedded runtime (package local).
//
// Answers follow Eventarc's delivery contract: nil (2xx) for success and for input that can never be
// processed (logged with the reason, so that a poison event does not loop), an error (5xx, redelivered with
// backoff) only for what a retry can fix.
package services
