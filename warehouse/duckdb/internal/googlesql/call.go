package googlesql

import (
	"strconv"
	"strings"

	"github.com/pltv/pltv/warehouse"
)

// call is a function call being translated.
type call struct {
	name string   // upper-cased
	args []string // the arguments, translated and trimmed
	full []string // the arguments, translated, with their spacing
	raw  [][]node // the arguments as written
	g    node     // the parenthesised group
	line int
}

// rewrite turns a call into DuckDB SQL.
type rewrite func(t *translator, c *call) (string, error)

// unsupportedNamespaces are the function prefixes the embedded warehouse has no equivalent for.
var unsupportedNamespaces = map[string]string{
	"ML": "BigQuery ML functions (ML.*)", "NET": "NET.* functions", "KEYS": "KEYS.* functions",
	"AEAD": "AEAD.* encryption functions", "HLL_COUNT": "HLL_COUNT.* functions",
	"DETERMINISTIC_ENCRYPT": "encryption functions", "VECTOR_SEARCH": "VECTOR_SEARCH",
	"APPENDS": "change history functions", "CHANGES": "change history functions",
	"EXTERNAL_QUERY": "EXTERNAL_QUERY", "AI": "AI.* functions", "OBJ": "OBJ.* functions",
}

// safeFunctions are the functions the SAFE. prefix is translated for.
var safeFunctions = map[string]string{"PARSE_DATE": "", "PARSE_TIMESTAMP": "", "PARSE_DATETIME": "",
	"DIVIDE": "", "CAST": ""}

// call translates a function call: parts is the (possibly dotted) function name, g its argument group.
func (t *translator) call(parts []pathPart, g node, line int) (string, error) {
	name := strings.ToUpper(pathString(parts))
	safe := false
	if len(parts) > 1 {
		ns := strings.ToUpper(parts[0].name)
		if what, ok := unsupportedNamespaces[ns]; ok {
			return "", &warehouse.UnsupportedError{Construct: what + ": " + pathString(parts), Line: line}
		}
		if ns == "SAFE" && len(parts) == 2 {
			fn := strings.ToUpper(parts[1].name)
			if _, ok := safeFunctions[fn]; !ok {
				return "", &warehouse.UnsupportedError{Construct: "the SAFE. prefix on " + parts[1].name, Line: line}
			}
			name, safe = fn, true
			if fn == "DIVIDE" {
				name = "SAFE_DIVIDE"
			}
		}
	}
	if unsupportedNamespaces[name] != "" {
		return "", &warehouse.UnsupportedError{Construct: unsupportedNamespaces[name], Line: line}
	}
	switch name {
	case "CAST", "SAFE_CAST":
		return t.cast(g, safe || name == "SAFE_CAST", line)
	case "EXTRACT":
		return t.extract(g, line)
	}
	fn, ok := functions[name]
	if !ok {
		inner, err := t.seq(g.group.kids)
		if err != nil {
			return "", err
		}
		return pathSQL(parts) + "(" + inner + ")", nil
	}
	c := &call{name: name, g: g, line: line}
	if len(sig(g.group.kids)) > 0 {
		for _, arg := range splitTop(g.group.kids, ",") {
			c.raw = append(c.raw, arg)
			if rawArguments[name] {
				continue // the rewrite translates the parts it needs, once
			}
			out, err := t.seq(arg)
			if err != nil {
				return "", err
			}
			c.full = append(c.full, out)
			c.args = append(c.args, strings.TrimSpace(out))
		}
	}
	if safe {
		c.name = "SAFE." + name
	}
	out, err := fn(t, c)
	if err != nil {
		return "", err
	}
	return fit(out, g.newlines()), nil
}

// rawArguments are the functions whose rewrite reads its arguments as written (aggregate modifiers).
var rawArguments = map[string]bool{"ARRAY_AGG": true, "APPROX_QUANTILES": true}

// nargs checks the number of arguments.
func (c *call) nargs(min, max int) error {
	if len(c.raw) < min || len(c.raw) > max {
		want := "between " + strconv.Itoa(min) + " and " + strconv.Itoa(max)
		if min == max {
			want = strconv.Itoa(min)
		}
		return &warehouse.SQLError{Line: c.line, Message: c.name + ": want " + want + " arguments, got " + strconv.Itoa(len(c.raw))}
	}
	return nil
}

// literal returns argument i when it is a string literal, decoded.
func (c *call) literal(i int) (string, bool) {
	s := sig(c.raw[i])
	if len(s) != 1 || s[0].group != nil || s[0].tok.kind != tString {
		return "", false
	}
	return s[0].tok.val, true
}

// interval reads argument i written INTERVAL n part; it returns n translated and the part.
func (t *translator) interval(c *call, i int) (string, string, error) {
	s := trimSpace(c.raw[i])
	if len(s) < 3 || !s[0].is("INTERVAL") || s[len(s)-1].group != nil || s[len(s)-1].tok.kind != tIdent {
		return "", "", &warehouse.SQLError{Line: c.line, Message: c.name + ": want INTERVAL n part as argument " + strconv.Itoa(i+1)}
	}
	n, err := t.seq(s[1 : len(s)-1])
	if err != nil {
		return "", "", err
	}
	return strings.TrimSpace(n), s[len(s)-1].tok.upper(), nil
}
