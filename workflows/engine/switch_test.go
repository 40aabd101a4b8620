package engine_test

import "testing"

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
