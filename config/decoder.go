package config

import (
	"fmt"
	"path/filepath"

	"go.yaml.in/yaml/v3"
)

// decoder sets Config fields from YAML nodes that all come from one source: the file, the environment or
// the defaults. It records where each value came from and collects problems instead of stopping.
type decoder struct {
	cfg      *Config
	file     string // the file the nodes come from; "" for the environment and the defaults
	dir      string // the directory relative paths are resolved against; "" leaves them as they are
	env      bool
	problems []Problem
}

// at returns the origin of a node from this decoder's source.
func (d *decoder) at(n *yaml.Node) origin {
	if d.env {
		return origin{env: true}
	}
	if d.file == "" {
		return origin{}
	}
	return origin{file: d.file, line: n.Line}
}

func (d *decoder) fail(key string, n *yaml.Node, format string, args ...any) {
	d.problems = append(d.problems, d.at(n).problem(key, fmt.Sprintf(format, args...)))
}

// set records that key was set at n.
func (d *decoder) set(key string, n *yaml.Node) {
	if d.cfg.src == nil {
		d.cfg.src = map[string]origin{}
	}
	d.cfg.src[key] = d.at(n)
}

// path resolves a path from the file against the file's directory.
func (d *decoder) path(p string) string {
	if p == "" || d.dir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(d.dir, p)
}

// scalar returns the text of a scalar node, or records a problem saying what was wanted.
func (d *decoder) scalar(key string, n *yaml.Node, want string) (string, bool) {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode {
		d.fail(key, n, "want %s, got %s", want, describe(n))
		return "", false
	}
	return n.Value, true
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// isNull reports whether the node is YAML's null (`KEY:` with no value, `~` or `null`).
func isNull(n *yaml.Node) bool {
	n = resolve(n)
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// describe names what a node holds, for "want X, got Y".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}

// scalarNode wraps an environment value or a default as a plain string node.
func scalarNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}
