package engine

import (
	"sort"
	"strings"

	"github.com/pltv/pltv/workflows/engine/internal/stdlib"
)

// builtin describes a function the engine itself provides, because it needs the execution: HTTP, sleeping,
// logging, the clock and the environment. Blocking ones can only be called from a call step.
type builtin struct {
	params   []string
	required int
	blocking bool
}

var httpParams = []string{"url", "method", "headers", "body", "query", "auth", "timeout", "private_service_name"}

var builtins = map[string]builtin{
	"http.get":        {params: httpParams, required: 1, blocking: true},
	"http.post":       {params: httpParams, required: 1, blocking: true},
	"http.put":        {params: httpParams, required: 1, blocking: true},
	"http.patch":      {params: httpParams, required: 1, blocking: true},
	"http.delete":     {params: httpParams, required: 1, blocking: true},
	"http.request":    {params: httpParams, required: 2, blocking: true},
	"sys.sleep":       {params: []string{"seconds"}, required: 1, blocking: true},
	"sys.sleep_until": {params: []string{"time"}, required: 1, blocking: true},
	"sys.log":         {params: []string{"data", "severity", "text", "json", "timeout"}, blocking: true},
	"sys.now":         {},
	"sys.get_env":     {params: []string{"name", "default"}, required: 1},
}

// isConnector reports whether name is a Google Cloud connector or an events function, which the local
// engine runs only when Options.Connectors provides them.
func isConnector(name string) bool {
	return strings.HasPrefix(name, "googleapis.") || strings.HasPrefix(name, "events.")
}

// functionParams returns the parameters of a library or engine function.
func functionParams(name string) (params []string, required int, blocking, ok bool) {
	if b, ok := builtins[name]; ok {
		return b.params, b.required, b.blocking, true
	}
	if f, ok := stdlib.Lookup(name); ok {
		return f.Params, f.Required, false, true
	}
	return nil, 0, false, false
}

// FunctionNames lists every standard library function the engine knows, sorted.
func FunctionNames() []string {
	names := stdlib.Names()
	for n := range builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
