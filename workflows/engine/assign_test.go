package engine_test

import "testing"

func TestAssign(t *testing.T) {
	runCases(t, []runCase{
		{name: "plain values of every type", src: `
- a:
    assign:
      - i: 1
      - d: 1.5
      - s: text
      - b: true
      - n: null
      - l: [1, "x"]
      - m: {k: v}
- r:
    return: ${[i, d, s, b, n, l, m]}
`, want: `[1,1.5,"text",true,null,[1,"x"],{"k":"v"}]`, steps: 2},
		{name: "later assignments see earlier ones", src: `
- a:
    assign:
      - x: 1
      - x: ${x + 1}
      - y: ${x * 10}
- r:
    return: ${y}
`, want: `20`},
		{name: "map key, creating keys and nested keys", src: `
- a:
    assign:
      - m: {inner: {a: 1}}
      - m.new: 2
      - m.inner.b: 3
      - m["with space"]: 4
      - key: dyn
      - m[key]: 5
- r:
    return: ${m}
`, want: `{"dyn":5,"inner":{"a":1,"b":3},"new":2,"with space":4}`},
		{name: "list index", src: `
- a:
    assign:
      - l: [[0, 0], [0, 0]]
      - i: 1
      - l[i][0]: x
      - l[0]: y
- r:
    return: ${l}
`, want: `["y",["x",0]]`},
		{name: "assigning a copy does not alias", src: `
- a:
    assign:
      - a: {k: 1}
      - b: ${a}
      - b.k: 2
- r:
    return: ${[a.k, b.k]}
`, want: `[1,2]`},
		{name: "expressions inside map and list values", src: `
- a:
    assign:
      - x: 2
      - m:
          sum: ${x + 1}
          list: ["${x}", plain, "${x + 0.5}"]
- r:
    return: ${m}
`, want: `{"list":[2,"plain",2.5],"sum":3}`},
		{name: "dynamic map keys", src: `
- createMap:
    assign:
      - dynamicKey: MiddleName
      - myMap:
          FirstName: John
          ${dynamicKey}: Apple
          ${"n" + string(1)}: 1
- r:
    return: ${myMap}
`, want: `{"FirstName":"John","MiddleName":"Apple","n1":1}`},
		{name: "a string that only contains ${ is not an expression", src: `
- r:
    return: "cost: ${x} dollars"
`, want: `"cost: ${x} dollars"`},
		{name: "missing intermediate key", src: `
- a:
    assign:
      - m: {}
      - m.a.b: 1
`, tags: []string{"KeyError"}, step: "a"},
		{name: "list index out of range", src: `
- a:
    assign:
      - l: [1]
      - l[3]: 1
`, tags: []string{"IndexError"}, step: "a"},
		{name: "key of an undefined variable", src: `
- a:
    assign:
      - nope.k: 1
`, tags: []string{"KeyError"}, step: "a"},
		{name: "undefined variable in an expression", src: `
- first:
    assign:
      - x: 1
- second:
    assign:
      - y: ${undefined_var + x}
`, payload: `{"message":"KeyError: variable not found: undefined_var","tags":["KeyError"]}`, step: "second"},
	}, nil)
}
