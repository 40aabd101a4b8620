package stdlib

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/workflows/engine/internal/value"
)

func call(t *testing.T, name string, args ...any) (any, error) {
	t.Helper()
	f, ok := Lookup(name)
	if !ok {
		t.Fatalf("function %s is not registered", name)
	}
	if err := f.CheckArgs(len(args)); err != nil {
		return nil, err
	}
	return f.Fn(context.Background(), args)
}

func TestFunctions(t *testing.T) {
	m := map[string]any{"a": int64(1), "b": map[string]any{"c": "x"}}
	tests := []struct {
		name string
		fn   string
		args []any
		want any
	}{
		{"default keeps a value", "default", []any{int64(1), int64(2)}, int64(1)},
		{"default replaces null", "default", []any{nil, "d"}, "d"},
		{"keys are sorted", "keys", []any{map[string]any{"b": 1, "a": 2}}, []any{"a", "b"}},
		{"len of a string counts characters", "len", []any{"héllo"}, int64(5)},
		{"len of a list", "len", []any{[]any{1, 2}}, int64(2)},
		{"len of a map", "len", []any{m}, int64(2)},
		{"len of bytes", "len", []any{[]byte("ab")}, int64(2)},
		{"type of integer", "type", []any{int64(1)}, "integer"},
		{"type of double", "type", []any{1.0}, "double"},
		{"type of null", "type", []any{nil}, "null"},
		{"type of map", "type", []any{m}, "map"},
		{"type of bytes", "type", []any{[]byte{}}, "bytes"},
		{"int of a string", "int", []any{"-12"}, int64(-12)},
		{"int truncates a double", "int", []any{-2.9}, int64(-2)},
		{"double of an int", "double", []any{int64(3)}, 3.0},
		{"double of a string", "double", []any{"2.5"}, 2.5},
		{"string of an int", "string", []any{int64(42)}, "42"},
		{"string of a whole double", "string", []any{2.0}, "2.0"},
		{"string of a double", "string", []any{0.1}, "0.1"},
		{"string of a boolean", "string", []any{true}, "true"},
		{"bool of a string", "bool", []any{"False"}, false},
		{"map.get of a key", "map.get", []any{m, "a"}, int64(1)},
		{"map.get of a missing key", "map.get", []any{m, "z"}, nil},
		{"map.get of a path", "map.get", []any{m, []any{"b", "c"}}, "x"},
		{"map.get of a missing path", "map.get", []any{m, []any{"b", "z", "y"}}, nil},
		{"map.get of null", "map.get", []any{nil, "a"}, nil},
		{"map.get of a string", "map.get", []any{"text", []any{"a", "b"}}, nil},
		{"map.delete", "map.delete", []any{m, "b"}, map[string]any{"a": int64(1)}},
		{"map.delete of a missing key", "map.delete", []any{map[string]any{"a": 1}, "z"}, map[string]any{"a": 1}},
		{"map.merge is shallow", "map.merge", []any{map[string]any{"a": map[string]any{"x": 1}, "k": 1}, map[string]any{"a": map[string]any{"y": 2}}},
			map[string]any{"a": map[string]any{"y": 2}, "k": 1}},
		{"map.merge_nested is deep", "map.merge_nested", []any{map[string]any{"a": map[string]any{"x": 1}}, map[string]any{"a": map[string]any{"y": 2}}},
			map[string]any{"a": map[string]any{"x": 1, "y": 2}}},
		{"list.concat appends", "list.concat", []any{[]any{int64(1)}, int64(2)}, []any{int64(1), int64(2)}},
		{"list.prepend", "list.prepend", []any{[]any{int64(1)}, int64(0)}, []any{int64(0), int64(1)}},
		{"text.find_all", "text.find_all", []any{"abcabc", "bc"}, []any{
			map[string]any{"index": int64(1), "match": "bc"}, map[string]any{"index": int64(4), "match": "bc"}}},
		{"text.find_all_regex", "text.find_all_regex", []any{"a1b22", `\d+`}, []any{
			map[string]any{"index": int64(1), "match": "1"}, map[string]any{"index": int64(3), "match": "22"}}},
		{"text.split", "text.split", []any{"a,b,,c", ","}, []any{"a", "b", "", "c"}},
		{"text.substring", "text.substring", []any{"héllo", int64(1), int64(3)}, "él"},
		{"text.substring clamps", "text.substring", []any{"abc", int64(-5), int64(99)}, "abc"},
		{"text.substring of an empty range", "text.substring", []any{"abc", int64(2), int64(1)}, ""},
		{"text.to_lower", "text.to_lower", []any{"AbC"}, "abc"},
		{"text.to_upper", "text.to_upper", []any{"AbC"}, "ABC"},
		{"text.replace_all", "text.replace_all", []any{"a.b.c", ".", "-"}, "a-b-c"},
		{"text.replace_all_regex with groups", "text.replace_all_regex", []any{"2024-01-10", `(\d+)-(\d+)-(\d+)`, `\3/\2/\1`}, "10/01/2024"},
		{"text.match_regex searches", "text.match_regex", []any{"order-123", `\d{3}$`}, true},
		{"text.match_regex no match", "text.match_regex", []any{"order", `^\d`}, false},
		{"text.encode", "text.encode", []any{"hé"}, []byte("hé")},
		{"text.decode", "text.decode", []any{[]byte("hé")}, "hé"},
		{"text.url_encode", "text.url_encode", []any{"a b&c"}, "a%20b%26c"},
		{"json.encode", "json.encode", []any{map[string]any{"b": 1.0, "a": []any{true, nil}}}, []byte(`{"a":[true,null],"b":1.0}`)},
		{"json.encode_to_string indented", "json.encode_to_string", []any{map[string]any{"a": int64(1)}, true}, "{\n  \"a\": 1\n}"},
		{"json.decode of a string", "json.decode", []any{`{"n": 1, "d": 1.5, "l": [2]}`}, map[string]any{"n": int64(1), "d": 1.5, "l": []any{int64(2)}}},
		{"json.decode of bytes", "json.decode", []any{[]byte(`"x"`)}, "x"},
		{"base64.encode", "base64.encode", []any{[]byte("hi")}, "aGk="},
		{"base64.encode without padding", "base64.encode", []any{[]byte("hi"), false}, "aGk"},
		{"base64.decode", "base64.decode", []any{"aGk="}, []byte("hi")},
		{"math.abs of an int", "math.abs", []any{int64(-3)}, int64(3)},
		{"math.abs of a double", "math.abs", []any{-2.5}, 2.5},
		{"math.max keeps the type", "math.max", []any{int64(1), 2.5}, 2.5},
		{"math.min", "math.min", []any{int64(1), 2.5}, int64(1)},
		{"math.floor of a double is an integer", "math.floor", []any{-1.5}, int64(-2)},
		{"time.format in UTC", "time.format", []any{int64(1720788633)}, "2024-07-12T12:50:33.000000Z"},
		{"time.format in a timezone", "time.format", []any{int64(1720788633), "Europe/Paris"}, "2024-07-12T14:50:33.000000+02:00"},
		{"time.format keeps microseconds", "time.format", []any{1704903354.615087}, "2024-01-10T16:15:54.615087Z"},
		{"time.parse", "time.parse", []any{"2024-07-12T14:50:33.5+02:00"}, 1720788633.5},
		{"retry.always", "retry.always", []any{nil}, true},
		{"retry.never", "retry.never", []any{nil}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := call(t, tt.fn, tt.args...)
			if err != nil {
				t.Fatalf("%s: %v", tt.fn, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", tt.fn, diff)
			}
		})
	}
}

