package events

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
)

// fixture returns the bytes of a file under testdata.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// structuredData returns the data of a structured-mode event file.
func structuredData(t testing.TB, name string) []byte {
	t.Helper()
	var e struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(fixture(t, name), &e); err != nil {
		t.Fatal(err)
	}
	return e.Data
}

// patched returns a fixture after fn has edited its JSON.
func patched(t testing.TB, name string, fn func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(fixture(t, name), &m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// at returns the object at a path of keys in decoded JSON.
func at(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		m = m[k].(map[string]any)
	}
	return m
}

func ts(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// rawEvent wraps data in an event of the given type, as a receiver would get it.
func rawEvent(t testing.TB, typ, contentType string, data []byte) event.Event {
	t.Helper()
	e := event.New()
	e.SetID("evt-1")
	e.SetSource("//test/source")
	e.SetType(typ)
	if err := e.SetData(contentType, data); err != nil {
		t.Fatal(err)
	}
	return e
}
