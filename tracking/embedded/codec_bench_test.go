package embedded

import (
	"testing"
	"time"

	"github.com/pltv/pltv/tracking"
)

func BenchmarkDecode(b *testing.B) {
	now := time.Now()
	v, err := encode(1, tracking.Fields{"kind": "predict", "status": "pending", "attempts": int64(0), "inserted": now,
		"due": now, "visible": now, "payload": []byte("0/1"), "on_error": map[string]any{"kind": "topic", "name": "x"}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(v)), "bytes")
	for b.Loop() {
		if _, err := decode(v); err != nil {
			b.Fatal(err)
		}
	}
}
