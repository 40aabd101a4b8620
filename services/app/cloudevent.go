package app

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"

	"github.com/cloudevents/sdk-go/v2/event"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"

	"github.com/pltv/pltv/services"
)

// CloudEventHandler serves a CloudEvent function over HTTP with functions-framework-go's answers: the event
// in binary or structured mode, 200 when the function returns nil, 500 when it returns an error or panics,
// 400 for a request that is not a valid CloudEvent, 405 for a method other than POST.
//
// Each request is decoded and handled in its own goroutine. functions-framework-go goes through
// cloudevents' NewHTTPReceiveHandler, whose requests share one channel and can leave a request hanging
// when several arrive at once and one is cancelled (cloudevents/sdk-go#1224); the local runtime delivers
// concurrently, so it does without.
func CloudEventHandler(h services.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed: CloudEvents are POSTed", http.StatusMethodNotAllowed)
			return
		}
		e, err := cehttp.NewEventFromHTTPRequest(r)
		if err != nil {
			http.Error(w, "not a CloudEvent: "+err.Error(), http.StatusBadRequest)
			return
		}
		if err := e.Validate(); err != nil {
			http.Error(w, "invalid CloudEvent: "+err.Error(), http.StatusBadRequest)
			return
		}
		if err := call(r.Context(), h, *e); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// call runs the function, turning a panic into an error as functions-framework does.
func call(ctx context.Context, h services.Handler, e event.Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("function panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return h(ctx, e)
}
