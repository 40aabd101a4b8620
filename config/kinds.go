package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// kind is the type of a setting: how its YAML node becomes a Config field, and which values of the field
// are out of range. Decoding reports what cannot be parsed (and leaves the field as it was); check reports
// what parses but is not allowed, so that a Config changed by code is checked the same way.
type kind interface {
	decode(d *decoder, key string, n *yaml.Node)
	check(c *Config, key string, report func(key, reason string))
	// collection reports whether the value is a list or mapping (so an environment value is YAML text).
	collection() bool
}

// rule checks a string value; it returns the reason the value is wrong, or "".
type rule func(string) string

type textKind struct {
	field func(*Config) *string
	rules []rule
}

func text(field func(*Config) *string, rules ...rule) kind { return textKind{field, rules} }

func (k textKind) decode(d *decoder, key string, n *yaml.Node) {
	if s, ok := d.scalar(key, n, "a string"); ok {
		*k.field(d.cfg) = s
		d.set(key, n)
	}
}

func (k textKind) check(c *Config, key string, report func(key, reason string)) {
	v := *k.field(c)
	for _, r := range k.rules {
		if reason := r(v); reason != "" {
			report(key, reason)
		}
	}
}

func (textKind) collection() bool { return false }

// intKind is a count or a number of days; values below min are refused.
type intKind struct {
	field func(*Config) *int
	min   int
	max   int // 0: no maximum
}

func (k intKind) decode(d *decoder, key string, n *yaml.Node) {
	s, ok := d.scalar(key, n, "a whole number")
	if !ok {
		return
	}
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		d.fail(key, n, "want a whole number, got %q", s)
		return
	}
	*k.field(d.cfg) = v
	d.set(key, n)
}

func (k intKind) check(c *Config, key string, report func(key, reason string)) {
	if r := atLeast(*k.field(c), k.min); r != "" {
		report(key, r)
	}
	if v := *k.field(c); k.max > 0 && v > k.max {
		report(key, fmt.Sprintf("must be at most %d, got %d", k.max, v))
	}
}

func (intKind) collection() bool { return false }

func atLeast(v, min int) string {
	switch {
	case v >= min:
		return ""
	case min == 1:
		return fmt.Sprintf("must be positive, got %d", v)
	case min == 0:
		return fmt.Sprintf("must not be negative, got %d", v)
	}
	return fmt.Sprintf("must be at least %d, got %d", min, v)
}

// durationKind is a whole number of the unit the key names (…_IN_SECONDS, …_MINUTES, …_HOURS).
type durationKind struct {
	field func(*Config) *time.Duration
	unit  time.Duration
	min   int
}

func (k durationKind) decode(d *decoder, key string, n *yaml.Node) {
	s, ok := d.scalar(key, n, "a whole number")
	if !ok {
		return
	}
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		d.fail(key, n, "want a whole number, got %q", s)
		return
	}
	*k.field(d.cfg) = time.Duration(v) * k.unit
	d.set(key, n)
}

func (k durationKind) check(c *Config, key string, report func(key, reason string)) {
	if r := atLeast(int(*k.field(c)/k.unit), k.min); r != "" {
		report(key, r)
	}
}

func (durationKind) collection() bool { return false }

type boolKind struct{ field func(*Config) *bool }

func (k boolKind) decode(d *decoder, key string, n *yaml.Node) {
	s, ok := d.scalar(key, n, "true or false")
	if !ok {
		return
	}
	v, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		d.fail(key, n, "want true or false, got %q", s)
		return
	}
	*k.field(d.cfg) = v
	d.set(key, n)
}

func (boolKind) check(*Config, string, func(key, reason string)) {}

func (boolKind) collection() bool { return false }

// enumKind is one of a few words.
type enumKind[T ~string] struct {
	field  func(*Config) *T
	values []T
}

func (k enumKind[T]) decode(d *decoder, key string, n *yaml.Node) {
	if s, ok := d.scalar(key, n, "a string"); ok {
		*k.field(d.cfg) = T(s)
		d.set(key, n)
	}
}

func (k enumKind[T]) check(c *Config, key string, report func(key, reason string)) {
	v := *k.field(c)
	if slices.Contains(k.values, v) {
		return
	}
	words := make([]string, len(k.values))
	for i, w := range k.values {
		words[i] = string(w)
	}
	report(key, fmt.Sprintf("want one of %s, got %q", strings.Join(words, ", "), v))
}

func (enumKind[T]) collection() bool { return false }

type cronKind struct{ field func(*Config) *Cron }

func (k cronKind) decode(d *decoder, key string, n *yaml.Node) {
	s, ok := d.scalar(key, n, "a cron schedule")
	if !ok {
		return
	}
	c, err := parseCron(s)
	if err != nil {
		d.fail(key, n, "%v", err)
		return
	}
	*k.field(d.cfg) = c
	d.set(key, n)
}

func (k cronKind) check(c *Config, key string, report func(key, reason string)) {
	if _, err := parseCron(k.field(c).Spec); err != nil {
		report(key, err.Error())
	}
}

func (cronKind) collection() bool { return false }

type zoneKind struct{}

func (zoneKind) decode(d *decoder, key string, n *yaml.Node) {
	s, ok := d.scalar(key, n, "a time zone name")
	if !ok {
		return
	}
	loc, err := loadZone(s)
	if err != nil {
		d.fail(key, n, "%v", err)
		return
	}
	d.cfg.Timezone = loc
	d.set(key, n)
}

func (zoneKind) check(c *Config, key string, report func(key, reason string)) {
	if c.Timezone == nil {
		report(key, "no time zone set")
		return
	}
	if _, err := loadZone(c.Timezone.String()); err != nil {
		report(key, err.Error())
	}
}

func (zoneKind) collection() bool { return false }

// loadZone loads an IANA zone; "" and "Local" are refused, since Cloud Scheduler needs a name.
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("want an IANA time zone name such as Europe/Madrid, got %q", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	return loc, nil
}

// pathKind is a file or directory; relative paths in the file are resolved against the file's directory.
type pathKind struct {
	field func(*Config) *string
	dir   bool
}

func (k pathKind) decode(d *decoder, key string, n *yaml.Node) {
	if s, ok := d.scalar(key, n, "a path"); ok {
		*k.field(d.cfg) = d.path(s)
		d.set(key, n)
	}
}

func (k pathKind) check(c *Config, key string, report func(key, reason string)) {
	if r := checkPath(*k.field(c), k.dir); r != "" {
		report(key, r)
	}
}

func (pathKind) collection() bool { return false }

// checkPath returns why p is not an existing file (or directory), or "" when it is or p is empty.
func checkPath(p string, dir bool) string {
	if p == "" {
		return ""
	}
	fi, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return p + " does not exist"
	case err != nil:
		return err.Error()
	case dir && !fi.IsDir():
		return p + " is not a directory"
	case !dir && fi.IsDir():
		return p + " is a directory, want a file"
	}
	return ""
}

// MaxPredictBatchConcurrency is the most prediction batches workflows/daily.yaml runs at once (its lanes).
const MaxPredictBatchConcurrency = 20
