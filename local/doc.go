// Package local is the embedded runtime: the production wiring of pltv with the embedded drivers (DuckDB for the
// warehouse, and the embedded tracking store, local model and workflow engine), set up by one function with one
// cleanup. The command line uses it for every command that touches state.
package local
