// Package pltv registers pltv's services with functions-framework-go, for Cloud Functions: its Go buildpack
// builds the package at the module root, and each deployed function picks its entry point by name
// (FUNCTION_TARGET): the CloudEvent functions prepare, filter and predictstart, which Eventarc triggers, and
// the HTTP functions extract, predict, model, poller and stopper, which Cloud Scheduler and the daily
// workflow call.
//
// The services are built on the first request (package services/app/cloud), not at start-up, so that a
// deployment needs no credentials and a transient error at a cold start is retried on the next request.
// Their configuration is the deployment's pltv.yaml, embedded here when the function is built (the buildpack
// runs the function from /workspace, with the source under serverless_function_source_code/, so no file
// path would find it), with environment overrides; PLTV_CONFIG, when set, names a file to read instead,
// which must exist. A deployment customises the prediction hooks by setting Hooks from an init function of
// its own file in this package.
package pltv

import (
	"context"
	_ "embed"
	"net/http"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/services/app/cloud"
)

// Hooks are the deployment's hooks; hooks.Base unless an init function sets others.
var Hooks hooks.Hooks = hooks.Base{}

// deployedConfig is the deployment's configuration, as it was when the function was built.
//
//go:embed pltv.yaml
var deployedConfig []byte

// services are built once, on the first request of an instance.
var services = cloud.NewLazy(func(ctx context.Context) (*app.App, error) {
	a, _, err := cloud.New(ctx, cloud.Options{Hooks: Hooks, Config: deployedConfig})
	return a, err
})

func init() {
	for _, name := range app.CloudEventFunctions {
		functions.CloudEvent(name, cloudEventFunction(name))
	}
	for _, name := range app.HTTPFunctions {
		functions.HTTP(name, httpFunction(name))
	}
}

// cloudEventFunction is the named CloudEvent service; a failure to build the services is an error, for
// Eventarc to deliver the event again.
func cloudEventFunction(name string) func(context.Context, event.Event) error {
	return func(ctx context.Context, e event.Event) error {
		a, err := services.Get(ctx)
		if err != nil {
			return err
		}
		return a.CloudEvents[name](ctx, e)
	}
}

// httpFunction is the named HTTP service; a failure to build the services answers 503, which the daily
// workflow's retry policy retries.
func httpFunction(name string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		a, err := services.Get(r.Context())
		if err != nil {
			http.Error(w, "services unavailable: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		a.HTTP[name].ServeHTTP(w, r)
	}
}
