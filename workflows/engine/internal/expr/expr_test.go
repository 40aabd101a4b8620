package expr

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/workflows/engine/internal/value"
)

// testEnv has a few variables and a couple of functions.
type testEnv struct{ vars map[string]any }

func (e testEnv) Var(name string) (any, bool) { v, ok := e.vars[name]; return v, ok }

func (e testEnv) Ref(name string) (any, bool) {
	if name == "lib.answer" {
		return int64(42), true
	}
	return nil, false
}

func (e testEnv) Call(_ context.Context, name string, args []any) (any, error) {
	switch name {
	case "len":
		return int64(len(args[0].(string))), nil
	case "lib.twice":
		return Binop("*", args[0], int64(2))
	}
	return nil, value.Errorf(value.KeyError, "function not found: %s", name)
}

func newEnv() testEnv {
	return testEnv{vars: map[string]any{
		"i":    int64(7),
		"d":    2.5,
		"s":    "abc",
		"t":    true,
		"f":    false,
		"n":    nil,
		"list": []any{int64(1), "two", 3.0},
		"m":    map[string]any{"a": int64(1), "b": map[string]any{"c": "deep"}, "and": "kw"},
	}}
}

func TestEval(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want any
	}{
		{"integer literal", "42", int64(42)},
		{"double literal", "1.5", 1.5},
		{"exponent literal", "1e3", 1000.0},
		{"negative literal", "-3", int64(-3)},
		{"string double quotes", `"a\"b\n"`, "a\"b\n"},
		{"string single quotes", `'single "quoted"'`, `single "quoted"`},
		{"booleans in three cases", "[true, True, TRUE, false, False, FALSE]", []any{true, true, true, false, false, false}},
		{"null", "null", nil},
		{"int plus int stays int", "i + 1", int64(8)},
		{"int plus double is double", "i + 0.5", 7.5},
		{"division is always double", "6 / 3", 2.0},
		{"floor division of ints is int", "7 // 2", int64(3)},
		{"floor division rounds down", "-7 // 2", int64(-4)},
		{"floor division of doubles is double", "7.5 // 2", 3.0},
		{"remainder follows the divisor sign", "-7 % 3", int64(2)},
		{"double remainder", "7.5 % 2", 1.5},
		{"multiplication before addition", "1 + 2 * 3", int64(7)},
		{"parentheses", "(1 + 2) * 3", int64(9)},
		{"left associative subtraction", "10 - 4 - 3", int64(3)},
		{"unary minus binds tighter than multiplication", "-i * 2", int64(-14)},
		{"string concatenation", `s + "def"`, "abcdef"},
		{"comparison of int and double", "i > d", true},
		{"equality across int and double", "2 == 2.0", true},
		{"string ordering", `"abc" < "abd"`, true},
		{"deep equality of lists", "[1, [2]] == [1, [2]]", true},
		{"inequality of different types", `1 != "1"`, true},
		{"and or precedence", "t or f and f", true},
		{"uppercase logical operators", "NOT f AND t OR f", true},
		{"not binds tighter than comparison", "not f == t", true}, // (not f) == t
		{"not binds tighter than and", "not t and f", false},
		{"short-circuit and skips the right side", "f and m.missing", false},
		{"short-circuit or skips the right side", "t or m.missing", true},
		{"in list", `"two" in list`, true},
		{"not in list", "5 in list", false},
		{"in map checks keys", `"a" in m`, true},
		{"in map with missing key", `"z" in m`, false},
		{"member access", "m.b.c", "deep"},
		{"keyword as a key", "m.and", "kw"},
		{"index access on a map", `m["b"]["c"]`, "deep"},
		{"index access on a list", "list[1]", "two"},
		{"index with an expression", "list[i - 6]", "two"},
		{"list literal", "[1, s, [t]]", []any{int64(1), "abc", []any{true}}},
		{"map literal", `{"k": i, "l": [1]}`, map[string]any{"k": int64(7), "l": []any{int64(1)}}},
		{"empty map literal", "{}", map[string]any{}},
		{"library constant", "lib.answer", int64(42)},
		{"library function", "lib.twice(i)", int64(14)},
		{"function call", "len(s)", int64(3)},
		{"if true branch only", `if(t, "yes", m.missing)`, "yes"},
		{"if false branch only", `if(f, m.missing, "no")`, "no"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.src, err)
			}
			got, err := Eval(context.Background(), n, newEnv())
			if err != nil {
				t.Fatalf("Eval(%q): %v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Eval(%q) mismatch (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

func TestEvalErrors(t *testing.T) {
	tests := []struct {
		name, src, tag string
	}{
		{"undefined variable", "nope + 1", value.KeyError},
		{"missing map key", "m.zzz", value.KeyError},
		{"missing map key by index", `m["zzz"]`, value.KeyError},
		{"list index out of range", "list[3]", value.IndexError},
		{"negative list index", "list[-1]", value.IndexError},
		{"double list index", "list[1.0]", value.TypeError},
		{"member of a list", "list.a", value.TypeError},
		{"string plus int", `s + 1`, value.TypeError},
		{"int plus string", `1 + s`, value.TypeError},
		{"list plus list", "list + list", value.TypeError},
		{"ordering of mixed types", `s < 1`, value.TypeError},
		{"not of a string", "not s", value.TypeError},
		{"and of an int", "i and t", value.TypeError},
		{"in on a string", `"a" in s`, value.TypeError},
		{"division by zero", "1 / 0", value.ZeroDivisionError},
		{"floor division by zero", "1 // 0", value.ZeroDivisionError},
		{"remainder by zero", "1 % 0", value.ZeroDivisionError},
		{"double division by zero", "1.5 / 0.0", value.ZeroDivisionError},
		{"integer overflow", "9223372036854775807 + 1", value.ValueError},
		{"unknown function", "nofunc(1)", value.KeyError},
		{"if with a non-boolean", `if(1, 2, 3)`, value.TypeError},
		{"unary minus of a string", "-s", value.TypeError},
		{"map literal with a non-string key", "{1: 2}", value.TypeError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.src, err)
			}
			_, err = Eval(context.Background(), n, newEnv())
			exc, ok := err.(*value.Exception)
			if !ok {
				t.Fatalf("Eval(%q) = %v, want a %s exception", tt.src, err, tt.tag)
			}
			if diff := cmp.Diff([]string{tt.tag}, exc.Tags()); diff != "" {
				t.Errorf("Eval(%q) tags mismatch (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, src := range []string{
		"", "1 +", "(1", "[1, 2", `{"a" 1}`, `"unterminated`, "a.", "1 2", "f(1,)", "a $ b", "(a)(1)", "and", `"\q"`,
	} {
		t.Run(src, func(t *testing.T) {
			if _, err := Parse(src); err == nil {
				t.Errorf("Parse(%q) succeeded, want a syntax error", src)
			} else if _, ok := err.(*SyntaxError); !ok {
				t.Errorf("Parse(%q) error %T, want *SyntaxError", src, err)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"a.b[1] + 2", `{"k": [1, 2.5, "x"]}`, "not a or b and c in d", "f(x)//2%3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		n, err := Parse(src)
		if err != nil {
			return
		}
		_, _ = Eval(context.Background(), n, newEnv()) // must not panic
	})
}
