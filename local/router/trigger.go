package router

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/cloudevents/sdk-go/v2/event"
)

// Trigger routes the events that match its filters to a destination.
type Trigger struct {
	Name string
	// Filters are attribute = value pairs an event must all match, as an Eventarc trigger's event filters:
	// "type" is required; "source", "subject" and extension attributes (servicename, methodname,
	// resourcename) may be added. Values compare exactly.
	Filters map[string]string
	// PathPatterns are attribute = path pattern pairs an event must also match, as an audit-log trigger's
	// --event-filters-path-pattern (on resourcename): '*' matches within one '/'-separated segment.
	PathPatterns map[string]string
	Destination  string // the service's URL
}

func (t Trigger) validate() error {
	if t.Name == "" {
		return errors.New("trigger without a name")
	}
	if t.Filters["type"] == "" {
		return fmt.Errorf("trigger %s: an event filter on type is required", t.Name)
	}
	for k, p := range t.PathPatterns {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("trigger %s: path pattern %s=%q: %w", t.Name, k, p, err)
		}
	}
	u, err := url.Parse(t.Destination)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("trigger %s: destination %q is not an http(s) URL", t.Name, t.Destination)
	}
	return nil
}

// Matches reports whether the event has every attribute of the filters and of the path patterns.
func (t Trigger) Matches(e event.Event) bool {
	for k, want := range t.Filters {
		if got, ok := attribute(e, k); !ok || got != want {
			return false
		}
	}
	for k, p := range t.PathPatterns {
		got, ok := attribute(e, k)
		if !ok {
			return false
		}
		if m, _ := path.Match(p, strings.TrimPrefix(got, "/")); !m {
			return false
		}
	}
	return true
}

// attribute returns a context attribute or an extension of the event, as a string.
func attribute(e event.Event, name string) (string, bool) {
	switch strings.ToLower(name) {
	case "type":
		return e.Type(), true
	case "source":
		return e.Source(), true
	case "subject":
		return e.Subject(), e.Subject() != ""
	case "id":
		return e.ID(), true
	case "dataschema":
		return e.DataSchema(), e.DataSchema() != ""
	}
	v, ok := e.Extensions()[strings.ToLower(name)]
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		s = fmt.Sprint(v)
	}
	return s, true
}

// String describes the trigger as `gcloud eventarc triggers describe` lists its filters.
func (t Trigger) String() string {
	keys := make([]string, 0, len(t.Filters))
	for k := range t.Filters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + t.Filters[k]
	}
	patterns := make([]string, 0, len(t.PathPatterns))
	for k, p := range t.PathPatterns {
		patterns = append(patterns, k+"~"+p)
	}
	sort.Strings(patterns)
	parts = append(parts, patterns...)
	return t.Name + " [" + strings.Join(parts, ",") + "] → " + t.Destination
}
