package fakebq

import (
	"fmt"
	"strings"

	bqapi "google.golang.org/api/bigquery/v2"
)

// checkParams does what BigQuery does with named parameters before it runs a query: every @name in the SQL
// text (outside literals and comments) needs a parameter, and every parameter value must parse as its type.
func checkParams(sql string, params []*bqapi.QueryParameter) *bqapi.ErrorProto {
	byName := map[string]*bqapi.QueryParameter{}
	for _, p := range params {
		if p.Name == "" {
			return invalidQuery("Positional parameters are not supported by the fake")
		}
		if p.ParameterType == nil || p.ParameterValue == nil {
			return invalidQuery(fmt.Sprintf("Query parameter '%s' has no type or value", p.Name))
		}
		typ := legacyType(p.ParameterType.Type)
		if _, err := encode(typ, p.ParameterValue.Value); err != nil {
			return invalidQuery(fmt.Sprintf("Invalid value for query parameter '%s' of type %s: %v", p.Name, p.ParameterType.Type, err))
		}
		byName[strings.ToLower(p.Name)] = p
	}
	for _, ref := range paramRefs(sql) {
		if byName[strings.ToLower(ref.name)] == nil {
			return invalidQuery(fmt.Sprintf("Query parameter '%s' not found at [%d:%d]", ref.name, ref.line, ref.column))
		}
	}
	return nil
}

func invalidQuery(msg string) *bqapi.ErrorProto {
	return &bqapi.ErrorProto{Reason: "invalidQuery", Location: "query", Message: msg}
}

type paramRef struct {
	name         string
	line, column int
}

// paramRefs finds the @name references of a GoogleSQL text, skipping string literals, quoted identifiers,
// comments and @@system variables. Positions are 1-based, like BigQuery's.
func paramRefs(sql string) []paramRef {
	var out []paramRef
	line, col := 1, 1
	rs := []rune(sql)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for j < len(rs) && rs[j] != c {
				if rs[j] == '\\' {
					j++
				}
				j++
			}
			line, col = advance(rs[i:min(j+1, len(rs))], line, col)
			i = j
			continue
		case c == '-' && i+1 < len(rs) && rs[i+1] == '-', c == '#':
			j := i
			for j < len(rs) && rs[j] != '\n' {
				j++
			}
			line, col = advance(rs[i:j], line, col)
			i = j - 1
			continue
		case c == '/' && i+1 < len(rs) && rs[i+1] == '*':
			j := i + 2
			for j+1 < len(rs) && (rs[j] != '*' || rs[j+1] != '/') {
				j++
			}
			j = min(j+2, len(rs))
			line, col = advance(rs[i:j], line, col)
			i = j - 1
			continue
		case c == '@' && i+1 < len(rs) && rs[i+1] == '@':
			j := i + 2
			for j < len(rs) && isIdent(rs[j]) {
				j++
			}
			line, col = advance(rs[i:j], line, col)
			i = j - 1
			continue
		case c == '@':
			j := i + 1
			for j < len(rs) && isIdent(rs[j]) {
				j++
			}
			if j > i+1 {
				out = append(out, paramRef{name: string(rs[i+1 : j]), line: line, column: col})
			}
			line, col = advance(rs[i:j], line, col)
			i = j - 1
			continue
		}
		line, col = advance(rs[i:i+1], line, col)
	}
	return out
}

func advance(rs []rune, line, col int) (int, int) {
	for _, r := range rs {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

func isIdent(r rune) bool {
	return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}
