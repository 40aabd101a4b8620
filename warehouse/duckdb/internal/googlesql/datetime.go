package googlesql

import (
	"strconv"
	"strings"

	"github.com/pltv/pltv/warehouse"
)

var (
	dateParts = map[string]bool{"DAY": true, "WEEK": true, "MONTH": true, "QUARTER": true, "YEAR": true}
	timeParts = map[string]bool{"MICROSECOND": true, "MILLISECOND": true, "SECOND": true, "MINUTE": true,
		"HOUR": true, "DAY": true}
)

func partError(c *call, part string) error {
	return &warehouse.SQLError{Line: c.line, Message: c.name + ": invalid date part " + part}
}

// dateFn: DATE(y, m, d), DATE(timestamp_or_string), DATE(timestamp, zone).
func dateFn(_ *translator, c *call) (string, error) {
	switch len(c.args) {
	case 1:
		return "CAST(" + c.args[0] + " AS DATE)", nil
	case 2:
		return "CAST(timezone(" + c.args[1] + ", CAST(" + c.args[0] + " AS TIMESTAMPTZ)) AS DATE)", nil
	case 3:
		return "make_date(" + c.args[0] + ", " + c.args[1] + ", " + c.args[2] + ")", nil
	}
	return "", c.nargs(1, 3)
}

// datetimeFn: DATETIME(y, m, d, h, mi, s), DATETIME(date, time), DATETIME(x), DATETIME(timestamp, zone).
func datetimeFn(_ *translator, c *call) (string, error) {
	switch len(c.args) {
	case 1:
		return "CAST(" + c.args[0] + " AS TIMESTAMP)", nil
	case 2:
		if _, ok := c.literal(1); ok {
			return "timezone(" + c.args[1] + ", CAST(" + c.args[0] + " AS TIMESTAMPTZ))", nil
		}
		return "(CAST(" + c.args[0] + " AS DATE) + CAST(" + c.args[1] + " AS TIME))", nil
	case 6:
		return expand("make_timestamp(%0, %1, %2, %3, %4, %5)", c.args), nil
	}
	return "", &warehouse.SQLError{Line: c.line, Message: "DATETIME: want 1, 2 or 6 arguments"}
}

// timestampFn: TIMESTAMP(x) and TIMESTAMP(x, zone), where x without a zone is read in zone.
func timestampFn(_ *translator, c *call) (string, error) {
	if err := c.nargs(1, 2); err != nil {
		return "", err
	}
	if len(c.args) == 1 {
		return "pltv_timestamp(" + c.args[0] + ")", nil
	}
	return "CAST(timezone(" + c.args[1] + ", CAST(" + c.args[0] + " AS TIMESTAMP)) AS TIMESTAMP)", nil
}

func timeFn(_ *translator, c *call) (string, error) {
	switch len(c.args) {
	case 1:
		return "CAST(" + c.args[0] + " AS TIME)", nil
	case 3:
		return "make_time(" + c.args[0] + ", " + c.args[1] + ", " + c.args[2] + ")", nil
	}
	return "", &warehouse.SQLError{Line: c.line, Message: "TIME: want 1 or 3 arguments"}
}

// dateAdd: DATE_ADD/DATE_SUB(date, INTERVAL n part) return a DATE (DuckDB's date ± interval is a TIMESTAMP).
func dateAdd(op string) rewrite {
	return func(t *translator, c *call) (string, error) {
		if err := c.nargs(2, 2); err != nil {
			return "", err
		}
		n, part, err := t.interval(c, 1)
		if err != nil {
			return "", err
		}
		if !dateParts[part] {
			return "", partError(c, part)
		}
		return "CAST(CAST(" + c.args[0] + " AS DATE) " + op + " INTERVAL (" + n + ") " + part + " AS DATE)", nil
	}
}

// timestampAdd: TIMESTAMP_ADD/SUB and DATETIME_ADD/SUB; DATETIME also takes WEEK, MONTH, QUARTER, YEAR.
func timestampAdd(op string, datetime bool) rewrite {
	return func(t *translator, c *call) (string, error) {
		if err := c.nargs(2, 2); err != nil {
			return "", err
		}
		n, part, err := t.interval(c, 1)
		if err != nil {
			return "", err
		}
		if !timeParts[part] && !(datetime && dateParts[part]) {
			return "", partError(c, part)
		}
		return "(CAST(" + c.args[0] + " AS TIMESTAMP) " + op + " INTERVAL (" + n + ") " + part + ")", nil
	}
}

