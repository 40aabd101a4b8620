package fakemodel_test

import (
	"testing"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pltv/pltv/model/internal/fakemodel"
)

func TestScore(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want float64
	}{
		{"number", 2.5, 2.5},
		{"string", "France", 6},
		{"true", true, 1},
		{"false", false, 0},
		{"null", nil, 0},
		{"list", []any{1.0, "ab", true}, 4},
		{"object", map[string]any{"a": 1.0, "b": []any{2.0}, "c": "xyz"}, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := structpb.NewValue(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if got := fakemodel.Score(v); got != tt.want {
				t.Errorf("Score(%v) = %v, want %v", tt.v, got, tt.want)
			}
		})
	}
}
