package engine

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// loadSource parses YAML or JSON (JSON is read as YAML, which keeps line numbers) into its document node.
func loadSource(src []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("parse workflow source: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, fmt.Errorf("parse workflow source: the source is empty")
	}
	root := doc.Content[0]
	if err := checkKeys(root); err != nil {
		return nil, fmt.Errorf("parse workflow source: %w", err)
	}
	return root, nil
}

// checkKeys rejects what YAML allows but a workflow cannot hold: aliases to nothing, non-scalar and
// duplicate map keys.
func checkKeys(n *yaml.Node) error {
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return fmt.Errorf("line %d: unresolved alias", n.Line)
		}
		return checkKeys(n.Alias)
	case yaml.MappingNode:
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: map keys must be plain strings", k.Line)
			}
			if seen[k.Value] {
				return fmt.Errorf("line %d: duplicate key %q", k.Line, k.Value)
			}
			seen[k.Value] = true
			if err := checkKeys(n.Content[i+1]); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if err := checkKeys(c); err != nil {
				return err
			}
		}
	}
	return nil
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// scalarValue converts a YAML scalar to a workflow value: null, bool, int64, float64 or string.
func scalarValue(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			return nil, fmt.Errorf("line %d: integer %q out of range", n.Line, n.Value)
		}
		return i, nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return f, nil
	case "!!str", "!!timestamp", "!!binary":
		return n.Value, nil
	}
	return nil, fmt.Errorf("line %d: unsupported YAML tag %s", n.Line, n.ShortTag())
}

// plainValue converts a node tree to what a JSON decoder with UseNumber would produce, for the schema.
func plainValue(n *yaml.Node) (any, error) {
	n = resolve(n)
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := plainValue(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := plainValue(c)
			if err != nil {
				return nil, err
			}
			l[i] = v
		}
		return l, nil
	}
	v, err := scalarValue(n)
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case int64:
		return json.Number(strconv.FormatInt(x, 10)), nil
	case float64:
		return json.Number(strconv.FormatFloat(x, 'g', -1, 64)), nil
	}
	return v, nil
}

// nodeAt follows a JSON pointer (split into tokens) from n, returning the deepest node reached.
func nodeAt(n *yaml.Node, path []string) *yaml.Node {
	for _, tok := range path {
		n = resolve(n)
		switch n.Kind {
		case yaml.MappingNode:
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == tok {
					n = n.Content[i+1]
					found = true
					break
				}
			}
			if !found {
				return n
			}
		case yaml.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n.Content) {
				return n
			}
			n = n.Content[i]
		default:
			return n
		}
	}
	return n
}

// stepAt names the innermost step on a JSON pointer path: the key of a one-key map inside a steps list.
func stepAt(root *yaml.Node, path []string) string {
	name := ""
	n := root
	for i, tok := range path {
		n = resolve(n)
		if n.Kind == yaml.SequenceNode && i+1 < len(path) && (i == 0 || isStepList(path[i-1])) {
			if idx, err := strconv.Atoi(tok); err == nil && idx < len(n.Content) {
				item := resolve(n.Content[idx])
				if item.Kind == yaml.MappingNode && len(item.Content) == 2 && item.Content[0].Value == path[i+1] {
					name = path[i+1]
				}
			}
		}
		n = nodeAt(n, []string{tok})
	}
	return name
}

func isStepList(key string) bool {
	return key == "steps" || key == "branches" || key == "try"
}

func pointer(path []string) string {
	if len(path) == 0 {
		return "/"
	}
	return "/" + strings.Join(path, "/")
}
