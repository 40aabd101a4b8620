package googlesql

import (
	"fmt"
	"strings"

	"github.com/pltv/pltv/warehouse"
)

// nativeElements are the format elements whose meaning is the same in BigQuery and in DuckDB's
// strftime/strptime.
const nativeElements = "aAbBhdHIjmMpSuUVwWyYGT%"

// aliases are the format elements BigQuery expands into others.
var aliases = map[string]string{
	"F": "%Y-%m-%d", "D": "%m/%d/%y", "x": "%m/%d/%y", "X": "%H:%M:%S", "R": "%H:%M", "E4Y": "%Y",
	"c": "%a %b %e %H:%M:%S %Y", "n": "\n", "t": "\t",
}

// element reads the format element at f[i] (just after a %) and returns it and its length.
func element(f string, i int) (string, error) {
	if i >= len(f) {
		return "", fmt.Errorf("format ends with %%")
	}
	if f[i] != 'E' {
		return f[i : i+1], nil
	}
	for _, e := range []string{"E4Y", "Ez", "E*S", "E1S", "E2S", "E3S", "E4S", "E5S", "E6S", "E7S", "E8S", "E9S", "E0S"} {
		if strings.HasPrefix(f[i:], e) {
			return e, nil
		}
	}
	return "", fmt.Errorf("unknown format element %%%s", f[i:min(i+3, len(f))])
}

// expandAliases rewrites the composite elements (%F, %D, %c, ...) into simple ones.
func expandAliases(f string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			b.WriteByte(f[i])
			continue
		}
		e, err := element(f, i+1)
		if err != nil {
			return "", err
		}
		if a, ok := aliases[e]; ok {
			b.WriteString(a)
		} else {
			b.WriteString("%" + e)
		}
		i += len(e)
	}
	return b.String(), nil
}

// formatExpr translates FORMAT_DATE/DATETIME/TIMESTAMP/TIME(f, x): DuckDB's strftime for the elements it
// shares with BigQuery, and expressions for the others. zone is true for TIMESTAMP values (printed in UTC).
func formatExpr(f, x string, zone bool, line int) (string, error) {
	f, err := expandAliases(f)
	if err != nil {
		return "", &warehouse.SQLError{Line: line, Message: err.Error()}
	}
	var pieces []string
	var native strings.Builder
	flush := func() {
		if native.Len() > 0 {
			pieces = append(pieces, "strftime("+x+", "+stringLit(native.String())+")")
			native.Reset()
		}
	}
	text := func(s string) { native.WriteString(strings.ReplaceAll(s, "%", "%%")) }
	expr := func(e string) { flush(); pieces = append(pieces, e) }
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			native.WriteByte(f[i])
			continue
		}
		e, _ := element(f, i+1)
		i += len(e)
		switch {
		case len(e) == 1 && strings.Contains(nativeElements, e):
			native.WriteString("%" + e)
		case e == "e":
			expr("lpad(CAST(day(" + x + ") AS VARCHAR), 2, ' ')")
		case e == "k":
			expr("lpad(CAST(hour(" + x + ") AS VARCHAR), 2, ' ')")
		case e == "l":
			expr("lpad(CAST((hour(" + x + ") + 11) % 12 + 1 AS VARCHAR), 2, ' ')")
		case e == "C":
			expr("lpad(CAST(year(" + x + ") // 100 AS VARCHAR), 2, '0')")
		case e == "g":
			expr("lpad(CAST(isoyear(" + x + ") % 100 AS VARCHAR), 2, '0')")
		case e == "Q":
			expr("CAST(quarter(" + x + ") AS VARCHAR)")
		case e == "P":
			expr("lower(strftime(" + x + ", '%p'))")
		case e == "s":
			expr("CAST(CAST(floor(epoch(" + x + ")) AS BIGINT) AS VARCHAR)")
		case e == "J":
			expr("lpad(CAST(date_diff('day', CAST(date_trunc('isoyear', " + x + ") AS DATE), CAST(" + x + " AS DATE)) + 1 AS VARCHAR), 3, '0')")
		case e == "Z":
			text("UTC")
		case e == "z":
			text("+0000")
		case e == "Ez":
			text("+00:00")
		case e == "E*S" || e == "E6S":
			native.WriteString("%S.%f")
		case e == "E3S":
			native.WriteString("%S.%g")
		case e == "E0S":
			native.WriteString("%S")
		case len(e) == 3 && e[0] == 'E' && e[2] == 'S' && e[1] >= '1' && e[1] <= '5':
			native.WriteString("%S.")
			expr("substr(strftime(" + x + ", '%f'), 1, " + e[1:2] + ")")
		default:
			return "", &warehouse.UnsupportedError{Construct: "format element %" + e, Line: line}
		}
	}
	flush()
	if len(pieces) == 0 {
		return "''", nil
	}
	if len(pieces) == 1 {
		return pieces[0], nil
	}
	return "(" + strings.Join(pieces, " || ") + ")", nil
}

// parseFormat translates a BigQuery format for PARSE_DATE/DATETIME/TIMESTAMP/TIME into a strptime format.
func parseFormat(f string, line int) (string, error) {
	f, err := expandAliases(f)
	if err != nil {
		return "", &warehouse.SQLError{Line: line, Message: err.Error()}
	}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			b.WriteByte(f[i])
			continue
		}
		e, _ := element(f, i+1)
		i += len(e)
		switch {
		case len(e) == 1 && strings.Contains(nativeElements+"zZ", e):
			b.WriteString("%" + e)
		case e == "e":
			b.WriteString("%-d")
		case e == "k":
			b.WriteString("%-H")
		case e == "l":
			b.WriteString("%-I")
		case e == "Ez":
			b.WriteString("%z")
		case e == "E*S" || e == "E6S":
			b.WriteString("%S.%f")
		case e == "E3S":
			b.WriteString("%S.%g")
		case e == "E0S":
			b.WriteString("%S")
		default:
			return "", &warehouse.UnsupportedError{Construct: "format element %" + e + " in parsing", Line: line}
		}
	}
	return b.String(), nil
}
