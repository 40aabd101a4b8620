// Package fakemodel is the model the fake Google APIs serve: a deterministic score of a row's values that
// depends on every value, so that a prediction handed to the wrong row shows.
package fakemodel

import "google.golang.org/protobuf/types/known/structpb"

// Score is the sum of the numbers a value holds, plus the length of its strings, plus one per true.
func Score(x *structpb.Value) float64 {
	switch k := x.GetKind().(type) {
	case *structpb.Value_NumberValue:
		return k.NumberValue
	case *structpb.Value_StringValue:
		return float64(len(k.StringValue))
	case *structpb.Value_BoolValue:
		if k.BoolValue {
			return 1
		}
	case *structpb.Value_ListValue:
		sum := 0.0
		for _, v := range k.ListValue.GetValues() {
			sum += Score(v)
		}
		return sum
	case *structpb.Value_StructValue:
		sum := 0.0
		for _, v := range k.StructValue.GetFields() {
			sum += Score(v)
		}
		return sum
	}
	return 0
}
