// Package app assembles pltv's services over wired ports, each with its middleware: the CloudEvent
// functions (prepare, filter, predictstart) and the HTTP functions (extract, predict, model, poller,
// stopper), named as Cloud Functions registers them. Cloud Functions builds them from the environment
// (package app/cloud, called by functions.go at the module root); the embedded runtime builds them over its
// embedded drivers and serves them on loopback (package local).
package app
