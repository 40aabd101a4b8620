// Package googlesql translates GoogleSQL, as BigQuery runs it, into DuckDB SQL.
//
// It is a rewriter over tokens, not a full parser: it keeps everything it does not need to change as it was,
// and rewrites what differs (identifiers, parameters, literals, types, functions, table names, wildcard tables,
// SELECT * EXCEPT). The output keeps the line structure of the input, so a line DuckDB reports in an error is
// the line of the GoogleSQL the user wrote. A construct it cannot translate is a *warehouse.UnsupportedError
// naming the construct and its line.
//
// The rewritten SQL relies on the macros of Macros being defined on the DuckDB connection.
package googlesql

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pltv/pltv/warehouse"
)

// NowParam is the parameter that carries the current time (a TIMESTAMP) when the SQL calls CURRENT_DATE,
// CURRENT_TIMESTAMP or CURRENT_DATETIME, so that the time comes from the caller's clock.
const NowParam = "pltv_now"

// Options configures a translation.
type Options struct {
	// Params maps each query parameter (without @, case-insensitive) to the DuckDB type it is bound as:
	// VARCHAR, BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP, or a list such as VARCHAR[]. The translated SQL
	// refers to parameter p as $p, lower-cased.
	Params map[string]string
}

// Result is a translated query or script.
type Result struct {
	Statements []Statement
	Tables     []Table    // the qualified tables the SQL names, in order
	Wildcards  []Wildcard // the wildcard tables, each standing as its Marker in a statement
	Params     []string   // the parameters the SQL uses, lower-cased, NowParam included when needed
}

// Statement is one translated statement.
type Statement struct {
	SQL    string   // DuckDB SQL; it starts with as many newlines as the source had before the statement
	Kind   string   // its first keyword, upper-cased: SELECT, WITH, CREATE, INSERT, ...
	Line   int      // the line where it starts
	Params []string // the parameters it uses, lower-cased
}

// IsQuery reports whether the statement returns rows (a SELECT, possibly with a WITH clause).
func (s Statement) IsQuery() bool { return s.Kind == "SELECT" || s.Kind == "WITH" || s.Kind == "(" }

// Table is a qualified table named in the SQL.
type Table struct {
	Project, Dataset, Name string
	Line                   int
	Created                bool // the statement creates it (CREATE TABLE)
}

// Wildcard is a wildcard table `project.dataset.prefix*`. The statement holds Marker where the union of the
// matching tables must go (a parenthesised subquery with a _TABLE_SUFFIX column).
type Wildcard struct {
	Marker                   string
	Project, Dataset, Prefix string
	Alias                    string   // the alias the query gives the table, if any
	Filters                  []string // the conjuncts of the WHERE clause of its query, translated
	Line                     int
}

// Translate translates GoogleSQL into DuckDB statements.
func Translate(sql string, opts Options) (*Result, error) {
	toks, err := tokenize(sql)
	if err != nil {
		return nil, err
	}
	nodes, err := buildTree(toks)
	if err != nil {
		return nil, err
	}
	t := &translator{opts: opts, res: &Result{}, seen: map[string]bool{}}
	lines := 0
	for _, stmt := range splitTop(nodes, ";") {
		before := lines
		lines += countNewlines(stmt)
		first := nextSig(stmt, 0)
		if first == len(stmt) {
			continue
		}
		kind := stmt[first].tok.upper()
		if stmt[first].group != nil {
			kind = "("
		}
		if err := checkStatement(stmt, first); err != nil {
			return nil, err
		}
		if kind == "CREATE" {
			stmt = t.stripTableOptions(stmt)
		}
		t.seen, t.stmtParams = map[string]bool{}, nil
		out, err := t.seq(stmt)
		if err != nil {
			return nil, err
		}
		t.res.Statements = append(t.res.Statements, Statement{
			SQL:    strings.Repeat("\n", before) + out,
			Kind:   kind,
			Line:   stmt[first].line(),
			Params: t.stmtParams,
		})
		for _, p := range t.stmtParams {
			if !slices.Contains(t.res.Params, p) {
				t.res.Params = append(t.res.Params, p)
			}
		}
	}
	if len(t.res.Statements) == 0 {
		return nil, &warehouse.SQLError{Line: 1, Message: "empty query"}
	}
	return t.res, nil
}

// translator holds the state of one translation.
type translator struct {
	opts       Options
	res        *Result
	seen       map[string]bool // parameters the statement uses
	stmtParams []string
	// creating is set by CREATE ... TABLE until the table name is read.
	creating bool
}

