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

func TestSwitchAndNext(t *testing.T) {
	runCases(t, []runCase{
		{name: "first true condition wins", src: `
main:
  params: [n]
  steps:
    - s:
        switch:
          - condition: ${n < 0}
            next: negative
          - condition: ${n == 0}
            next: zero
          - condition: true
            next: positive
    - negative:
        return: neg
    - zero:
        return: zero
    - positive:
        return: pos
`, arg: 0, want: `"zero"`, steps: 2},
		{name: "no condition matches: the switch's own next", src: `
- s:
    switch:
      - condition: false
        next: a
    next: b
- a:
    return: a
- b:
    return: b
`, want: `"b"`},
		{name: "no condition matches and no next: the following step", src: `
- s:
    switch:
      - condition: false
        next: b
- a:
    return: a
- b:
    return: b
`, want: `"a"`},
		{name: "inline assign and steps in conditions", src: `
- init:
    assign:
      - x: 1
- s:
    switch:
      - condition: ${x == 1}
        assign:
          - x: 10
      - condition: true
        assign:
          - x: 99
- s2:
    switch:
      - condition: ${x == 10}
        steps:
          - inner:
              assign:
                - x: ${x + 1}
- r:
    return: ${x}
`, want: `11`, steps: 5},
		{name: "a loop built from jumps", src: `
- init:
    assign:
      - i: 0
- check:
    switch:
      - condition: ${i < 5}
        next: inc
    next: done
- inc:
    assign:
      - i: ${i + 1}
    next: check
- done:
    return: ${i}
`, want: `5`, steps: 13},
		{name: "jump into a nested steps block", src: `
- start:
    next: target
- wrapper:
    steps:
      - skipped:
          return: skipped
      - target:
          return: reached
`, want: `"reached"`},
		{name: "jump out of a nested steps block", src: `
- wrapper:
    steps:
      - a:
          next: out
      - b:
          return: b
- out:
    return: out
`, want: `"out"`},
		{name: "next end stops the workflow", src: `
- a:
    next: end
- b:
    return: b
`, want: `null`},
		{name: "a non-boolean condition is a TypeError", src: `
- s:
    switch:
      - condition: ${"yes"}
        next: s
`, tags: []string{"TypeError"}, step: "s"},
	}, nil)
}

func TestFor(t *testing.T) {
	runCases(t, []runCase{
		{name: "in a list with index", src: `
- init:
    assign:
      - out: []
- loop:
    for:
      value: v
      index: i
      in: [a, b, c]
      steps:
        - add:
            assign:
              - out: ${list.concat(out, string(i) + v)}
- r:
    return: ${out}
`, want: `["0a","1b","2c"]`, steps: 6},
		{name: "range is inclusive of both ends", src: `
- init:
    assign:
      - sum: 0
- loop:
    for:
      value: v
      range: [1, 9]
      steps:
        - add:
            assign:
              - sum: ${sum + v}
- r:
    return: ${sum}
`, want: `45`, steps: 12},
		{name: "range from expressions", src: `
main:
  params: [n]
  steps:
    - init:
        assign:
          - seen: []
    - loop:
        for:
          value: v
          range: ${[n - 1, n + 1]}
          steps:
            - add:
                assign:
                  - seen: ${list.concat(seen, v)}
    - r:
        return: ${seen}
`, arg: 5, want: `[4,5,6]`},
		{name: "range of doubles steps by one", src: `
- init:
    assign:
      - seen: []
- loop:
    for:
      value: v
      range: [1.5, 3.6]
      steps:
        - add:
            assign:
              - seen: ${list.concat(seen, v)}
- r:
    return: ${seen}
`, want: `[1.5,2.5,3.5]`},
		{name: "an empty range runs nothing", src: `
- loop:
    for:
      value: v
      range: [3, 1]
      steps:
        - boom:
            raise: never
- r:
    return: ok
`, want: `"ok"`, steps: 2},
		{name: "variables from before the loop are updated", src: `
- init:
    assign:
      - total: 0
- loop:
    for:
      value: v
      in: [1, 2]
      steps:
        - add:
            assign:
              - total: ${total + v}
- r:
    return: ${total}
`, want: `3`},
		{name: "variables created in the loop do not exist after it", src: `
- loop:
    for:
      value: v
      in: [1, 2]
      steps:
        - add:
            assign:
              - created: ${v}
- r:
    return: ${created}
`, tags: []string{"KeyError"}, step: "r"},
		{name: "the loop variable does not exist after the loop", src: `
- loop:
    for:
      value: v
      in: [1]
      steps:
        - noop:
            assign:
              - x: 1
- r:
    return: ${v}
`, tags: []string{"KeyError"}, step: "r"},
		{name: "nested loops with workflow, outer and inner scopes", src: `
- init:
    assign:
      - workflowScope: foo
- outerLoop:
    for:
      value: outerLoopValue
      in: [1, 2]
      steps:
        - outerLoopAssign:
            assign:
              - outerLoopScope: ${workflowScope}
        - innerLoop:
            for:
              value: innerLoopValue
              in: [5, 6]
              steps:
                - innerLoopAssign:
                    assign:
                      - workflowScope: ${innerLoopValue}
                      - innerLoopScope: ${outerLoopScope}
- final:
    return: ${workflowScope}
`, want: `6`},
		{name: "break and continue", src: `
- init:
    assign:
      - seen: []
- loop:
    for:
      value: v
      range: [1, 10]
      steps:
        - skipOdd:
            switch:
              - condition: ${v % 2 == 1}
                next: continue
        - stopAtSix:
            switch:
              - condition: ${v > 6}
                next: break
        - add:
            assign:
              - seen: ${list.concat(seen, v)}
- r:
    return: ${seen}
`, want: `[2,4,6]`},
		{name: "jumping out of a loop", src: `
- loop:
    for:
      value: v
      in: [1, 2, 3]
      steps:
        - found:
            switch:
              - condition: ${v == 2}
                next: done
- notFound:
    return: none
- done:
    return: found
`, want: `"found"`},
		{name: "return inside a loop returns from the workflow", src: `
- loop:
    for:
      value: v
      in: [1, 2, 3]
      steps:
        - r:
            return: ${v}
`, want: `1`},
		{name: "iterating over a map is a TypeError", src: `
- loop:
    for:
      value: v
      in: '${ {"a": 1} }'
      steps:
        - r:
            return: ${v}
`, tags: []string{"TypeError"}, step: "loop"},
	}, nil)
}
