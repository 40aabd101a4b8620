package googlesql

import (
	"fmt"
	"strings"

	"github.com/pltv/pltv/warehouse"
)

// block is one SELECT of a sequence: where its FROM and WHERE clauses are, and the wildcard table its FROM
// clause reads, if any.
type block struct {
	start, end           int // [start, end): from SELECT to the next SELECT or the end
	fromStart, fromEnd   int
	whereStart, whereEnd int
	wildcard             *blockWildcard
}

type blockWildcard struct {
	alias string
}

type blockSet struct{ blocks []*block }

// clauseEnds end a FROM or WHERE clause.
var clauseEnds = map[string]bool{"WHERE": true, "GROUP": true, "HAVING": true, "QUALIFY": true, "WINDOW": true,
	"ORDER": true, "LIMIT": true, "UNION": true, "INTERSECT": true, "EXCEPT": true, "SELECT": true}

// scanBlocks finds the SELECT blocks of a sequence.
func scanBlocks(nodes []node) *blockSet {
	bs := &blockSet{}
	var cur *block
	for i, n := range nodes {
		if n.isSpace() || n.group != nil || n.tok.kind != tIdent {
			continue
		}
		kw := n.tok.upper()
		if cur != nil && clauseEnds[kw] {
			if cur.fromStart > 0 && cur.fromEnd == 0 {
				cur.fromEnd = i
			}
			if cur.whereStart > 0 && cur.whereEnd == 0 && kw != "WHERE" {
				cur.whereEnd = i
			}
		}
		switch kw {
		case "SELECT":
			if cur != nil {
				cur.end = i
			}
			cur = &block{start: i}
			bs.blocks = append(bs.blocks, cur)
		case "FROM":
			if p := prevSig(nodes, i); cur != nil && cur.fromStart == 0 && (p < 0 || !nodes[p].is("DISTINCT")) {
				cur.fromStart = i + 1
			}
		case "WHERE":
			if cur != nil && cur.fromStart > 0 && cur.whereStart == 0 {
				cur.whereStart = i + 1
			}
		}
	}
	for _, b := range bs.blocks {
		if b.end == 0 {
			b.end = len(nodes)
		}
		if b.fromStart > 0 && b.fromEnd == 0 {
			b.fromEnd = b.end
		}
		if b.whereStart > 0 && b.whereEnd == 0 {
			b.whereEnd = b.end
		}
		b.wildcard = findWildcard(nodes, b)
	}
	return bs
}

// findWildcard returns the wildcard table of a block's FROM clause, with its alias.
func findWildcard(nodes []node, b *block) *blockWildcard {
	for i := b.fromStart; i < b.fromEnd; i++ {
		n := nodes[i]
		if n.group != nil || n.tok.kind != tQuoted || !strings.HasSuffix(n.tok.val, "*") {
			continue
		}
		return &blockWildcard{alias: aliasAfter(nodes, i+1)}
	}
	return nil
}

// aliasAfter returns the alias written after a table name ending before i, or "".
func aliasAfter(nodes []node, i int) string {
	j := nextSig(nodes, i)
	if j < len(nodes) && nodes[j].is("AS") {
		j = nextSig(nodes, j+1)
	}
	if j >= len(nodes) || nodes[j].group != nil {
		return ""
	}
	n := nodes[j].tok
	switch {
	case n.kind == tQuoted:
		return n.val
	case n.kind == tIdent && !reservedAfterTable[n.upper()]:
		return n.text
	}
	return ""
}

// reservedAfterTable are the keywords that can follow a table name where an alias could be.
var reservedAfterTable = map[string]bool{"WHERE": true, "GROUP": true, "HAVING": true, "QUALIFY": true,
	"WINDOW": true, "ORDER": true, "LIMIT": true, "UNION": true, "INTERSECT": true, "EXCEPT": true,
	"JOIN": true, "INNER": true, "LEFT": true, "RIGHT": true, "FULL": true, "CROSS": true, "ON": true,
	"USING": true, "FOR": true, "TABLESAMPLE": true, "PIVOT": true, "UNPIVOT": true, "SET": true,
	"AS": true, "WHEN": true, "SELECT": true, "VALUES": true, "WITH": true, "OPTIONS": true,
	"PARTITION": true, "CLUSTER": true, "DEFAULT": true, "NATURAL": true}

