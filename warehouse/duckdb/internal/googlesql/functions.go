package googlesql

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/pltv/pltv/warehouse"
)

// functions are the GoogleSQL functions whose DuckDB spelling or meaning differs. Functions not listed are
// passed through unchanged: DuckDB has them with BigQuery's meaning (COUNT, SUM, ROUND, COALESCE, ...).
var functions map[string]rewrite

func init() {
	functions = map[string]rewrite{
		// Conditional and arithmetic.
		"IF":            fixed(3, "(CASE WHEN %0 THEN %1 ELSE %2 END)"),
		"IFNULL":        fixed(2, "coalesce(%0, %1)"),
		"SAFE_DIVIDE":   fixed(2, "(%0 / NULLIF(%1, 0))"),
		"IEEE_DIVIDE":   fixed(2, "(CAST(%0 AS DOUBLE) / %1)"),
		"DIV":           fixed(2, "(%0 // %1)"),
		"SAFE_ADD":      fixed(2, "(%0 + %1)"),
		"SAFE_SUBTRACT": fixed(2, "(%0 - %1)"),
		"SAFE_MULTIPLY": fixed(2, "(%0 * %1)"),
		"SAFE_NEGATE":   fixed(1, "(-%0)"),
		"IS_NAN":        fixed(1, "isnan(%0)"),
		"IS_INF":        fixed(1, "isinf(%0)"),
		"RAND":          fixed(0, "random()"),
		"GENERATE_UUID": fixed(0, "CAST(uuid() AS VARCHAR)"),
		"LOG":           logFn,
		"GREATEST":      nullStrict("greatest"),
		"LEAST":         nullStrict("least"),

		// Aggregates.
		"COUNTIF":          fixed(1, "count(CASE WHEN %0 THEN 1 END)"),
		"LOGICAL_AND":      renamed("bool_and"),
		"LOGICAL_OR":       renamed("bool_or"),
		"PERCENTILE_CONT":  fixed(2, "quantile_cont(%0, %1)"),
		"PERCENTILE_DISC":  fixed(2, "quantile_disc(%0, %1)"),
		"STRING_AGG":       stringAgg,
		"ARRAY_AGG":        arrayAgg,
		"APPROX_QUANTILES": approxQuantiles,

		// Strings.
		"CONCAT":             concat,
		"REGEXP_CONTAINS":    fixed(2, "regexp_matches(%0, %1)"),
		"REGEXP_EXTRACT":     regexpExtract,
		"REGEXP_SUBSTR":      regexpExtract,
		"REGEXP_EXTRACT_ALL": regexpExtractAll,
		"REGEXP_REPLACE":     fixed(3, "regexp_replace(%0, %1, %2, 'g')"),
		"SPLIT":              split,
		"CHAR_LENGTH":        renamed("length"),
		"CHARACTER_LENGTH":   renamed("length"),
		"BYTE_LENGTH":        fixed(1, "octet_length(CAST(%0 AS BLOB))"),
		"TO_HEX":             fixed(1, "lower(hex(%0))"),
		"MD5":                fixed(1, "unhex(md5(%0))"),
		"SHA256":             fixed(1, "unhex(sha256(%0))"),
		"FORMAT":             format,
		"FARM_FINGERPRINT":   fixed(1, "pltv_farm_fingerprint(%0)"),

		// Arrays.
		"ARRAY_LENGTH":             fixed(1, "len(%0)"),
		"ARRAY_REVERSE":            fixed(1, "list_reverse(%0)"),
		"ARRAY_CONCAT":             arrayConcat,
		"GENERATE_ARRAY":           renamed("generate_series"),
		"GENERATE_DATE_ARRAY":      generateDateArray,
		"GENERATE_TIMESTAMP_ARRAY": generateTimestampArray,

		// Dates and times.
		"DATE":                dateFn,
		"DATETIME":            datetimeFn,
		"TIMESTAMP":           timestampFn,
		"TIME":                timeFn,
		"DATE_ADD":            dateAdd("+"),
		"DATE_SUB":            dateAdd("-"),
		"DATETIME_ADD":        timestampAdd("+", true),
		"DATETIME_SUB":        timestampAdd("-", true),
		"TIMESTAMP_ADD":       timestampAdd("+", false),
		"TIMESTAMP_SUB":       timestampAdd("-", false),
		"DATE_DIFF":           dateDiff,
		"DATETIME_DIFF":       datetimeDiff,
		"TIMESTAMP_DIFF":      timestampDiff,
		"DATE_TRUNC":          dateTrunc,
		"DATETIME_TRUNC":      timestampTrunc,
		"TIMESTAMP_TRUNC":     timestampTrunc,
		"LAST_DAY":            lastDay,
		"FORMAT_DATE":         formatFn(false),
		"FORMAT_DATETIME":     formatFn(false),
		"FORMAT_TIME":         formatFn(false),
		"FORMAT_TIMESTAMP":    formatFn(true),
		"PARSE_DATE":          parseFn("DATE"),
		"PARSE_DATETIME":      parseFn("TIMESTAMP"),
		"PARSE_TIME":          parseFn("TIME"),
		"PARSE_TIMESTAMP":     parseFn("TIMESTAMP"),
		"UNIX_DATE":           fixed(1, "date_diff('day', DATE '1970-01-01', CAST(%0 AS DATE))"),
		"DATE_FROM_UNIX_DATE": fixed(1, "CAST(DATE '1970-01-01' + INTERVAL (%0) DAY AS DATE)"),
		"UNIX_SECONDS":        fixed(1, "CAST(floor(epoch(CAST(%0 AS TIMESTAMP))) AS BIGINT)"),
		"UNIX_MILLIS":         fixed(1, "epoch_ms(CAST(%0 AS TIMESTAMP))"),
		"UNIX_MICROS":         fixed(1, "epoch_us(CAST(%0 AS TIMESTAMP))"),
		"TIMESTAMP_SECONDS":   fixed(1, "make_timestamp(CAST(%0 AS BIGINT) * 1000000)"),
		"TIMESTAMP_MILLIS":    fixed(1, "make_timestamp(CAST(%0 AS BIGINT) * 1000)"),
		"TIMESTAMP_MICROS":    fixed(1, "make_timestamp(CAST(%0 AS BIGINT))"),
	}
}

