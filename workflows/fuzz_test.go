package workflows_test

import (
	"testing"

	"github.com/pltv/pltv/workflows"
	"github.com/pltv/pltv/workflows/engine"
)

// FuzzParse feeds workflow sources to the engine's parser, seeded with the shipped workflows and small
// documents around the constructs they use: whatever the input, Parse returns a workflow or an error, and
// never panics or hangs.
//
//	go test -run '^$' -fuzz FuzzParse -fuzztime 1m ./workflows/
func FuzzParse(f *testing.F) {
	for _, name := range []string{"daily", "backfill"} {
		src, err := workflows.Source(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range []string{
		"main:\n  steps:\n    - a:\n        return: 1\n",
		"main:\n  params: [x]\n  steps:\n    - a:\n        assign:\n          - y: ${x + 1}\n    - b:\n        return: ${y}\n",
		"- a:\n    call: sys.sleep\n    args:\n      seconds: 1\n",
		"main:\n  steps:\n    - p:\n        parallel:\n          for:\n            value: v\n            in: [1, 2]\n            steps:\n              - s:\n                  return: ${v}\n",
		"main:\n  steps:\n    - t:\n        try:\n          raise: boom\n        except:\n          as: e\n          steps:\n            - r:\n                return: ${e}\n",
		"main:\n  steps:\n    - s:\n        switch:\n          - condition: ${true}\n            next: end\n",
		"{\"main\": {\"steps\": [{\"a\": {\"return\": \"${1/0}\"}}]}}",
		"main: [",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		w, err := engine.Parse(src)
		if err == nil && w == nil {
			t.Fatal("Parse returned neither a workflow nor an error")
		}
	})
}