func (bs *blockSet) at(i int) *block {
	for _, b := range bs.blocks {
		if i >= b.start && i < b.end {
			return b
		}
	}
	return nil
}

// inFrom reports whether node i is in a FROM clause.
func (bs *blockSet) inFrom(i int) bool {
	b := bs.at(i)
	return b != nil && i >= b.fromStart && i < b.fromEnd && b.fromStart > 0
}

// wildcardAt returns the wildcard table of the select list holding node i, or nil.
func (bs *blockSet) wildcardAt(i int) *blockWildcard {
	b := bs.at(i)
	if b == nil || b.wildcard == nil || (b.fromStart > 0 && i >= b.fromStart) {
		return nil
	}
	return b.wildcard
}

// tableRef translates the table name (or table function) at i in a table position and returns the index
// after it.
func (t *translator) tableRef(nodes []node, i int, blocks *blockSet) (string, int, error) {
	creating := t.creating
	t.creating = false
	parts, end := parsePath(nodes, i)
	if end < len(nodes) && nodes[end].isGroup("(") {
		if len(parts) == 1 && strings.EqualFold(parts[0].name, "UNNEST") && !parts[0].quoted {
			return t.unnest(nodes, i, end)
		}
		out, err := t.call(parts, nodes[end], nodes[i].line())
		return out, end + 1, err
	}
	line := nodes[i].line()
	if len(parts) == 1 {
		return pathSQL(parts), end, nil
	}
	if len(parts) > 3 {
		return "", 0, &warehouse.SQLError{Line: line, Message: fmt.Sprintf("invalid table name %s", pathString(parts))}
	}
	project := ""
	if len(parts) == 3 {
		project, parts = parts[0].name, parts[1:]
	}
	dataset, name := parts[0].name, parts[1].name
	if strings.EqualFold(dataset, "INFORMATION_SCHEMA") || strings.EqualFold(name, "INFORMATION_SCHEMA") ||
		strings.HasPrefix(name, "__TABLES") {
		return "", 0, &warehouse.UnsupportedError{Construct: "INFORMATION_SCHEMA and __TABLES__ views", Line: line}
	}
	if strings.HasSuffix(name, "*") {
		if creating {
			return "", 0, &warehouse.SQLError{Line: line, Message: "a wildcard table cannot be a destination"}
		}
		return t.wildcard(nodes, i, end, blocks, project, dataset, strings.TrimSuffix(name, "*"))
	}
	if strings.Contains(name, "*") {
		return "", 0, &warehouse.SQLError{Line: line, Message: fmt.Sprintf("invalid table name %s: * must end a wildcard table", name)}
	}
	t.res.Tables = append(t.res.Tables, Table{Project: project, Dataset: dataset, Name: name, Line: line, Created: creating})
	out := quoteIdent(dataset) + "." + quoteIdent(name)
	if g := nextSig(nodes, end); creating && g < len(nodes) && nodes[g].isGroup("(") {
		defs, err := t.columnDefs(nodes[g])
		if err != nil {
			return "", 0, err
		}
		return out + spaceOf(nodes[end:g]) + defs, g + 1, nil
	}
	return out, end, nil
}

// columnDefs translates the column list of CREATE TABLE: name type [NOT NULL] [DEFAULT expr]; column
// OPTIONS are dropped.
func (t *translator) columnDefs(g node) (string, error) {
	var defs []string
	for _, def := range splitTop(g.group.kids, ",") {
		s := sig(def)
		if len(s) < 2 || s[0].group != nil || (s[0].tok.kind != tIdent && s[0].tok.kind != tQuoted) {
			return "", &warehouse.SQLError{Line: g.line(), Message: "column definition expected: name type"}
		}
		name := pathSQL([]pathPart{{name: s[0].tok.val, quoted: true}})
		if s[0].tok.kind == tIdent {
			name = s[0].tok.text
		}
		end := 1
		for end < len(s) && !(s[end].is("NOT") || s[end].is("OPTIONS") || s[end].is("DEFAULT") ||
			s[end].is("NULL") || s[end].is("PRIMARY") || s[end].is("COLLATE")) {
			end++
		}
		typ, err := typeName(s[1:end], s[0].line())
		if err != nil {
			return "", err
		}
		out := name + " " + typ
		for i := end; i < len(s); i++ {
			switch {
			case s[i].is("NOT") && i+1 < len(s) && s[i+1].is("NULL"):
				out += " NOT NULL"
				i++
			case s[i].is("OPTIONS") && i+1 < len(s) && s[i+1].isGroup("("):
				i++
			case s[i].is("DEFAULT"):
				expr, err := t.seq(s[i+1:])
				if err != nil {
					return "", err
				}
				out += " DEFAULT " + expr
				i = len(s)
			default:
				return "", &warehouse.UnsupportedError{Construct: "column constraint " + s[i].source(), Line: s[i].line()}
			}
		}
		defs = append(defs, out)
	}
	return fit("("+strings.Join(defs, ", ")+")", g.newlines()), nil
}

