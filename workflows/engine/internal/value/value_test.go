package value

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSetPath(t *testing.T) {
	root := map[string]any{"a": map[string]any{"b": int64(1)}, "l": []any{int64(1), int64(2)}}
	tests := []struct {
		name string
		path []any
		v    any
		want any
		tag  string
	}{
		{"replace a nested key", []any{"a", "b"}, int64(2), map[string]any{"a": map[string]any{"b": int64(2)}, "l": []any{int64(1), int64(2)}}, ""},
		{"create a key", []any{"a", "c"}, "new", map[string]any{"a": map[string]any{"b": int64(1), "c": "new"}, "l": []any{int64(1), int64(2)}}, ""},
		{"replace a list element", []any{"l", int64(1)}, "x", map[string]any{"a": map[string]any{"b": int64(1)}, "l": []any{int64(1), "x"}}, ""},
		{"missing intermediate key", []any{"z", "y"}, 1, nil, KeyError},
		{"index out of range", []any{"l", int64(2)}, 1, nil, IndexError},
		{"string index into a list", []any{"l", "0"}, 1, nil, TypeError},
		{"key into a number", []any{"a", "b", "c"}, 1, nil, TypeError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SetPath(root, tt.path, tt.v)
			if tt.tag != "" {
				exc, ok := err.(*Exception)
				if !ok || !exc.HasTag(tt.tag) {
					t.Fatalf("SetPath error = %v, want %s", err, tt.tag)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff(map[string]any{"a": map[string]any{"b": int64(1)}, "l": []any{int64(1), int64(2)}}, root); diff != "" {
		t.Errorf("SetPath changed its input (-want +got):\n%s", diff)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name, in, out string
	}{
		{"integers stay integers", `{"a":1,"b":-2}`, `{"a":1,"b":-2}`},
		{"doubles keep a fraction", `[1.0,2.5,1e3]`, `[1.0,2.5,1000.0]`},
		{"big integers become doubles", `12345678901234567890`, `1.2345678901234567e+19`},
		{"keys are sorted, html is not escaped", `{"z":"<a>","a":null}`, `{"a":null,"z":"<a>"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := UnmarshalJSON([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			out, err := MarshalJSON(v)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.out, string(out)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b any
		want bool
	}{
		{"int and double", int64(1), 1.0, true},
		{"int and string", int64(1), "1", false},
		{"nested maps", map[string]any{"a": []any{int64(1)}}, map[string]any{"a": []any{1.0}}, true},
		{"maps with different keys", map[string]any{"a": 1}, map[string]any{"b": 1}, false},
		{"null and null", nil, nil, true},
		{"bytes", []byte("a"), []byte("a"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Equal(tt.a, tt.b); got != tt.want {
				t.Errorf("Equal(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestFormatDouble(t *testing.T) {
	tests := map[float64]string{
		1: "1.0", 1.5: "1.5", -0.25: "-0.25", 1704070800: "1704070800.0", 1e16: "1e+16", 1e-5: "1e-05", 0.0001: "0.0001",
	}
	for f, want := range tests {
		if got := FormatDouble(f); got != want {
			t.Errorf("FormatDouble(%v) = %q, want %q", f, got, want)
		}
	}
}
