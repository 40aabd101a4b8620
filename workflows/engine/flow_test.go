package engine_test

import "testing"

func TestDocumentForms(t *testing.T) {
	runCases(t, []runCase{
		{name: "a list of steps is main", src: `
- r:
    return: ok
`, want: `"ok"`},
		{name: "a map of subworkflows with main and its argument", src: `
main:
  params: [args]
  steps:
    - r:
        return: ${args.name}
`, arg: map[string]any{"name": "x"}, want: `"x"`},
		{name: "main without params ignores the argument", src: `
main:
  steps:
    - r:
        return: 1
`, arg: map[string]any{"name": "x"}, want: `1`},
		{name: "JSON source", src: `{"main": {"params": ["a"], "steps": [{"r": {"return": "${a + 1}"}}]}}`, arg: 41, want: `42`},
		{name: "falling off the end returns null", src: `
- a:
    assign:
      - x: 1
`, want: `null`},
		{name: "nested steps blocks", src: `
- outer:
    steps:
      - inner:
          steps:
            - a:
                assign:
                  - x: 1
      - b:
          assign:
            - x: ${x + 1}
- r:
    return: ${x}
`, want: `2`, steps: 5},
	}, nil)
}

func TestSubworkflows(t *testing.T) {
	runCases(t, []runCase{
		{name: "call with args and result", src: `
main:
  steps:
    - c:
        call: add
        args:
          a: 1
          b: 2
        result: r
    - ret:
        return: ${r}
add:
  params: [a, b]
  steps:
    - r:
        return: ${a + b}
`, want: `3`, steps: 3},
		{name: "default parameter values", src: `
main:
  steps:
    - c:
        call: greet
        args:
          name: Ada
        result: r
    - ret:
        return: ${r}
greet:
  params: [name, greeting: Hello, punct: "!"]
  steps:
    - r:
        return: ${greeting + " " + name + punct}
`, want: `"Hello Ada!"`},
		{name: "called from an expression with positional arguments", src: `
main:
  steps:
    - ret:
        return: ${double(double(3)) + 1}
double:
  params: [x]
  steps:
    - r:
        return: ${x * 2}
`, want: `13`, steps: 3},
		{name: "subworkflow variables are local", src: `
main:
  steps:
    - a:
        assign:
          - x: outer
    - c:
        call: sub
    - ret:
        return: ${x}
sub:
  steps:
    - a:
        assign:
          - x: inner
`, want: `"outer"`},
		{name: "a subworkflow cannot see the caller's variables", src: `
main:
  steps:
    - a:
        assign:
          - x: 1
    - c:
        call: sub
sub:
  steps:
    - r:
        return: ${x}
`, tags: []string{"KeyError"}, step: "r"},
		{name: "next end returns null from a subworkflow", src: `
main:
  steps:
    - c:
        call: sub
        result: r
    - ret:
        return: ${r}
sub:
  steps:
    - stop:
        next: end
    - never:
        return: 1
`, want: `null`},
		{name: "recursion is limited", src: `
main:
  steps:
    - ret:
        return: ${down(100)}
down:
  params: [n]
  steps:
    - r:
        return: ${down(n - 1)}
`, tags: []string{"RecursionError"}},
		{name: "recursion within the limit", src: `
main:
  steps:
    - ret:
        return: ${fact(10)}
fact:
  params: [n]
  steps:
    - base:
        switch:
          - condition: ${n <= 1}
            return: 1
    - r:
        return: ${n * fact(n - 1)}
`, want: `3628800`},
		{name: "errors carry the trace through calls", src: `
main:
  steps:
    - c:
        call: sub
sub:
  steps:
    - boom:
        raise: failed
`, payload: `"failed"`, step: "boom"},
	}, nil)
}
