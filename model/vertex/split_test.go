package vertex

import (
	"testing"

	"cloud.google.com/go/aiplatform/apiv1/aiplatformpb"
	"github.com/google/go-cmp/cmp"
)

func TestSplitWithout(t *testing.T) {
	ep := func(split map[string]int32, ids ...string) *aiplatformpb.Endpoint {
		e := &aiplatformpb.Endpoint{TrafficSplit: split}
		for _, id := range ids {
			e.DeployedModels = append(e.DeployedModels, &aiplatformpb.DeployedModel{Id: id})
		}
		return e
	}
	tests := []struct {
		name string
		ep   *aiplatformpb.Endpoint
		want map[string]int32
	}{
		{"only model", ep(map[string]int32{"1": 100}, "1"), nil},
		{"one other without traffic", ep(map[string]int32{"1": 100}, "1", "2"), map[string]int32{"2": 100}},
		{"one other with some", ep(map[string]int32{"1": 60, "2": 40}, "1", "2"), map[string]int32{"2": 100}},
		{"two others keep proportions", ep(map[string]int32{"1": 50, "2": 30, "3": 20}, "1", "2", "3"), map[string]int32{"2": 60, "3": 40}},
		{"rounding goes to the largest", ep(map[string]int32{"1": 1, "2": 33, "3": 33, "4": 33}, "1", "2", "3", "4"), map[string]int32{"2": 34, "3": 33, "4": 33}},
		{"several others without traffic", ep(map[string]int32{"1": 100}, "3", "1", "2"), map[string]int32{"2": 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, splitWithout(tt.ep, "1")); diff != "" {
				t.Errorf("splitWithout (-want +got):\n%s", diff)
			}
		})
	}
}

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