func TestFunctionErrors(t *testing.T) {
	tests := []struct {
		name string
		fn   string
		args []any
		tag  string
	}{
		{"too few arguments", "text.split", []any{"a"}, value.TypeError},
		{"too many arguments", "len", []any{"a", "b"}, value.TypeError},
		{"keys of a list", "keys", []any{[]any{}}, value.TypeError},
		{"len of an int", "len", []any{int64(1)}, value.TypeError},
		{"int of a bad string", "int", []any{"1.5"}, value.ValueError},
		{"int of a boolean", "int", []any{true}, value.TypeError},
		{"double of a bad string", "double", []any{"x"}, value.ValueError},
		{"string of a map", "string", []any{map[string]any{}}, value.TypeError},
		{"bool of a bad string", "bool", []any{"yes"}, value.ValueError},
		{"json.decode of bad JSON", "json.decode", []any{"{"}, value.ValueError},
		{"json.encode of bytes", "json.encode", []any{[]byte("x")}, value.TypeError},
		{"base64.encode of a string", "base64.encode", []any{"hi"}, value.TypeError},
		{"base64.decode of bad data", "base64.decode", []any{"!!"}, value.ValueError},
		{"text.match_regex with a bad pattern", "text.match_regex", []any{"a", "("}, value.ValueError},
		{"time.format with an unknown zone", "time.format", []any{int64(0), "Mars/Base"}, value.ValueError},
		{"time.parse of a bad timestamp", "time.parse", []any{"yesterday"}, value.ValueError},
		{"math.max of strings", "math.max", []any{"a", "b"}, value.TypeError},
		{"list.concat of a map", "list.concat", []any{map[string]any{}, 1}, value.TypeError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := call(t, tt.fn, tt.args...)
			exc, ok := err.(*value.Exception)
			if !ok {
				t.Fatalf("%s(%v) = %v, want a %s exception", tt.fn, tt.args, err, tt.tag)
			}
			if diff := cmp.Diff([]string{tt.tag}, exc.Tags()); diff != "" {
				t.Errorf("tags mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDefaultRetryPredicate(t *testing.T) {
	httpErr := func(code int64) map[string]any {
		return map[string]any{"tags": []any{"HttpError"}, "code": code, "message": "HTTP server responded with error code"}
	}
	tagged := func(tag string) map[string]any { return map[string]any{"tags": []any{tag}, "message": tag} }
	tests := []struct {
		name              string
		err               any
		idempotent, other bool
	}{
		{"429", httpErr(429), true, true},
		{"500 is not retried", httpErr(500), false, false},
		{"502", httpErr(502), true, false},
		{"503", httpErr(503), true, true},
		{"504", httpErr(504), true, false},
		{"404", httpErr(404), false, false},
		{"ConnectionError", tagged("ConnectionError"), true, false},
		{"ConnectionFailedError", tagged("ConnectionFailedError"), true, true},
		{"TimeoutError", tagged("TimeoutError"), true, false},
		{"KeyError", tagged("KeyError"), false, false},
		{"a raised string", "boom", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := call(t, "http.default_retry_predicate", tt.err)
			got2, _ := call(t, "http.default_retry_predicate_non_idempotent", tt.err)
			if diff := cmp.Diff([]any{tt.idempotent, tt.other}, []any{got, got2}); diff != "" {
				t.Errorf("(default, non-idempotent) mismatch (-want +got):\n%s", diff)
			}
		})
	}
	policy, _ := Constant("http.default_retry")
	want := map[string]any{
		"predicate":   &value.Func{Name: "http.default_retry_predicate"},
		"max_retries": int64(5),
		"backoff":     map[string]any{"initial_delay": int64(1), "max_delay": int64(60), "multiplier": 1.25},
	}
	if diff := cmp.Diff(want, policy); diff != "" {
		t.Errorf("http.default_retry mismatch (-want +got):\n%s", diff)
	}
}
