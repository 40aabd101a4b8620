package cloudlog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"testing"
	"testing/slogtest"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/services/cloudlog"
)

func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		delete(m, "time")
		out = append(out, m)
	}
	return out
}

func TestSeverityAndTrace(t *testing.T) {
	var buf bytes.Buffer
	log := cloudlog.New(&buf, cloudlog.Options{Level: slog.LevelDebug, Project: "pltv-demo"})
	ctx := cloudlog.WithTrace(context.Background(), "105445aa7843bc8bf206b12000100000", "1")
	ctx = cloudlog.WithDate(ctx, "20101201")
	log.DebugContext(ctx, "d")
	log.InfoContext(ctx, "i", "rows", 3)
	log.WarnContext(ctx, "w", "date", "20101202") // the line's own date wins
	log.ErrorContext(context.Background(), "e")
	want := []map[string]any{
		{"severity": "DEBUG", "message": "d", "date": "20101201",
			"logging.googleapis.com/trace": "projects/pltv-demo/traces/105445aa7843bc8bf206b12000100000", "logging.googleapis.com/spanId": "1"},
		{"severity": "INFO", "message": "i", "rows": 3.0, "date": "20101201",
			"logging.googleapis.com/trace": "projects/pltv-demo/traces/105445aa7843bc8bf206b12000100000", "logging.googleapis.com/spanId": "1"},
		{"severity": "WARNING", "message": "w", "date": "20101202",
			"logging.googleapis.com/trace": "projects/pltv-demo/traces/105445aa7843bc8bf206b12000100000", "logging.googleapis.com/spanId": "1"},
		{"severity": "ERROR", "message": "e"},
	}
	if diff := cmp.Diff(want, lines(t, &buf)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

func TestRequestScope(t *testing.T) {
	var buf bytes.Buffer
	log := cloudlog.New(&buf, cloudlog.Options{})
	outer := cloudlog.NewRequest(context.Background())
	inner := cloudlog.WithDate(outer, "20101203") // found by the handler, deep inside
	log.InfoContext(inner, "handled")
	log.InfoContext(outer, "answered") // by the middleware, after the handler
	got := lines(t, &buf)
	if got[1]["date"] != "20101203" {
		t.Errorf("the request's last line has no date: %v", got[1])
	}
	other := cloudlog.NewRequest(context.Background())
	buf.Reset()
	log.InfoContext(other, "next request")
	if _, ok := lines(t, &buf)[0]["date"]; ok {
		t.Error("a date leaked into another request")
	}
}

func TestParseTrace(t *testing.T) {
	tests := []struct {
		name, header, value, trace, span string
	}{
		{"cloud trace", cloudlog.HeaderCloudTrace, "105445aa7843bc8bf206b120001000/1;o=1", "", ""},
		{"cloud trace of 32 digits", cloudlog.HeaderCloudTrace, "105445AA7843BC8BF206B12000100000/123;o=1", "105445aa7843bc8bf206b12000100000", "123"},
		{"span 0", cloudlog.HeaderCloudTrace, "105445aa7843bc8bf206b12000100000/0", "105445aa7843bc8bf206b12000100000", ""},
		{"traceparent", cloudlog.HeaderTraceparent, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"},
		{"a zero trace", cloudlog.HeaderTraceparent, "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "", ""},
		{"garbage", cloudlog.HeaderTraceparent, "hello", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", nil)
			r.Header.Set(tt.header, tt.value)
			trace, span := cloudlog.FromRequest(r)
			if trace != tt.trace || span != tt.span {
				t.Errorf("FromRequest = %q, %q; want %q, %q", trace, span, tt.trace, tt.span)
			}
		})
	}
	e := event.New()
	e.SetExtension("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	if trace, _ := cloudlog.FromEvent(e); trace != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("FromEvent = %q", trace)
	}
}

// TestSlogConformance runs the standard library's handler tests, with severity and message in place of
// level and msg.
func TestSlogConformance(t *testing.T) {
	var buf bytes.Buffer
	h := cloudlog.NewHandler(&buf, cloudlog.Options{})
	results := func() []map[string]any {
		var out []map[string]any
		for _, l := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
			if len(l) == 0 {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal(l, &m); err != nil {
				t.Fatal(err)
			}
			m[slog.LevelKey], m[slog.MessageKey] = m["severity"], m["message"]
			out = append(out, m)
		}
		return out
	}
	if err := slogtest.TestHandler(h, results); err != nil {
		t.Error(err)
	}
}