// scripting lists the statements of BigQuery's procedural language and of its other non-query statements.
var scripting = map[string]string{
	"DECLARE": "scripting (DECLARE)", "SET": "scripting (SET)", "BEGIN": "scripting (BEGIN ... END)",
	"IF": "scripting (IF ... THEN)", "LOOP": "scripting (LOOP)", "WHILE": "scripting (WHILE)",
	"REPEAT": "scripting (REPEAT)", "FOR": "scripting (FOR ... IN)", "CALL": "procedure CALL",
	"EXECUTE": "EXECUTE IMMEDIATE", "RAISE": "scripting (RAISE)", "RETURN": "scripting (RETURN)",
	"BREAK": "scripting (BREAK)", "LEAVE": "scripting (LEAVE)", "CONTINUE": "scripting (CONTINUE)",
	"ITERATE": "scripting (ITERATE)", "ASSERT": "ASSERT", "EXPORT": "EXPORT DATA", "LOAD": "LOAD DATA",
	"GRANT": "GRANT", "REVOKE": "REVOKE", "END": "scripting (END)", "COMMIT": "transactions (COMMIT)",
	"ROLLBACK": "transactions (ROLLBACK)",
}

// checkStatement rejects statements the embedded warehouse does not run.
func checkStatement(stmt []node, first int) error {
	n := stmt[first]
	if n.group != nil {
		return nil
	}
	kw := n.tok.upper()
	if what, ok := scripting[kw]; ok && n.tok.kind == tIdent {
		return &warehouse.UnsupportedError{Construct: what, Line: n.tok.line}
	}
	if kw != "CREATE" {
		return nil
	}
	for i := nextSig(stmt, first+1); i < len(stmt); i = nextSig(stmt, i+1) {
		w := stmt[i].tok.upper()
		switch w {
		case "OR", "REPLACE", "TEMP", "TEMPORARY":
			continue
		case "TABLE", "VIEW", "SCHEMA":
			return nil
		}
		if stmt[i].group != nil {
			w = stmt[i].source()
		}
		return &warehouse.UnsupportedError{Construct: "CREATE " + w, Line: stmt[i].line()}
	}
	return nil
}

// stripTableOptions drops the PARTITION BY, CLUSTER BY and OPTIONS clauses of a CREATE TABLE statement,
// which mean nothing to DuckDB, keeping their line breaks.
func (t *translator) stripTableOptions(stmt []node) []node {
	out := make([]node, 0, len(stmt))
	skipping := false
	for i := 0; i < len(stmt); i++ {
		n := stmt[i]
		if n.is("AS") {
			skipping = false
		}
		if !skipping && (n.is("PARTITION") || n.is("CLUSTER") || n.is("OPTIONS")) {
			skipping = true
		}
		if skipping {
			out = append(out, node{tok: token{kind: tSpace, text: " " + strings.Repeat("\n", n.newlines()), line: n.line()}})
			continue
		}
		out = append(out, n)
	}
	return out
}

// param returns the DuckDB reference to the query parameter name.
func (t *translator) param(name string, line int) (string, error) {
	key, typ, ok := t.lookupParam(name)
	if !ok {
		return "", &warehouse.SQLError{Line: line, Message: fmt.Sprintf("query parameter @%s not found", name)}
	}
	t.useParam(key)
	return fmt.Sprintf("CAST($%s AS %s)", key, typ), nil
}

func (t *translator) lookupParam(name string) (key, typ string, ok bool) {
	for k, v := range t.opts.Params {
		if strings.EqualFold(k, name) {
			return strings.ToLower(k), v, true
		}
	}
	return "", "", false
}

func (t *translator) useParam(key string) {
	if !t.seen[key] {
		t.seen[key] = true
		t.stmtParams = append(t.stmtParams, key)
	}
}

// now returns the expression for the current time.
func (t *translator) now() string {
	t.useParam(NowParam)
	return "CAST($" + NowParam + " AS TIMESTAMP)"
}

// fit keeps a rewritten fragment's line count equal to the source's: it pads with newlines, or, when the
// rewrite repeated an argument that spans lines, puts the fragment on one line and pads after it.
func fit(out string, want int) string {
	got := strings.Count(out, "\n")
	if got > want {
		out = strings.ReplaceAll(out, "\n", " ")
		got = 0
	}
	return out + strings.Repeat("\n", want-got)
}

// quoteIdent quotes a DuckDB identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// stringLit writes a DuckDB string literal on one line; line breaks in the value become chr(10).
func stringLit(s string) string {
	parts := strings.Split(s, "\n")
	for i, p := range parts {
		parts[i] = "'" + strings.ReplaceAll(p, "'", "''") + "'"
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " || chr(10) || ") + ")"
}

// blobLit writes a DuckDB BLOB literal.
func blobLit(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '\'' && c != '\\' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, `\x%02X`, c)
		}
	}
	return "CAST('" + b.String() + "' AS BLOB)"
}
