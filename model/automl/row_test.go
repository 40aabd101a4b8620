package automl

import (
	"testing"
	"time"

	"cloud.google.com/go/automl/apiv1beta1/automlpb"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pltv/pltv/warehouse"
)

func TestCell(t *testing.T) {
	at := time.Date(2011, 3, 1, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		name string
		typ  automlpb.TypeCode
		v    any
		want *structpb.Value // nil: refused
	}{
		{"null number", automlpb.TypeCode_FLOAT64, nil, structpb.NewNullValue()},
		{"float", automlpb.TypeCode_FLOAT64, 2.5, structpb.NewNumberValue(2.5)},
		{"integer as number", automlpb.TypeCode_FLOAT64, int64(7), structpb.NewNumberValue(7)},
		{"numeric text", automlpb.TypeCode_FLOAT64, " 1e3 ", structpb.NewNumberValue(1000)},
		{"text that is no number", automlpb.TypeCode_FLOAT64, "many", nil},
		{"boolean as number", automlpb.TypeCode_FLOAT64, true, nil},
		{"category text", automlpb.TypeCode_CATEGORY, "EIRE", structpb.NewStringValue("EIRE")},
		{"category integer", automlpb.TypeCode_CATEGORY, int64(42), structpb.NewStringValue("42")},
		{"category float", automlpb.TypeCode_CATEGORY, 0.5, structpb.NewStringValue("0.5")},
		{"category boolean", automlpb.TypeCode_CATEGORY, false, structpb.NewStringValue("false")},
		{"string date", automlpb.TypeCode_STRING, warehouse.Date{Year: 2011, Month: 12, Day: 9}, structpb.NewStringValue("2011-12-09")},
		{"timestamp", automlpb.TypeCode_TIMESTAMP, at, structpb.NewStringValue("2011-03-01T08:30:00Z")},
		{"timestamp of an odd type", automlpb.TypeCode_TIMESTAMP, struct{}{}, nil},
		{"array column", automlpb.TypeCode_ARRAY, "x", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cell(tt.typ, tt.v)
			if tt.want == nil {
				if err == nil {
					t.Errorf("cell(%v, %v) = %v, want an error", tt.typ, tt.v, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, protocmp.Transform()); diff != "" {
				t.Errorf("cell(%v, %v) (-want +got):\n%s", tt.typ, tt.v, diff)
			}
		})
	}
}
