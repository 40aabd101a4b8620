package fakebq

import (
	"encoding/json"
	"testing"
	"time"

	"cloud.google.com/go/civil"
	"github.com/google/go-cmp/cmp"
)

func TestEncode(t *testing.T) {
	ts := time.Date(2010, 12, 1, 8, 26, 0, 0, time.UTC)
	tests := []struct {
		name    string
		typ     string
		in      any
		want    any
		wantErr bool
	}{
		{"null", "INTEGER", nil, nil, false},
		{"int from JSON", "INTEGER", json.Number("9007199254740993"), "9007199254740993", false},
		{"int from CSV", "INTEGER", " -6", "-6", false},
		{"int refused", "INTEGER", "six", nil, true},
		{"float", "FLOAT", 2.55, "2.55", false},
		{"float from CSV", "FLOAT", "17850.0", "17850", false},
		{"bool from CSV", "BOOLEAN", "T", "true", false},
		{"date", "DATE", civil.Date{Year: 2010, Month: 12, Day: 1}, "2010-12-01", false},
		{"date refused", "DATE", "12/01/2010", nil, true},
		{"timestamp from CSV", "TIMESTAMP", "2010-12-01 08:26:00", ts.UnixMicro(), false},
		{"timestamp with zone", "TIMESTAMP", "2010-12-01 09:26:00+01:00", ts.UnixMicro(), false},
		{"timestamp RFC 3339", "TIMESTAMP", "2010-12-01T08:26:00Z", ts.UnixMicro(), false},
		{"timestamp seconds", "TIMESTAMP", json.Number("1291191960"), ts.UnixMicro(), false},
		{"timestamp refused", "TIMESTAMP", "yesterday", nil, true},
		{"datetime", "DATETIME", "2010-12-01 08:26:00", "2010-12-01T08:26:00", false},
		{"record refused", "RECORD", "{}", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := encode(tt.typ, tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("encode(%s, %v) error = %v, want error %v", tt.typ, tt.in, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("encode(%s, %v) (-want +got):\n%s", tt.typ, tt.in, diff)
			}
		})
	}
}
