package config

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
)

// Problem is one thing wrong with the configuration, located at the key that holds it.
type Problem struct {
	File   string // the config file; empty when the value came from the environment or a default
	Line   int    // 1-based line in File; 0 when the key is not in the file
	Env    bool   // the value came from the environment variable named Key
	Key    string // the setting, or a path into it such as EXTRA_DATA[1].csv; empty for the file as a whole
	Reason string
}

// Error formats the problem as file:line: KEY: reason, env KEY: reason, or KEY: reason.
func (p Problem) Error() string {
	var b strings.Builder
	switch {
	case p.Env:
		b.WriteString("env ")
	case p.File != "":
		b.WriteString(p.File)
		if p.Line > 0 {
			b.WriteString(":" + strconv.Itoa(p.Line))
		}
		b.WriteString(": ")
	}
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	b.WriteString(p.Reason)
	return b.String()
}

// origin is where a value was set.
type origin struct {
	file string // "" for the environment and for defaults
	line int
	env  bool
}

func (o origin) problem(key, reason string) Problem {
	return Problem{File: o.file, Line: o.line, Env: o.env, Key: key, Reason: reason}
}

// String describes the origin for a reason that refers to another key.
func (o origin) String() string {
	switch {
	case o.env:
		return "the environment"
	case o.file != "" && o.line > 0:
		return o.file + ":" + strconv.Itoa(o.line)
	case o.file != "":
		return o.file
	}
	return "the default"
}

// sortProblems orders problems as a reader fixes them: the file top to bottom, then what concerns the
// file as a whole, then the environment, then the rest; problems without a line follow the order of the
// settings. The sort is stable, so problems of one key keep their order.
func sortProblems(ps []Problem) {
	group := func(p Problem) int {
		switch {
		case p.Env:
			return 2
		case p.File != "" && p.Line > 0:
			return 0
		case p.File != "":
			return 1
		}
		return 3
	}
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(group(a), group(b)), cmp.Compare(a.Line, b.Line),
			cmp.Compare(settingIndex(a.Key), settingIndex(b.Key)))
	})
}

// settingIndex returns the position in the settings table of the setting a key path belongs to
// (EXTRA_DATA[1].csv belongs to EXTRA_DATA), or -1.
func settingIndex(path string) int {
	key, _, _ := strings.Cut(path, "[")
	key, _, _ = strings.Cut(key, ".")
	return slices.IndexFunc(settings, func(s setting) bool { return s.Key == key })
}

// joinProblems returns the problems as one error (nil when there are none); errors.As finds each Problem.
func joinProblems(ps []Problem) error {
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = p
	}
	return errors.Join(errs...)
}
