package app

import (
	"context"
	"fmt"
	"net/http"

	cloudevents "github.com/cloudevents/sdk-go/v2"

	"github.com/pltv/pltv/services"
)

// CloudEventHandler serves a CloudEvent function over HTTP the way functions-framework-go does: the event
// in binary or structured mode, 200 when the function returns nil, 500 when it returns an error or panics,
// 400 for a request that is not a valid CloudEvent.
func CloudEventHandler(h services.Handler) (http.Handler, error) {
	p, err := cloudevents.NewHTTP()
	if err != nil {
		return nil, fmt.Errorf("cloudevents protocol: %w", err)
	}
	fn := func(ctx context.Context, e cloudevents.Event) error { return h(ctx, e) }
	r, err := cloudevents.NewHTTPReceiveHandler(context.Background(), p, fn)
	if err != nil {
		return nil, fmt.Errorf("cloudevents receiver: %w", err)
	}
	return r, nil
}
