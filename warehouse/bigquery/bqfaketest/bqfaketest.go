// Package bqfaketest makes the in-process BigQuery fake the driver is tested against (internal/fakebq)
// available to the tests of other packages whose code talks to BigQuery through the driver, such as the
// command line on a deployment: the fake answers the REST calls of cloud.google.com/go/bigquery, keeps tables
// in memory, and executes no SQL (query jobs follow the test's script).
package bqfaketest

import (
	"testing"

	"github.com/pltv/pltv/warehouse/bigquery/internal/fakebq"
)

// Server is the fake; its ClientOptions point a client at it.
type Server = fakebq.Server

// Query is a query job as the script sees it, and Answer the scripted outcome.
type (
	Query  = fakebq.Query
	Answer = fakebq.Answer
)

// New starts a fake on a loopback port and stops it when the test ends.
func New(t testing.TB) *Server { return fakebq.New(t) }
