package googlesql

import (
	"strings"

	"github.com/pltv/pltv/warehouse"
)

// tableKeywords are followed by a table name.
var tableKeywords = map[string]bool{"FROM": true, "JOIN": true, "INTO": true, "TABLE": true, "VIEW": true, "MERGE": true}

// seq translates a sequence of sibling nodes: a statement, or the inside of a group.
func (t *translator) seq(nodes []node) (string, error) {
	var b strings.Builder
	blocks := scanBlocks(nodes)
	tablePos := false
	for i := 0; i < len(nodes); i++ {
		n := nodes[i]
		if n.isSpace() {
			b.WriteString(spaceText(n.tok))
			continue
		}
		prev := prevSig(nodes, i)
		// A table position: the name after FROM, JOIN, INTO, TABLE, ..., or after a comma in a FROM clause.
		if tablePos {
			if n.group == nil && (n.is("IF") || n.is("NOT") || n.is("EXISTS") || n.is("INTO") || n.is("ONLY")) {
				b.WriteString(n.tok.text)
				continue
			}
			tablePos = false
			if n.group == nil && (n.tok.kind == tIdent || n.tok.kind == tQuoted) {
				out, end, err := t.tableRef(nodes, i, blocks)
				if err != nil {
					return "", err
				}
				b.WriteString(out)
				i = end - 1
				continue
			}
		}
		switch {
		case n.isGroup("("):
			inner, err := t.seq(n.group.kids)
			if err != nil {
				return "", err
			}
			b.WriteString("(" + inner + ")")
		case n.isGroup("["):
			out, err := t.subscript(n)
			if err != nil {
				return "", err
			}
			b.WriteString(out)
		case n.tok.kind == tString:
			b.WriteString(stringLit(n.tok.val) + strings.Repeat("\n", n.tok.newlines()))
		case n.tok.kind == tBytes:
			b.WriteString(blobLit(n.tok.val) + strings.Repeat("\n", n.tok.newlines()))
		case n.tok.kind == tNumber:
			b.WriteString(numberLit(n.tok.text))
		case n.tok.kind == tParam:
			out, err := t.param(n.tok.val, n.tok.line)
			if err != nil {
				return "", err
			}
			b.WriteString(out)
		case n.tok.kind == tSysVar:
			return "", &warehouse.UnsupportedError{Construct: "system variable @@" + n.tok.val, Line: n.tok.line}
		case n.is("*"):
			out, end, err := t.star(nodes, i, blocks, "")
			if err != nil {
				return "", err
			}
			b.WriteString(out)
			i = end - 1
		case n.is("^"):
			return "", &warehouse.UnsupportedError{Construct: "the bitwise XOR operator ^", Line: n.tok.line}
		case n.is(",") && blocks.inFrom(i):
			b.WriteString(",")
			tablePos = true
		case n.tok.kind == tOp:
			b.WriteString(n.tok.text)
		default:
			out, end, tp, err := t.word(nodes, i, prev, blocks)
			if err != nil {
				return "", err
			}
			b.WriteString(out)
			i = end - 1
			tablePos = tp
		}
	}
	return b.String(), nil
}

