package googlesql

import (
	"fmt"
	"strings"

	"github.com/pltv/pltv/warehouse"
)

// scalarTypes maps GoogleSQL type names to DuckDB's.
var scalarTypes = map[string]string{
	"STRING": "VARCHAR", "BYTES": "BLOB", "BOOL": "BOOLEAN", "BOOLEAN": "BOOLEAN",
	"INT64": "BIGINT", "INT": "BIGINT", "INTEGER": "BIGINT", "SMALLINT": "BIGINT", "BIGINT": "BIGINT",
	"TINYINT": "BIGINT", "BYTEINT": "BIGINT", "FLOAT64": "DOUBLE", "FLOAT": "DOUBLE",
	"NUMERIC": "DECIMAL(38,9)", "DECIMAL": "DECIMAL(38,9)", "BIGNUMERIC": "DECIMAL(38,9)", "BIGDECIMAL": "DECIMAL(38,9)",
	"DATE": "DATE", "DATETIME": "TIMESTAMP", "TIMESTAMP": "TIMESTAMP", "TIME": "TIME",
	"JSON": "JSON", "INTERVAL": "INTERVAL",
}

// typeName translates a type written as nodes: a name, a parameterised name (NUMERIC(10, 2), STRING(10)) or
// ARRAY<type>.
func typeName(nodes []node, line int) (string, error) {
	s := sig(nodes)
	if len(s) == 0 || s[0].group != nil || s[0].tok.kind != tIdent {
		return "", &warehouse.SQLError{Line: line, Message: "type name expected"}
	}
	name := s[0].tok.upper()
	if name == "ARRAY" && len(s) >= 4 && s[1].is("<") && s[len(s)-1].is(">") {
		elem, err := typeName(s[2:len(s)-1], line)
		if err != nil {
			return "", err
		}
		return elem + "[]", nil
	}
	if name == "STRUCT" || name == "ARRAY" || name == "GEOGRAPHY" || name == "RANGE" {
		return "", &warehouse.UnsupportedError{Construct: "the " + name + " type", Line: s[0].line()}
	}
	typ, ok := scalarTypes[name]
	if !ok {
		return "", &warehouse.SQLError{Line: s[0].line(), Message: fmt.Sprintf("unknown type %s", s[0].tok.text)}
	}
	if len(s) == 2 && s[1].isGroup("(") {
		if strings.HasPrefix(typ, "DECIMAL") {
			return "DECIMAL" + strings.Join(strings.Fields(s[1].source()), ""), nil
		}
		return typ, nil // STRING(10), BYTES(10): the length is not enforced
	}
	if len(s) != 1 {
		return "", &warehouse.SQLError{Line: s[0].line(), Message: fmt.Sprintf("unexpected %s after type %s", s[1].source(), name)}
	}
	return typ, nil
}

// typedLiteral translates DATE '...', TIMESTAMP '...', NUMERIC '...' and kin.
func typedLiteral(kw string, lit token) (string, error) {
	s := stringLit(lit.val)
	switch kw {
	case "DATE", "TIME":
		return "CAST(" + s + " AS " + kw + ")", nil
	case "DATETIME":
		return "CAST(" + s + " AS TIMESTAMP)", nil
	case "TIMESTAMP":
		return "CAST(CAST(" + s + " AS TIMESTAMPTZ) AS TIMESTAMP)", nil
	case "NUMERIC", "BIGNUMERIC", "DECIMAL", "BIGDECIMAL":
		return "CAST(" + s + " AS DECIMAL(38,9))", nil
	case "JSON":
		return "CAST(" + s + " AS JSON)", nil
	}
	return "", &warehouse.UnsupportedError{Construct: kw + " literals", Line: lit.line}
}

