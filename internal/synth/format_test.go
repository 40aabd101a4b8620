package synth

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAppendPrice(t *testing.T) {
	tests := []struct {
		name  string
		pence int
		want  string
	}{
		{"zero", 0, "0.0"},
		{"pence only", 42, "0.42"},
		{"tens of pence drop the trailing zero", 210, "2.1"},
		{"whole pounds keep one decimal", 1800, "18.0"},
		{"pounds and pence", 255, "2.55"},
		{"leading zero pence", 1205, "12.05"},
		{"large", 1234567, "12345.67"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, string(appendPrice(nil, tt.pence))); diff != "" {
				t.Errorf("appendPrice(%d) (-want +got):\n%s", tt.pence, diff)
			}
		})
	}
}

func TestAppendCustomer(t *testing.T) {
	tests := []struct {
		name string
		id   int64
		want string
	}{
		{"guest", -1, ""},
		{"first", customerIDBase, "12346.0"},
		{"large", 123456789, "123456789.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, string(appendCustomer(nil, tt.id))); diff != "" {
				t.Errorf("appendCustomer(%d) (-want +got):\n%s", tt.id, diff)
			}
		})
	}
}

func TestStamp(t *testing.T) {
	day := time.Date(2010, 12, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		minute int
		want   string
	}{
		{"morning", 8*60 + 26, "2010-12-01 08:26:00"},
		{"evening", 20*60 + 59, "2010-12-01 20:59:00"},
		{"midnight", 0, "2010-12-01 00:00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, string(stamp(nil, day, tt.minute))); diff != "" {
				t.Errorf("stamp (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCSVField(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "WHITE METAL LANTERN", "WHITE METAL LANTERN"},
		{"trailing space stays unquoted", "POLKADOT RAIN HAT ", "POLKADOT RAIN HAT "},
		{"comma", "TRAY, BREAKFAST IN BED", `"TRAY, BREAKFAST IN BED"`},
		{"quote", `RECORD FRAME 7" SINGLE SIZE `, `"RECORD FRAME 7"" SINGLE SIZE "`},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, csvField(tt.in)); diff != "" {
				t.Errorf("csvField(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}