// word translates the identifier or keyword at i and whatever it governs. It returns the output, the index
// after what it consumed, and whether a table name follows.
func (t *translator) word(nodes []node, i, prev int, blocks *blockSet) (string, int, bool, error) {
	n := nodes[i]
	kw := ""
	if n.tok.kind == tIdent {
		kw = n.tok.upper()
	}
	next := nextSig(nodes, i+1)
	var nextNode node
	if next < len(nodes) {
		nextNode = nodes[next]
	}
	prevIs := func(s string) bool { return prev >= 0 && nodes[prev].is(s) }
	switch kw {
	case "FROM":
		if prevIs("DISTINCT") {
			return n.tok.text, i + 1, false, nil
		}
		return n.tok.text, i + 1, true, nil
	case "JOIN", "INTO", "MERGE":
		return n.tok.text, i + 1, true, nil
	case "TABLE", "VIEW":
		if t.inCreate(nodes, i) {
			t.creating = true
		}
		return n.tok.text, i + 1, true, nil
	case "UPDATE":
		return n.tok.text, i + 1, !nextNode.is("SET"), nil
	case "USING":
		return n.tok.text, i + 1, nextNode.group == nil, nil
	case "INSERT":
		if prev < 0 && !nextNode.is("INTO") {
			return "INSERT INTO", i + 1, true, nil
		}
		return n.tok.text, i + 1, false, nil
	case "DELETE":
		if prev < 0 && !nextNode.is("FROM") {
			return "DELETE FROM", i + 1, true, nil
		}
		return n.tok.text, i + 1, false, nil
	case "DATE", "DATETIME", "TIMESTAMP", "TIME", "NUMERIC", "BIGNUMERIC", "DECIMAL", "BIGDECIMAL", "JSON", "RANGE":
		if next < len(nodes) && nextNode.tok.kind == tString && nextNode.group == nil {
			out, err := typedLiteral(kw, nextNode.tok)
			if err != nil {
				return "", 0, false, err
			}
			return out + strings.Repeat("\n", countNewlines(nodes[i+1:next])), next + 1, false, nil
		}
	case "STRUCT", "ARRAY":
		if nextNode.is("<") || (kw == "STRUCT" && nextNode.isGroup("(")) {
			return "", 0, false, &warehouse.UnsupportedError{Construct: kw + " literals and types", Line: n.tok.line}
		}
	case "FOR":
		if nextNode.is("SYSTEM_TIME") || nextNode.is("SYSTEM") {
			return "", 0, false, &warehouse.UnsupportedError{Construct: "FOR SYSTEM_TIME AS OF (time travel)", Line: n.tok.line}
		}
	case "WITH":
		if nextNode.is("OFFSET") {
			return "", 0, false, &warehouse.UnsupportedError{Construct: "UNNEST ... WITH OFFSET", Line: n.tok.line}
		}
	case "SELECT":
		if nextNode.is("AS") {
			return "", 0, false, &warehouse.UnsupportedError{Construct: "SELECT AS STRUCT / SELECT AS VALUE", Line: n.tok.line}
		}
	case "IN":
		if nextNode.is("UNNEST") {
			g := nextSig(nodes, next+1)
			if g < len(nodes) && nodes[g].isGroup("(") {
				inner, err := t.seq(nodes[g].group.kids)
				if err != nil {
					return "", 0, false, err
				}
				return n.tok.text + " (SELECT unnest(" + inner + "))", g + 1, false, nil
			}
		}
	case "CURRENT_DATE", "CURRENT_TIMESTAMP", "CURRENT_DATETIME", "CURRENT_TIME":
		end := i + 1
		if nextNode.isGroup("(") {
			if len(sig(nextNode.group.kids)) > 0 {
				return "", 0, false, &warehouse.UnsupportedError{Construct: kw + " with a time zone", Line: n.tok.line}
			}
			end = next + 1
		}
		out := map[string]string{
			"CURRENT_DATE":      "CAST(" + t.now() + " AS DATE)",
			"CURRENT_TIMESTAMP": t.now(),
			"CURRENT_DATETIME":  t.now(),
			"CURRENT_TIME":      "CAST(" + t.now() + " AS TIME)",
		}[kw]
		return out + strings.Repeat("\n", countNewlines(nodes[i+1:end])), end, false, nil
	}
	// A name: a column, a function, or a path.
	parts, end := parsePath(nodes, i)
	if end < len(nodes) && nodes[end].isGroup("(") {
		out, err := t.call(parts, nodes[end], n.line())
		return out, end + 1, false, err
	}
	// a.b.* is a qualified star.
	if end+1 < len(nodes) && nodes[end].is(".") && nodes[end+1].is("*") {
		out, starEnd, err := t.star(nodes, end+1, blocks, parts[len(parts)-1].name)
		return pathSQL(parts) + "." + out, starEnd, false, err
	}
	return pathSQL(parts), end, false, nil
}

// inCreate reports whether the statement holding nodes[i] is a CREATE statement.
func (t *translator) inCreate(nodes []node, i int) bool {
	for j := prevSig(nodes, i); j >= 0; j = prevSig(nodes, j) {
		if nodes[j].is("CREATE") {
			return true
		}
	}
	return false
}

// pathPart is one part of a dotted name.
type pathPart struct {
	name   string
	quoted bool
}

