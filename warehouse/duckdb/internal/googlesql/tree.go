package googlesql

import (
	"strings"

	"github.com/pltv/pltv/warehouse"
)

// node is a token, or a bracketed group: ( ... ) or [ ... ].
type node struct {
	tok   token
	group *group
}

type group struct {
	open, close token
	kids        []node
}

// line returns the line where the node starts.
func (n node) line() int {
	if n.group != nil {
		return n.group.open.line
	}
	return n.tok.line
}

// isSpace reports whether the node is whitespace or a comment.
func (n node) isSpace() bool {
	return n.group == nil && (n.tok.kind == tSpace || n.tok.kind == tComment)
}

// is reports whether the node is the keyword or operator s.
func (n node) is(s string) bool { return n.group == nil && n.tok.is(s) }

// isGroup reports whether the node is a group opened by open ("(" or "[").
func (n node) isGroup(open string) bool { return n.group != nil && n.group.open.text == open }

// newlines counts the line breaks inside the node.
func (n node) newlines() int {
	if n.group == nil {
		return n.tok.newlines()
	}
	c := 0
	for _, k := range n.group.kids {
		c += k.newlines()
	}
	return c
}

// source returns the node's original text.
func (n node) source() string {
	if n.group == nil {
		return n.tok.text
	}
	var b strings.Builder
	b.WriteString(n.group.open.text)
	for _, k := range n.group.kids {
		b.WriteString(k.source())
	}
	b.WriteString(n.group.close.text)
	return b.String()
}

// buildTree nests the tokens by their brackets.
func buildTree(toks []token) ([]node, error) {
	var stack []*group
	root := &group{}
	cur := root
	for _, t := range toks {
		switch {
		case t.kind == tOp && (t.text == "(" || t.text == "["):
			stack = append(stack, cur)
			cur = &group{open: t}
		case t.kind == tOp && (t.text == ")" || t.text == "]"):
			want := map[string]string{")": "(", "]": "["}[t.text]
			if len(stack) == 0 || cur.open.text != want {
				return nil, &warehouse.SQLError{Line: t.line, Message: "unbalanced " + t.text}
			}
			cur.close = t
			parent := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			parent.kids = append(parent.kids, node{group: cur})
			cur = parent
		default:
			cur.kids = append(cur.kids, node{tok: t})
		}
	}
	if len(stack) > 0 {
		return nil, &warehouse.SQLError{Line: cur.open.line, Message: "unclosed " + cur.open.text}
	}
	return root.kids, nil
}

// nextSig returns the index of the first non-space node at or after i, or len(nodes).
func nextSig(nodes []node, i int) int {
	for i < len(nodes) && nodes[i].isSpace() {
		i++
	}
	return i
}

// prevSig returns the index of the last non-space node before i, or -1.
func prevSig(nodes []node, i int) int {
	i--
	for i >= 0 && nodes[i].isSpace() {
		i--
	}
	return i
}

// splitTop splits nodes at the top-level separator sep (a comma or a semicolon).
func splitTop(nodes []node, sep string) [][]node {
	var out [][]node
	start := 0
	for i, n := range nodes {
		if n.is(sep) {
			out = append(out, nodes[start:i])
			start = i + 1
		}
	}
	return append(out, nodes[start:])
}

// trimSpace drops leading and trailing whitespace nodes.
func trimSpace(nodes []node) []node {
	for len(nodes) > 0 && nodes[0].isSpace() {
		nodes = nodes[1:]
	}
	for len(nodes) > 0 && nodes[len(nodes)-1].isSpace() {
		nodes = nodes[:len(nodes)-1]
	}
	return nodes
}

// sig returns the non-space nodes.
func sig(nodes []node) []node {
	var out []node
	for _, n := range nodes {
		if !n.isSpace() {
			out = append(out, n)
		}
	}
	return out
}

// countNewlines counts the line breaks in nodes.
func countNewlines(nodes []node) int {
	c := 0
	for _, n := range nodes {
		c += n.newlines()
	}
	return c
}
