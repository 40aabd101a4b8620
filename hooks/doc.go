// Package hooks is where a deployment customises pltv: SQL templates for the warehouse stages, a Go interface
// for the row-level hooks of the prediction stages, and the data CSVs loaded at set-up.
//
// SQL templates are GoogleSQL with text/template actions for table names and date shards (see Funcs). The shipped
// defaults (in sql/) fit the Online Retail data; a deployment overrides any of them by putting a file of the
// same name in the directory named by HOOKS_DIR. Every template is rendered once when it is loaded, so a
// template that refers to an unknown variable fails at load, not in the middle of a run.
//
// Go hooks implement Hooks by embedding Base and overriding what they need, so that a new hook point never
// breaks an existing customisation. A deployment that also needs to rewrite prepared rows in Go implements
// RowPreparer; without it, prepare is pure SQL and never leaves the warehouse.
package hooks