// spaceOf returns the whitespace between two nodes as translated.
func spaceOf(nodes []node) string {
	var b strings.Builder
	for _, n := range nodes {
		b.WriteString(spaceText(n.tok))
	}
	return b.String()
}

func pathString(parts []pathPart) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = p.name
	}
	return strings.Join(s, ".")
}

// unnest translates UNNEST(array) [AS] alias in a FROM clause: the alias names the element, as in BigQuery.
func (t *translator) unnest(nodes []node, i, g int) (string, int, error) {
	inner, err := t.seq(nodes[g].group.kids)
	if err != nil {
		return "", 0, err
	}
	out := "UNNEST(" + inner + ")"
	end := g + 1
	alias := aliasAfter(nodes, end)
	if alias == "" {
		return out, end, nil
	}
	j := nextSig(nodes, end)
	if nodes[j].is("AS") {
		j = nextSig(nodes, j+1)
	}
	q := quoteIdent(alias)
	return fit(out+" AS "+q+"("+q+")", countNewlines(nodes[g+1:j+1])+nodes[g].newlines()), j + 1, nil
}

// wildcard records a wildcard table and returns its marker.
func (t *translator) wildcard(nodes []node, i, end int, blocks *blockSet, project, dataset, prefix string) (string, int, error) {
	w := Wildcard{
		Marker:  fmt.Sprintf("__pltv_wildcard_%d__", len(t.res.Wildcards)),
		Project: project, Dataset: dataset, Prefix: prefix,
		Alias: aliasAfter(nodes, end),
		Line:  nodes[i].line(),
	}
	if b := blocks.at(i); b != nil && b.whereStart > 0 {
		for _, conj := range conjuncts(nodes[b.whereStart:b.whereEnd]) {
			if !mentionsSuffix(conj) {
				continue
			}
			sub := &translator{opts: t.opts, res: &Result{}, seen: map[string]bool{}}
			out, err := sub.seq(conj)
			if err != nil || len(sub.res.Wildcards) > 0 {
				continue // not a filter the table list can be pruned with
			}
			for _, p := range sub.stmtParams {
				t.useParam(p)
			}
			w.Filters = append(w.Filters, strings.Join(strings.Fields(out), " "))
		}
	}
	t.res.Wildcards = append(t.res.Wildcards, w)
	return w.Marker, end, nil
}

// conjuncts splits a WHERE clause at its top-level ANDs (not those of BETWEEN ... AND).
func conjuncts(nodes []node) [][]node {
	var out [][]node
	start, between := 0, 0
	for i, n := range nodes {
		switch {
		case n.is("BETWEEN"):
			between++
		case n.is("AND") && between > 0:
			between--
		case n.is("AND"):
			out = append(out, nodes[start:i])
			start = i + 1
		}
	}
	return append(out, nodes[start:])
}

// mentionsSuffix reports whether the nodes refer to _TABLE_SUFFIX.
func mentionsSuffix(nodes []node) bool {
	for _, n := range nodes {
		if n.group != nil {
			if mentionsSuffix(n.group.kids) {
				return true
			}
			continue
		}
		if (n.tok.kind == tIdent && strings.EqualFold(n.tok.text, "_TABLE_SUFFIX")) ||
			(n.tok.kind == tQuoted && strings.EqualFold(n.tok.val, "_TABLE_SUFFIX")) {
			return true
		}
	}
	return false
}
