// Package router is the embedded runtime's Eventarc: it delivers CloudEvents to services over loopback
// HTTP the way Eventarc does, so that the services cannot tell the difference.
//
// A Trigger matches events by attribute (type, source, subject, or an extension attribute such as an audit
// log's servicename and methodname), like an Eventarc trigger's event filters, and names the URL of its
// destination. Publish hands an event to every matching trigger; each delivery is a binary-mode HTTP POST
// (ce-* headers, the event data as the body) by one of a bounded set of workers. A delivery answered with
// anything but 2xx, or not answered, is retried with exponential backoff up to a bounded number of attempts,
// timed by an injectable clock, then dropped and reported.
//
// For tests, Faults makes delivery as unkind as Eventarc's at-least-once, unordered contract allows:
// duplicates of an event (same source and id) and deliveries out of publication order, from a seeded random
// source so that a failing run can be replayed.
package router
