package engine_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/workflows/engine"
)

func TestValidation(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		line    int
		step    string
		message string // a part of the problem's message
	}{
		{name: "not YAML", src: "- a: [", message: "parse workflow source"},
		{name: "an unknown step field fails the schema", src: `
- a:
    asign:
      - x: 1
`, line: 3, step: "a", message: "does not match the Workflows schema"},
		{name: "a step with two names fails the schema", src: `
- a:
    return: 1
  b:
    return: 2
`, line: 2, message: "does not match the Workflows schema"},
		{name: "a parallel step with one branch fails the schema", src: `
- p:
    parallel:
      branches:
        - only:
            steps:
              - a:
                  return: 1
`, line: 5, step: "p", message: "minItems"},
		{name: "next to a missing step", src: `
- a:
    assign:
      - x: 1
    next: nowhere
- b:
    return: ${x}
`, line: 2, step: "a", message: `next: step "nowhere" does not exist`},
		{name: "a switch case jumping to a missing step", src: `
- s:
    switch:
      - condition: true
        next: nowhere
`, line: 4, step: "s", message: `step "nowhere" does not exist`},
		{name: "jumping into a parallel branch", src: `
- j:
    next: inside
- p:
    parallel:
      branches:
        - b1:
            steps:
              - inside:
                  return: 1
        - b2:
            steps:
              - other:
                  return: 2
`, line: 2, step: "j", message: `step "inside" does not exist`},
		{name: "break outside a loop", src: `
- a:
    next: break
`, line: 2, step: "a", message: "only allowed inside a for loop"},
		{name: "duplicate step names", src: `
- a:
    assign:
      - x: 1
- a:
    return: 2
`, line: 5, step: "a", message: "already used at line 2"},
		{name: "an unknown function in a call step", src: `
- a:
    call: no_such_subworkflow
`, line: 3, step: "a", message: `unknown function or subworkflow "no_such_subworkflow"`},
		{name: "an unknown function in an expression", src: `
- a:
    return: ${nope(1)}
`, line: 3, step: "a", message: `unknown function or subworkflow "nope"`},
		{name: "an unknown subworkflow argument", src: `
main:
  steps:
    - c:
        call: sub
        args:
          a: 1
          typo: 2
sub:
  params: [a]
  steps:
    - r:
        return: ${a}
`, line: 5, step: "c", message: `subworkflow sub has no parameter "typo"`},
		{name: "a missing subworkflow argument", src: `
main:
  steps:
    - c:
        call: sub
sub:
  params: [a, b: 1]
  steps:
    - r:
        return: ${a}
`, line: 5, step: "c", message: `needs the argument "a"`},
		{name: "wrong number of arguments in an expression call", src: `
- a:
    return: ${text.split("a")}
`, line: 3, step: "a", message: "text.split takes 2 arguments, got 1"},
		{name: "a blocking call in an expression", src: `
- a:
    return: ${http.get("http://example.com")}
`, line: 3, step: "a", message: "cannot be used in an expression"},
		{name: "a syntax error in an expression", src: `
- a:
    assign:
      - x: ${1 +}
`, line: 4, step: "a", message: "invalid expression"},
		{name: "an invalid assignment target", src: `
- a:
    assign:
      - f(x): 1
`, line: 4, step: "a", message: "invalid assignment target"},
		{name: "two actions in one step", src: `
- a:
    assign:
      - x: 1
    return: 1
`, line: 3, step: "a", message: "only one of"},
		{name: "assigning a non-shared outer variable in a branch", src: `
- init:
    assign:
      - input: 1
      - out: 0
- p:
    parallel:
      shared: [out]
      branches:
        - b1:
            steps:
              - bad:
                  assign:
                    - input: 5
        - b2:
            steps:
              - ok:
                  assign:
                    - out: 1
                    - local: 2
`, line: 12, step: "bad", message: `variable "input" belongs to the scope around parallel step "p"`},
		{name: "retry without a predicate", src: `
- t:
    try:
      return: 1
    retry:
      max_retries: 3
`, line: 6, step: "t", message: "retry needs a predicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := engine.Parse([]byte(tt.src))
			var verr *engine.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Parse() error = %v, want a *ValidationError", err)
			}
			for _, p := range verr.Problems {
				if strings.Contains(p.Message, tt.message) {
					if diff := cmp.Diff([]any{tt.line, tt.step}, []any{p.Line, p.Step}); diff != "" {
						t.Errorf("problem %q at (line, step) mismatch (-want +got):\n%s", p, diff)
					}
					return
				}
			}
			t.Errorf("Parse() problems %q, want one containing %q", verr.Error(), tt.message)
		})
	}
}

func TestValidWorkflowsParse(t *testing.T) {
	src := `
main:
  params: [args]
  steps:
    - init:
        assign:
          - results: {}
    - fanout:
        parallel:
          shared: [results]
          concurrency_limit: 5
          for:
            value: d
            in: ${args.dates}
            steps:
              - call:
                  try:
                    call: http.post
                    args:
                      url: ${args.url}
                      body:
                        date: ${d}
                    result: r
                  retry: ${http.default_retry}
              - keep:
                  assign:
                    - results[d]: ${r.body}
    - done:
        return: ${results}
`
	w, err := engine.Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse() error = %v", err)
	}
	if diff := cmp.Diff([]string{"main"}, w.Subworkflows()); diff != "" {
		t.Errorf("subworkflows mismatch (-want +got):\n%s", diff)
	}
}