// fixed rewrites a call with n arguments into a template where %i stands for argument i.
func fixed(n int, tmpl string) rewrite {
	return func(_ *translator, c *call) (string, error) {
		if err := c.nargs(n, n); err != nil {
			return "", err
		}
		return expand(tmpl, c.args), nil
	}
}

// expand replaces %0 ... %9 in tmpl by the arguments, in one pass.
func expand(tmpl string, args []string) string {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] == '%' && i+1 < len(tmpl) && isDigit(tmpl[i+1]) && int(tmpl[i+1]-'0') < len(args) {
			b.WriteString(args[tmpl[i+1]-'0'])
			i++
			continue
		}
		b.WriteByte(tmpl[i])
	}
	return b.String()
}

// renamed keeps the arguments as written (DISTINCT, ORDER BY and all) under another name.
func renamed(name string) rewrite {
	return func(_ *translator, c *call) (string, error) {
		return name + "(" + strings.Join(c.full, ",") + ")", nil
	}
}

// nullStrict makes GREATEST and LEAST return NULL when an argument is NULL, as BigQuery does (DuckDB's skip
// NULLs).
func nullStrict(name string) rewrite {
	return func(_ *translator, c *call) (string, error) {
		if err := c.nargs(1, 1<<20); err != nil {
			return "", err
		}
		nulls := make([]string, len(c.args))
		for i, a := range c.args {
			nulls[i] = a + " IS NULL"
		}
		return "(CASE WHEN " + strings.Join(nulls, " OR ") + " THEN NULL ELSE " + name + "(" +
			strings.Join(c.args, ", ") + ") END)", nil
	}
}

