package stdlib

import (
	"context"

	"github.com/pltv/pltv/workflows/engine/internal/value"
)

func init() {
	register("map.get", []string{"map", "keys"}, 2, mapGet)
	register("map.delete", []string{"map", "key"}, 2, func(_ context.Context, a []any) (any, error) {
		m, err := asMap("map.delete", a[0], "map")
		if err != nil {
			return nil, err
		}
		k, err := str("map.delete", a[1], "key")
		if err != nil {
			return nil, err
		}
		out := make(map[string]any, len(m))
		for key, v := range m {
			if key != k {
				out[key] = v
			}
		}
		return out, nil
	})
	register("map.merge", []string{"first", "second"}, 2, func(_ context.Context, a []any) (any, error) {
		return merge("map.merge", a[0], a[1], false)
	})
	register("map.merge_nested", []string{"first", "second"}, 2, func(_ context.Context, a []any) (any, error) {
		return merge("map.merge_nested", a[0], a[1], true)
	})
	register("list.concat", []string{"objs", "val"}, 2, func(_ context.Context, a []any) (any, error) {
		l, err := asList("list.concat", a[0], "objs")
		if err != nil {
			return nil, err
		}
		out := make([]any, len(l), len(l)+1)
		copy(out, l)
		return append(out, a[1]), nil
	})
	register("list.prepend", []string{"objs", "val"}, 2, func(_ context.Context, a []any) (any, error) {
		l, err := asList("list.prepend", a[0], "objs")
		if err != nil {
			return nil, err
		}
		out := make([]any, 0, len(l)+1)
		out = append(out, a[1])
		return append(out, l...), nil
	})
}

// mapGet returns the value at a key, or at a path of keys given as a list, and null when any is missing.
func mapGet(_ context.Context, a []any) (any, error) {
	var path []any
	switch k := a[1].(type) {
	case string:
		path = []any{k}
	case []any:
		path = k
	default:
		return nil, value.TypeErrorf("map.get: keys must be a string or a list of strings, got %s", value.TypeName(a[1]))
	}
	// Input that is not a map, null included, gives null, as documented ("If the input is not a map ...
	// returns null"), like a nested key that is not a map below.
	var cur any = a[0]
	for _, p := range path {
		key, ok := p.(string)
		if !ok {
			return nil, value.TypeErrorf("map.get: keys must be strings, got %s", value.TypeName(p))
		}
		cm, ok := cur.(map[string]any)
		if !ok {
			return nil, nil
		}
		if cur, ok = cm[key]; !ok {
			return nil, nil
		}
	}
	return cur, nil
}

func merge(fn string, first, second any, nested bool) (any, error) {
	a, err := asMap(fn, first, "first")
	if err != nil {
		return nil, err
	}
	b, err := asMap(fn, second, "second")
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if nested {
			am, ok1 := out[k].(map[string]any)
			bm, ok2 := v.(map[string]any)
			if ok1 && ok2 {
				m, err := merge(fn, am, bm, true)
				if err != nil {
					return nil, err
				}
				out[k] = m
				continue
			}
		}
		out[k] = v
	}
	return out, nil
}