// weekDiff counts the week boundaries (weeks starting on weekday) between two dates.
func weekDiff(a, b string, weekday int) string {
	wd := strconv.Itoa(weekday)
	return "(date_diff('day', pltv_week_start(CAST(" + b + " AS DATE), " + wd + "), pltv_week_start(CAST(" + a +
		" AS DATE), " + wd + ")) // 7)"
}

// dateDiff: DATE_DIFF(end, start, part) counts the part boundaries between the dates; DuckDB's date_diff
// takes (part, start, end), and its weeks are not Sunday-based.
func dateDiff(_ *translator, c *call) (string, error) {
	if err := c.nargs(3, 3); err != nil {
		return "", err
	}
	part, weekday, err := datePart(c.raw[2], c.line)
	if err != nil {
		return "", err
	}
	switch part {
	case "DAY", "MONTH", "QUARTER", "YEAR", "ISOYEAR":
		return "date_diff('" + part + "', CAST(" + c.args[1] + " AS DATE), CAST(" + c.args[0] + " AS DATE))", nil
	case "WEEK":
		return weekDiff(c.args[0], c.args[1], weekday), nil
	case "ISOWEEK":
		return weekDiff(c.args[0], c.args[1], 1), nil
	}
	return "", partError(c, part)
}

// datetimeDiff: DATETIME_DIFF(end, start, part), part boundaries.
func datetimeDiff(_ *translator, c *call) (string, error) {
	if err := c.nargs(3, 3); err != nil {
		return "", err
	}
	part, weekday, err := datePart(c.raw[2], c.line)
	if err != nil {
		return "", err
	}
	switch {
	case part == "WEEK":
		return weekDiff(c.args[0], c.args[1], weekday), nil
	case part == "ISOWEEK":
		return weekDiff(c.args[0], c.args[1], 1), nil
	case timeParts[part] || dateParts[part] || part == "ISOYEAR":
		return "date_diff('" + part + "', CAST(" + c.args[1] + " AS TIMESTAMP), CAST(" + c.args[0] + " AS TIMESTAMP))", nil
	}
	return "", partError(c, part)
}

// timestampDiff: TIMESTAMP_DIFF(end, start, part) counts whole parts elapsed (DuckDB's date_sub).
func timestampDiff(_ *translator, c *call) (string, error) {
	if err := c.nargs(3, 3); err != nil {
		return "", err
	}
	part, _, err := datePart(c.raw[2], c.line)
	if err != nil {
		return "", err
	}
	if !timeParts[part] {
		return "", partError(c, part)
	}
	return "date_sub('" + part + "', CAST(" + c.args[1] + " AS TIMESTAMP), CAST(" + c.args[0] + " AS TIMESTAMP))", nil
}

// dateTrunc: DATE_TRUNC(date, part) returns a DATE; WEEK starts on Sunday (or on the weekday given).
func dateTrunc(_ *translator, c *call) (string, error) {
	if err := c.nargs(2, 2); err != nil {
		return "", err
	}
	part, weekday, err := datePart(c.raw[1], c.line)
	if err != nil {
		return "", err
	}
	d := "CAST(" + c.args[0] + " AS DATE)"
	switch part {
	case "DAY":
		return d, nil
	case "WEEK":
		return "pltv_week_start(" + d + ", " + strconv.Itoa(weekday) + ")", nil
	case "ISOWEEK":
		return "pltv_week_start(" + d + ", 1)", nil
	case "MONTH", "QUARTER", "YEAR", "ISOYEAR":
		return "CAST(date_trunc('" + part + "', " + d + ") AS DATE)", nil
	}
	return "", partError(c, part)
}

