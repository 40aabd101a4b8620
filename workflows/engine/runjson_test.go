package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pltv/pltv/workflows/engine"
)

func TestRunJSON(t *testing.T) {
	src := []byte(`
main:
  params: [args]
  steps:
    - r:
        return:
          from: ${args.from}
          days: ${len(args.days)}
`)
	tests := []struct {
		name, data, want, err string
	}{
		{name: "an argument", data: `{"from": "20200701", "days": [1, 2]}`, want: "{\n  \"days\": 2,\n  \"from\": \"20200701\"\n}"},
		{name: "data that is not JSON", data: `{from: 20200701}`, err: "--data is not valid JSON"},
		{name: "no data", data: "", err: `in step "r"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := engine.RunJSON(context.Background(), src, tt.data, engine.Options{})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("RunJSON() error = %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("result mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
