package events

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// RunDateTemplate is the parameter of a scheduled query's destination table name template that the run's
// logical date fills in (YYYYMMDD): all_daily_transactions_{run_date}.
const RunDateTemplate = "{run_date}"

// templateParamRE is one parameter of a destination table name template, as the Data Transfer Service
// documents them: {run_date}, or {run_time[+|-offset]|"format"} with an offset in hours, minutes or seconds.
var templateParamRE = regexp.MustCompile(`\{(run_date|run_time(?:([+-])(\d+)([hms]))?\|"([^"]*)")\}`)

// fillTemplate fills in a destination table name template for a run time (UTC).
func fillTemplate(tmpl string, runTime time.Time) (string, error) {
	t := runTime.UTC()
	var err error
	name := templateParamRE.ReplaceAllStringFunc(tmpl, func(p string) string {
		m := templateParamRE.FindStringSubmatch(p)
		if m[1] == "run_date" {
			return t.Format(DateLayout)
		}
		at := t
		if m[2] != "" {
			n, _ := strconv.Atoi(m[3])
			d := time.Duration(n) * map[string]time.Duration{"h": time.Hour, "m": time.Minute, "s": time.Second}[m[4]]
			if m[2] == "-" {
				d = -d
			}
			at = t.Add(d)
		}
		s, ferr := strftime(m[5], at)
		if ferr != nil && err == nil {
			err = ferr
		}
		return s
	})
	if err != nil {
		return "", err
	}
	if i := strings.IndexAny(name, "{}"); i >= 0 {
		return "", fmt.Errorf("%q: only {run_date} and {run_time[+-offset]|\"format\"} are template parameters", tmpl)
	}
	return name, nil
}

// strftime formats t with the directives a table name can use: %Y %m %d %H %M %S and %%.
func strftime(format string, t time.Time) (string, error) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b.WriteByte(format[i])
			continue
		}
		if i++; i == len(format) {
			return "", fmt.Errorf("format %q ends in %%", format)
		}
		switch format[i] {
		case 'Y':
			fmt.Fprintf(&b, "%04d", t.Year())
		case 'm':
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case 'd':
			fmt.Fprintf(&b, "%02d", t.Day())
		case 'H':
			fmt.Fprintf(&b, "%02d", t.Hour())
		case 'M':
			fmt.Fprintf(&b, "%02d", t.Minute())
		case 'S':
			fmt.Fprintf(&b, "%02d", t.Second())
		case '%':
			b.WriteByte('%')
		default:
			return "", fmt.Errorf("format %q: %%%c is not a directive a table name can take (want %%Y %%m %%d %%H %%M %%S)", format, format[i])
		}
	}
	return b.String(), nil
}
