// Package expr parses and evaluates the ${...} expression language of Cloud Workflows.
//
// It is a small Pratt parser rather than a general-purpose expression library because the language's
// documented precedence puts `not` above arithmetic and comparison (`not a == b` is `(not a) == b`), `/`
// always yields a double while `//` floors, a missing map key raises KeyError instead of yielding null, and
// dotted names resolve first to variables and then to standard library members (text.split, http.default_retry).
// Evaluation raises *value.Exception carrying the documented error tags.
package expr