// logFn: LOG(x) is the natural logarithm and LOG(x, base) the logarithm in base; DuckDB's log is base 10.
func logFn(_ *translator, c *call) (string, error) {
	if err := c.nargs(1, 2); err != nil {
		return "", err
	}
	if len(c.args) == 1 {
		return "ln(" + c.args[0] + ")", nil
	}
	return "(ln(" + c.args[0] + ") / ln(" + c.args[1] + "))", nil
}

// concat returns NULL when an argument is NULL, as BigQuery's CONCAT does (DuckDB's concat skips NULLs).
func concat(_ *translator, c *call) (string, error) {
	if err := c.nargs(1, 1<<20); err != nil {
		return "", err
	}
	return "(" + strings.Join(c.args, " || ") + ")", nil
}

// aggregateParts splits the single argument of an aggregate into its expression and its modifiers.
type aggregateParts struct {
	expr        []node // the value, DISTINCT excluded
	distinct    bool
	ignoreNulls bool
	orderBy     []node // ORDER BY ... included
	limit       []node // the LIMIT count
}

func splitAggregate(nodes []node) aggregateParts {
	var p aggregateParts
	section := &p.expr
	for i := 0; i < len(nodes); i++ {
		n := nodes[i]
		switch {
		case n.is("DISTINCT") && len(sig(p.expr)) == 0:
			p.distinct = true
			continue
		case (n.is("IGNORE") || n.is("RESPECT")) && nextSig(nodes, i+1) < len(nodes) && nodes[nextSig(nodes, i+1)].is("NULLS"):
			p.ignoreNulls = n.is("IGNORE")
			i = nextSig(nodes, i+1)
			continue
		case n.is("ORDER"):
			section = &p.orderBy
		case n.is("LIMIT"):
			section = &p.limit
			continue
		}
		*section = append(*section, n)
	}
	return p
}

func stringAgg(t *translator, c *call) (string, error) {
	args := splitTop(c.g.group.kids, ",")
	if len(args) > 0 {
		if p := splitAggregate(args[len(args)-1]); len(p.limit) > 0 {
			return "", &warehouse.UnsupportedError{Construct: "STRING_AGG ... LIMIT", Line: c.line}
		}
	}
	return renamed("string_agg")(t, c)
}

// arrayAgg translates ARRAY_AGG([DISTINCT] x [IGNORE NULLS] [ORDER BY ...] [LIMIT n]).
func arrayAgg(t *translator, c *call) (string, error) {
	if err := c.nargs(1, 1); err != nil {
		return "", err
	}
	p := splitAggregate(c.raw[0])
	x, err := t.seq(p.expr)
	if err != nil {
		return "", err
	}
	x = strings.TrimSpace(x)
	inner := x
	if p.distinct {
		inner = "DISTINCT " + x
	}
	if len(p.orderBy) > 0 {
		order, err := t.seq(p.orderBy)
		if err != nil {
			return "", err
		}
		inner += " " + strings.TrimSpace(order)
	}
	out := "array_agg(" + inner + ")"
	if p.ignoreNulls {
		out += " FILTER (WHERE " + x + " IS NOT NULL)"
	}
	if len(p.limit) > 0 {
		n, err := t.seq(p.limit)
		if err != nil {
			return "", err
		}
		out = "list_slice(" + out + ", 1, " + strings.TrimSpace(n) + ")"
	}
	return out, nil
}

// approxQuantiles translates APPROX_QUANTILES(x, n): the n+1 quantiles of x, exact here.
func approxQuantiles(t *translator, c *call) (string, error) {
	if err := c.nargs(2, 2); err != nil {
		return "", err
	}
	p := splitAggregate(c.raw[1])
	n, err := strconv.Atoi(strings.TrimSpace(sourceOf(p.expr)))
	if err != nil || n < 1 {
		return "", &warehouse.UnsupportedError{Construct: "APPROX_QUANTILES with a non-constant number of quantiles", Line: c.line}
	}
	x := splitAggregate(c.raw[0])
	if x.distinct {
		return "", &warehouse.UnsupportedError{Construct: "APPROX_QUANTILES(DISTINCT ...)", Line: c.line}
	}
	fractions := make([]string, n+1)
	for i := range fractions {
		fractions[i] = strconv.FormatFloat(float64(i)/float64(n), 'g', -1, 64)
	}
	expr, err := t.seq(x.expr)
	if err != nil {
		return "", err
	}
	return "quantile_disc(" + strings.TrimSpace(expr) + ", [" + strings.Join(fractions, ", ") + "])", nil
}

