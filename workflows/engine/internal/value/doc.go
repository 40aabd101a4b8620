// Package value holds the data model of Cloud Workflows values as the engine represents them in Go, and the
// errors (exceptions) raised while operating on them.
//
// A value is one of: nil (null), bool, int64 (integer), float64 (double), string, []byte (bytes), []any (list),
// map[string]any (map) or *Func (a reference to a subworkflow or a standard library function, as used for
// retry predicates). Values are immutable once built: every operation that changes a list or a map returns a
// new container, so a value can be shared between variables and parallel branches without copying.
package value
