package vertex

import (
	"testing"
)

func TestSameModel(t *testing.T) {
	tests := []struct {
		name     string
		deployed string
		want     bool
	}{
		{"same", "projects/p/locations/l/models/9", true},
		{"project number and version", "projects/123456/locations/l/models/9@2", true},
		{"other model", "projects/p/locations/l/models/10", false},
		{"other location", "projects/p/locations/m/models/9", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameModel(tt.deployed, "projects/p/locations/l/models/9"); got != tt.want {
				t.Errorf("sameModel(%q) = %v, want %v", tt.deployed, got, tt.want)
			}
		})
	}
}
