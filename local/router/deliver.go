package router

import (
	"context"
	"fmt"
	"io"
	"time"

	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
)

// deliveryTimeout bounds one attempt, as Eventarc's push deadline does.
const deliveryTimeout = 10 * time.Minute

// attempt posts the event once and then retries it later, drops it, or is done with it.
func (r *Router) attempt(d *delivery) {
	status, err := r.post(d)
	rec := Delivery{Trigger: d.trigger.Name, Event: d.event, Attempt: d.attempt, Status: status, Err: err,
		Published: d.published, Done: r.opts.Clock.Now()}
	if r.opts.Observe != nil {
		r.opts.Observe(rec)
	}
	if err == nil {
		r.finish()
		return
	}
	log := r.opts.Log.With("trigger", d.trigger.Name, "event_id", d.event.ID(), "type", d.event.Type(), "attempt", d.attempt)
	if d.attempt >= r.opts.Retry.Attempts {
		log.Error("delivery dropped after its last attempt", "error", err.Error())
		if r.opts.Dropped != nil {
			r.opts.Dropped(rec)
		}
		r.finish()
		return
	}
	delay := r.opts.Retry.Delay(d.attempt + 1)
	log.Warn("delivery failed, retrying", "error", err.Error(), "delay", delay.String())
	d.attempt++
	go func() {
		select {
		case <-r.opts.Clock.After(delay):
			r.mu.Lock()
			if r.closed {
				r.mu.Unlock()
				r.finish()
				return
			}
			r.queue = append(r.queue, d) // still pending: not counted again
			r.cond.Signal()
			r.mu.Unlock()
		case <-r.stop:
			r.finish()
		}
	}()
}

// post sends the event in binary mode and returns the status; the error is nil for 2xx only.
func (r *Router) post(d *delivery) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), deliveryTimeout)
	defer cancel()
	req, err := cehttp.NewHTTPRequestFromEvent(ctx, d.trigger.Destination, d.event)
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	resp, err := r.opts.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("%s answered %d: %s", d.trigger.Destination, resp.StatusCode, body)
	}
	return resp.StatusCode, nil
}
