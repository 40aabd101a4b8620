package value

// SetPath returns root with the element at path replaced by v, copying every container on the way so that
// root itself is left untouched. A path element is a string (map key) or an int64 (list index). The last
// key of a map may be new; every other element must exist.
func SetPath(root any, path []any, v any) (any, error) {
	if len(path) == 0 {
		return v, nil
	}
	switch c := root.(type) {
	case map[string]any:
		key, ok := path[0].(string)
		if !ok {
			return nil, TypeErrorf("map key must be a string, got %s", TypeName(path[0]))
		}
		child, exists := c[key]
		if !exists && len(path) > 1 {
			return nil, Errorf(KeyError, "key not found: %s", key)
		}
		nv, err := SetPath(child, path[1:], v)
		if err != nil {
			return nil, err
		}
		out := make(map[string]any, len(c)+1)
		for k, e := range c {
			out[k] = e
		}
		out[key] = nv
		return out, nil
	case []any:
		idx, ok := path[0].(int64)
		if !ok {
			return nil, TypeErrorf("list index must be an integer, got %s", TypeName(path[0]))
		}
		if idx < 0 || idx >= int64(len(c)) {
			return nil, Errorf(IndexError, "list index out of range: %d", idx)
		}
		nv, err := SetPath(c[idx], path[1:], v)
		if err != nil {
			return nil, err
		}
		out := make([]any, len(c))
		copy(out, c)
		out[idx] = nv
		return out, nil
	}
	return nil, TypeErrorf("cannot assign into a value of type %s", TypeName(root))
}
