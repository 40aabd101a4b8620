package engine_test

import "testing"

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
		{name: "iterating over the keys of a map with number-like keys", src: `
- assignStep:
    assign:
      - map:
          1: 10
          2: 20
          3: 30
      - sum: 0
- loopStep:
    for:
      value: key
      in: ${keys(map)}
      steps:
        - sumStep:
            assign:
              - sum: ${sum + map[key]}
- returnStep:
    return: ${[sum, keys(map)]}
`, want: `[60,["1","2","3"]]`},
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