// timestampTrunc: TIMESTAMP_TRUNC and DATETIME_TRUNC(x, part).
func timestampTrunc(_ *translator, c *call) (string, error) {
	if len(c.args) == 3 {
		return "", &warehouse.UnsupportedError{Construct: c.name + " with a time zone", Line: c.line}
	}
	if err := c.nargs(2, 2); err != nil {
		return "", err
	}
	part, weekday, err := datePart(c.raw[1], c.line)
	if err != nil {
		return "", err
	}
	x := "CAST(" + c.args[0] + " AS TIMESTAMP)"
	switch part {
	case "WEEK":
		return "CAST(pltv_week_start(CAST(" + x + " AS DATE), " + strconv.Itoa(weekday) + ") AS TIMESTAMP)", nil
	case "ISOWEEK":
		return "CAST(pltv_week_start(CAST(" + x + " AS DATE), 1) AS TIMESTAMP)", nil
	case "MICROSECOND":
		return x, nil
	case "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "MONTH", "QUARTER", "YEAR", "ISOYEAR":
		return "date_trunc('" + part + "', " + x + ")", nil
	}
	return "", partError(c, part)
}

// lastDay: LAST_DAY(date [, part]), the last day of the month (or week, quarter, year).
func lastDay(_ *translator, c *call) (string, error) {
	if err := c.nargs(1, 2); err != nil {
		return "", err
	}
	d := "CAST(" + c.args[0] + " AS DATE)"
	part, weekday := "MONTH", 0
	if len(c.args) == 2 {
		var err error
		if part, weekday, err = datePart(c.raw[1], c.line); err != nil {
			return "", err
		}
	}
	switch part {
	case "MONTH":
		return "last_day(" + d + ")", nil
	case "QUARTER", "YEAR":
		return "CAST(date_trunc('" + part + "', " + d + ") + INTERVAL 1 " + part + " - INTERVAL 1 DAY AS DATE)", nil
	case "WEEK":
		return "CAST(pltv_week_start(" + d + ", " + strconv.Itoa(weekday) + ") + 6 AS DATE)", nil
	case "ISOWEEK":
		return "CAST(pltv_week_start(" + d + ", 1) + 6 AS DATE)", nil
	}
	return "", partError(c, part)
}

// formatFn: FORMAT_DATE/DATETIME/TIME/TIMESTAMP(format, x [, zone]).
func formatFn(timestamp bool) rewrite {
	return func(_ *translator, c *call) (string, error) {
		if err := c.nargs(2, 3); err != nil {
			return "", err
		}
		f, ok := c.literal(0)
		if !ok {
			return "", &warehouse.UnsupportedError{Construct: c.name + " with a format that is not a string literal", Line: c.line}
		}
		x := c.args[1]
		if len(c.args) == 3 {
			if !timestamp {
				return "", c.nargs(2, 2)
			}
			if zf, err := expandAliases(f); err != nil || strings.Contains(zf, "%Z") || strings.Contains(zf, "%z") || strings.Contains(zf, "%Ez") {
				return "", &warehouse.UnsupportedError{Construct: c.name + " with a time zone and %Z or %z", Line: c.line}
			}
			x = "timezone(" + c.args[2] + ", CAST(" + x + " AS TIMESTAMPTZ))"
		}
		return formatExpr(f, x, timestamp, c.line)
	}
}

// parseFn: PARSE_DATE/DATETIME/TIME/TIMESTAMP(format, string [, zone]); SAFE. returns NULL on failure.
func parseFn(typ string) rewrite {
	return func(_ *translator, c *call) (string, error) {
		if err := c.nargs(2, 3); err != nil {
			return "", err
		}
		f, ok := c.literal(0)
		if !ok {
			return "", &warehouse.UnsupportedError{Construct: c.name + " with a format that is not a string literal", Line: c.line}
		}
		pf, err := parseFormat(f, c.line)
		if err != nil {
			return "", err
		}
		fn := "strptime"
		if len(c.name) > 5 && c.name[:5] == "SAFE." {
			fn = "try_strptime"
		}
		x := fn + "(" + c.args[1] + ", " + stringLit(pf) + ")"
		if len(c.args) == 3 {
			if typ != "TIMESTAMP" || c.name == "PARSE_DATETIME" {
				return "", c.nargs(2, 2)
			}
			x = "timezone(" + c.args[2] + ", CAST(" + x + " AS TIMESTAMP))"
		}
		return "CAST(" + x + " AS " + typ + ")", nil
	}
}
