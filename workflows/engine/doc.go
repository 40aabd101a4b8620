// Package engine runs Cloud Workflows definitions (workflows/*.yaml) on one machine, unchanged, for the
// embedded runtime, tests and demos.
//
// Parse reads a workflow in YAML or JSON, checks it against the official JSON Schema of the Workflows syntax
// and makes the checks that deploying it would make (step names, jumps, called functions and their
// arguments, expressions, shared variables), reporting each problem with its line. Workflow.Execute then
// runs it: subworkflows, assign, call (HTTP, sys.*, the standard library), switch, for, parallel,
// try/retry/except, raise and return, with the ${...} expression language, billed-step counting and the
// documented limits. An uncaught error ends the execution with an *ExecutionError whose payload is the
// documented error map.
//
// Time goes through an injectable Clock: with a FakeClock, a 30-minute sys.sleep takes no wall time.
// Things a local run cannot do are explicit: Google Cloud connectors (googleapis.*) run only when
// Options.Connectors provides them, and the auth argument of HTTP calls is checked and recorded on the
// request (AuthOf) but attaches no token unless Options.Authorize does.
package engine