// cast translates CAST(x AS type) and SAFE_CAST(x AS type). INT64 rounds halfway cases away from zero,
// TIMESTAMP reads time zones in strings and STRING writes timestamps with their +00 offset, as BigQuery does:
// the pltv_ macros do the work.
func (t *translator) cast(g node, safe bool, line int) (string, error) {
	kids := g.group.kids
	as := -1
	for i, n := range kids {
		if n.is("AS") {
			as = i
		}
		if n.is("FORMAT") {
			return "", &warehouse.UnsupportedError{Construct: "CAST ... FORMAT", Line: n.tok.line}
		}
	}
	if as < 0 {
		return "", &warehouse.SQLError{Line: line, Message: "CAST without AS"}
	}
	x, err := t.seq(kids[:as])
	if err != nil {
		return "", err
	}
	x = strings.TrimSpace(x)
	typ, err := typeName(kids[as+1:], line)
	if err != nil {
		return "", err
	}
	var out string
	switch {
	case typ == "BIGINT" && safe:
		out = "pltv_safe_int64(" + x + ")"
	case typ == "BIGINT":
		out = "pltv_int64(" + x + ")"
	case typ == "TIMESTAMP" && safe:
		out = "pltv_safe_timestamp(" + x + ")"
	case typ == "TIMESTAMP":
		out = "pltv_timestamp(" + x + ")"
	case typ == "VARCHAR":
		out = "pltv_string(" + x + ")"
	case safe:
		out = "TRY_CAST(" + x + " AS " + typ + ")"
	default:
		out = "CAST(" + x + " AS " + typ + ")"
	}
	return fit(out, g.newlines()), nil
}

// datePart reads a date part: DAY, WEEK, WEEK(MONDAY), ISOWEEK, ... It returns the part, upper-cased, and
// for WEEK(weekday) the weekday's number (Sunday = 0), or 0.
func datePart(nodes []node, line int) (string, int, error) {
	s := sig(nodes)
	if len(s) == 0 || s[0].group != nil || s[0].tok.kind != tIdent {
		return "", 0, &warehouse.SQLError{Line: line, Message: "date part expected"}
	}
	part := s[0].tok.upper()
	if len(s) == 1 {
		return part, 0, nil
	}
	if part == "WEEK" && len(s) == 2 && s[1].isGroup("(") {
		days := []string{"SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"}
		wd := strings.ToUpper(strings.TrimSpace(s[1].source()[1 : len(s[1].source())-1]))
		for i, d := range days {
			if d == wd {
				return part, i, nil
			}
		}
	}
	return "", 0, &warehouse.SQLError{Line: line, Message: fmt.Sprintf("invalid date part %s", strings.TrimSpace(sourceOf(nodes)))}
}

func sourceOf(nodes []node) string {
	var b strings.Builder
	for _, n := range nodes {
		b.WriteString(n.source())
	}
	return b.String()
}

// extract translates EXTRACT(part FROM x). BigQuery's DAYOFWEEK is 1..7 from Sunday, WEEK counts weeks
// starting on Sunday (week 0 before the first Sunday), MILLISECOND and MICROSECOND are within the second.
func (t *translator) extract(g node, line int) (string, error) {
	kids := g.group.kids
	from := -1
	for i, n := range kids {
		if n.is("FROM") {
			from = i
			break
		}
	}
	if from < 0 {
		return "", &warehouse.SQLError{Line: line, Message: "EXTRACT without FROM"}
	}
	for _, n := range kids[from:] {
		if n.is("AT") {
			return "", &warehouse.UnsupportedError{Construct: "EXTRACT ... AT TIME ZONE", Line: n.tok.line}
		}
	}
	part, weekday, err := datePart(kids[:from], line)
	if err != nil {
		return "", err
	}
	x, err := t.seq(kids[from+1:])
	if err != nil {
		return "", err
	}
	x = strings.TrimSpace(x)
	var out string
	switch part {
	case "DAYOFWEEK":
		out = "(dayofweek(" + x + ") + 1)"
	case "DAYOFYEAR":
		out = "dayofyear(" + x + ")"
	case "WEEK":
		switch weekday {
		case 0:
			out = "CAST(strftime(" + x + ", '%U') AS BIGINT)"
		case 1:
			out = "CAST(strftime(" + x + ", '%W') AS BIGINT)"
		default:
			out = fmt.Sprintf("pltv_week_number(%s, %d)", x, weekday)
		}
	case "ISOWEEK":
		out = "week(" + x + ")"
	case "ISOYEAR":
		out = "isoyear(" + x + ")"
	case "MILLISECOND":
		out = "(millisecond(" + x + ") % 1000)"
	case "MICROSECOND":
		out = "(microsecond(" + x + ") % 1000000)"
	case "DATE":
		out = "CAST(" + x + " AS DATE)"
	case "TIME":
		out = "CAST(" + x + " AS TIME)"
	case "DATETIME":
		out = "CAST(" + x + " AS TIMESTAMP)"
	case "YEAR", "QUARTER", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND":
		out = "EXTRACT(" + part + " FROM " + x + ")"
	default:
		return "", &warehouse.SQLError{Line: line, Message: "EXTRACT: invalid part " + part}
	}
	return fit(out, g.newlines()), nil
}