// parsePath reads a dotted name starting at i: identifiers and quoted identifiers separated by dots; a
// quoted identifier may itself hold dots (`project.dataset.table`). It returns the parts and the index after.
func parsePath(nodes []node, i int) ([]pathPart, int) {
	var parts []pathPart
	for {
		n := nodes[i]
		if n.tok.kind == tQuoted {
			for _, p := range strings.Split(n.tok.val, ".") {
				parts = append(parts, pathPart{p, true})
			}
		} else {
			parts = append(parts, pathPart{n.tok.text, false})
		}
		i++
		if i+1 < len(nodes) && nodes[i].is(".") && nodes[i+1].group == nil &&
			(nodes[i+1].tok.kind == tIdent || nodes[i+1].tok.kind == tQuoted) {
			i++
			continue
		}
		return parts, i
	}
}

// pathSQL writes a dotted name for DuckDB.
func pathSQL(parts []pathPart) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		if p.quoted {
			s[i] = quoteIdent(p.name)
		} else {
			s[i] = p.name
		}
	}
	return strings.Join(s, ".")
}

// spaceText returns what to emit for whitespace or a comment: comments are dropped, their line breaks kept.
func spaceText(t token) string {
	if t.kind == tSpace {
		return t.text
	}
	return " " + strings.Repeat("\n", t.newlines())
}

// numberLit writes a numeric literal. GoogleSQL reads 1.5 as FLOAT64 where DuckDB reads a DECIMAL.
func numberLit(s string) string {
	if strings.ContainsAny(s, "xX") || !strings.Contains(s, ".") {
		return s
	}
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return "CAST(" + s + " AS DOUBLE)"
}

// subscript translates an array subscript [OFFSET(i)], [SAFE_OFFSET(i)], [ORDINAL(i)], [SAFE_ORDINAL(i)], or an
// array literal [a, b].
func (t *translator) subscript(n node) (string, error) {
	kids := n.group.kids
	s := sig(kids)
	if len(s) == 2 && s[1].isGroup("(") && s[0].tok.kind == tIdent {
		arg, err := t.seq(s[1].group.kids)
		if err != nil {
			return "", err
		}
		out := ""
		switch s[0].tok.upper() {
		case "OFFSET", "SAFE_OFFSET":
			out = "[(" + arg + ") + 1]"
		case "ORDINAL", "SAFE_ORDINAL":
			out = "[" + arg + "]"
		}
		if out != "" {
			return fit(out, n.newlines()), nil
		}
	}
	inner, err := t.seq(kids)
	if err != nil {
		return "", err
	}
	return "[" + inner + "]", nil
}

// star translates a * of a select list (at i) with its EXCEPT and REPLACE modifiers, qualified by qual when
// it was written qual.*. Over a wildcard table, the _TABLE_SUFFIX column is excluded, as BigQuery does.
func (t *translator) star(nodes []node, i int, blocks *blockSet, qual string) (string, int, error) {
	prev := prevSig(nodes, i)
	if qual == "" && prev >= 0 && !(nodes[prev].is("SELECT") || nodes[prev].is("DISTINCT") ||
		nodes[prev].is("ALL") || nodes[prev].is(",")) {
		return "*", i + 1, nil // multiplication
	}
	var except []string
	replace := ""
	end := i + 1
	for {
		j := nextSig(nodes, end)
		if j+1 >= len(nodes) {
			break
		}
		g := nextSig(nodes, j+1)
		if g >= len(nodes) || !nodes[g].isGroup("(") {
			break
		}
		switch {
		case nodes[j].is("EXCEPT"):
			for _, col := range splitTop(nodes[g].group.kids, ",") {
				inner, err := t.seq(trimSpace(col))
				if err != nil {
					return "", 0, err
				}
				except = append(except, inner)
			}
		case nodes[j].is("REPLACE"):
			inner, err := t.seq(nodes[g].group.kids)
			if err != nil {
				return "", 0, err
			}
			replace = " REPLACE (" + inner + ")"
		default:
			j = -1
		}
		if j < 0 {
			break
		}
		end = g + 1
	}
	if w := blocks.wildcardAt(i); w != nil && (qual == "" || strings.EqualFold(qual, w.alias)) {
		except = append(except, "_TABLE_SUFFIX")
	}
	out := "*"
	if len(except) > 0 {
		out += " EXCLUDE (" + strings.Join(except, ", ") + ")"
	}
	out += replace
	return fit(out, countNewlines(nodes[i:end])), end, nil
}