// regexpExtract returns the first capturing group when the pattern has one, else the match, and NULL when
// nothing matches, as BigQuery does.
func regexpExtract(_ *translator, c *call) (string, error) {
	if err := c.nargs(2, 2); err != nil {
		if len(c.args) > 2 {
			return "", &warehouse.UnsupportedError{Construct: c.name + " with a position or occurrence", Line: c.line}
		}
		return "", err
	}
	group := "0"
	if re, ok := c.literal(1); ok {
		if r, err := regexp.Compile(re); err == nil && r.NumSubexp() > 0 {
			group = "1"
		}
	}
	return "(CASE WHEN regexp_matches(" + c.args[0] + ", " + c.args[1] + ") THEN regexp_extract(" +
		c.args[0] + ", " + c.args[1] + ", " + group + ") END)", nil
}

func regexpExtractAll(_ *translator, c *call) (string, error) {
	if err := c.nargs(2, 2); err != nil {
		return "", err
	}
	group := "0"
	if re, ok := c.literal(1); ok {
		if r, err := regexp.Compile(re); err == nil && r.NumSubexp() > 0 {
			group = "1"
		}
	}
	return "regexp_extract_all(" + c.args[0] + ", " + c.args[1] + ", " + group + ")", nil
}

func split(_ *translator, c *call) (string, error) {
	if err := c.nargs(1, 2); err != nil {
		return "", err
	}
	if len(c.args) == 1 {
		return "string_split(" + c.args[0] + ", ',')", nil
	}
	return "string_split(" + c.args[0] + ", " + c.args[1] + ")", nil
}

// format translates FORMAT(f, ...) to printf, which shares its common elements (%d %s %f %g %e %x %o %%).
func format(_ *translator, c *call) (string, error) {
	if err := c.nargs(1, 1<<20); err != nil {
		return "", err
	}
	if f, ok := c.literal(0); ok && regexp.MustCompile(`%[-+ #0-9.']*[tTpP]`).MatchString(f) {
		return "", &warehouse.UnsupportedError{Construct: "FORMAT elements %t, %T and %P", Line: c.line}
	}
	return "printf(" + strings.Join(c.args, ", ") + ")", nil
}

func arrayConcat(_ *translator, c *call) (string, error) {
	if err := c.nargs(1, 1<<20); err != nil {
		return "", err
	}
	out := c.args[0]
	for _, a := range c.args[1:] {
		out = "list_concat(" + out + ", " + a + ")"
	}
	return out, nil
}

func generateDateArray(t *translator, c *call) (string, error) {
	if err := c.nargs(2, 3); err != nil {
		return "", err
	}
	step := "INTERVAL 1 DAY"
	if len(c.args) == 3 {
		n, part, err := t.interval(c, 2)
		if err != nil {
			return "", err
		}
		if !dateParts[part] {
			return "", &warehouse.SQLError{Line: c.line, Message: "GENERATE_DATE_ARRAY: invalid part " + part}
		}
		step = "INTERVAL (" + n + ") " + part
	}
	return "list_transform(generate_series(CAST(CAST(" + c.args[0] + " AS DATE) AS TIMESTAMP), CAST(CAST(" +
		c.args[1] + " AS DATE) AS TIMESTAMP), " + step + "), lambda pltv_d: CAST(pltv_d AS DATE))", nil
}

func generateTimestampArray(t *translator, c *call) (string, error) {
	if err := c.nargs(3, 3); err != nil {
		return "", err
	}
	n, part, err := t.interval(c, 2)
	if err != nil {
		return "", err
	}
	return "generate_series(CAST(" + c.args[0] + " AS TIMESTAMP), CAST(" + c.args[1] + " AS TIMESTAMP), INTERVAL (" +
		n + ") " + part + ")", nil
}
