package model_test

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/warehouse"
)

func TestValidate(t *testing.T) {
	schema := warehouse.Schema{
		{Name: "country", Type: warehouse.String},
		{Name: "items", Type: warehouse.Integer},
		{Name: "amount", Type: warehouse.Float},
		{Name: "gift", Type: warehouse.Boolean},
		{Name: "day", Type: warehouse.DateType},
		{Name: "at", Type: warehouse.Timestamp},
	}
	good := warehouse.Row{"UK", int64(3), 12.5, true, warehouse.Date{Year: 2011, Month: 1, Day: 2}, time.Unix(0, 0)}
	tests := []struct {
		name     string
		rows     []warehouse.Row
		wantRows []int
	}{
		{"all good", []warehouse.Row{good, good}, nil},
		{"nulls accepted", []warehouse.Row{{nil, nil, nil, nil, nil, nil}}, nil},
		{"integer in float column", []warehouse.Row{{"UK", int64(3), int64(12), true, nil, nil}}, nil},
		{"short row", []warehouse.Row{good, {"UK"}}, []int{1}},
		{"string in integer column", []warehouse.Row{{"UK", "3", 1.0, true, nil, nil}}, []int{0}},
		{"NaN", []warehouse.Row{good, good, {"UK", int64(1), math.NaN(), false, nil, nil}}, []int{2}},
		{"infinity", []warehouse.Row{{"UK", int64(1), math.Inf(1), false, nil, nil}}, []int{0}},
		{"several", []warehouse.Row{{1.0}, good, {"UK", int64(1), 1.0, "yes", nil, nil}}, []int{0, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := model.Instances{Schema: schema, Rows: tt.rows}.Validate()
			if diff := cmp.Diff(tt.wantRows, model.FailedRows(err)); diff != "" {
				t.Errorf("failed rows mismatch (-want +got):\n%s\nerror: %v", diff, err)
			}
			if (err != nil) != (tt.wantRows != nil) {
				t.Errorf("Validate() = %v, want failure: %v", err, tt.wantRows != nil)
			}
		})
	}
}

func TestValidateNoSchema(t *testing.T) {
	if err := (model.Instances{Rows: []warehouse.Row{{1.0}}}).Validate(); err == nil {
		t.Error("Validate() of rows without a schema succeeded")
	}
}

func TestInstancesFromBatch(t *testing.T) {
	batch := warehouse.Batch{Schema: warehouse.Schema{{Name: "a", Type: warehouse.Float}}, Rows: []warehouse.Row{{1.0}, {2.0}, {3.0}}}
	got := model.Instances(batch).Select([]int{2, 0})
	want := model.Instances{Schema: batch.Schema, Rows: []warehouse.Row{{3.0}, {1.0}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Select mismatch (-want +got):\n%s", diff)
	}
}

func TestPredictionNumber(t *testing.T) {
	p := model.Prediction{Value: 1, Fields: map[string]any{"probability": 0.25, "label": "x"}}
	if v, ok := p.Number("probability"); !ok || v != 0.25 {
		t.Errorf("Number(probability) = %v, %v", v, ok)
	}
	if _, ok := p.Number("label"); ok {
		t.Error("Number(label) ok for a string")
	}
	if _, ok := (model.Prediction{}).Number("x"); ok {
		t.Error("Number on nil fields ok")
	}
}

func TestStateText(t *testing.T) {
	for s := model.Undeployed; s <= model.Failed; s++ {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back model.State
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("round trip of %v gave %v, %v", s, back, err)
		}
	}
	if _, err := model.ParseState("running"); err == nil {
		t.Error("ParseState(running) succeeded")
	}
	if _, err := model.State(42).MarshalText(); err == nil {
		t.Error("MarshalText of an unknown state succeeded")
	}
}
