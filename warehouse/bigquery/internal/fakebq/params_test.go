package fakebq

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	bqapi "google.golang.org/api/bigquery/v2"
)

func TestParamRefs(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want []paramRef
	}{
		{"one", "SELECT @d", []paramRef{{"d", 1, 8}}},
		{"lines", "SELECT *\nFROM t\nWHERE d = @run_date AND n > @min", []paramRef{{"run_date", 3, 11}, {"min", 3, 29}}},
		{"in a string", "SELECT '@x', \"@y\", `@z`, @w", []paramRef{{"w", 1, 26}}},
		{"escaped quote", `SELECT 'it\'s @x', @y`, []paramRef{{"y", 1, 20}}},
		{"comments", "SELECT 1 -- @a\n# @b\n/* @c\n */ , @d", []paramRef{{"d", 4, 7}}},
		{"system variable", "SELECT @@project_id, @p", []paramRef{{"p", 1, 22}}},
		{"lone at", "SELECT 1 @ 2", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, paramRefs(tt.sql), cmp.AllowUnexported(paramRef{})); diff != "" {
				t.Errorf("paramRefs (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParamRefs(f *testing.F) {
	f.Add("SELECT @a, '@b' -- @c\n/* @d */ @@e")
	f.Add("'unterminated @x")
	f.Add("/* unterminated @x")
	f.Fuzz(func(t *testing.T, sql string) {
		for _, r := range paramRefs(sql) {
			if r.name == "" || r.line < 1 || r.column < 1 {
				t.Errorf("paramRefs(%q): bad reference %+v", sql, r)
			}
		}
	})
}

func TestCheckParams(t *testing.T) {
	date := func(v string) *bqapi.QueryParameter {
		return &bqapi.QueryParameter{Name: "d", ParameterType: &bqapi.QueryParameterType{Type: "DATE"},
			ParameterValue: &bqapi.QueryParameterValue{Value: v}}
	}
	tests := []struct {
		name   string
		sql    string
		params []*bqapi.QueryParameter
		want   *bqapi.ErrorProto
	}{
		{"bound", "SELECT @d", []*bqapi.QueryParameter{date("2024-03-01")}, nil},
		{"bound without case", "SELECT @D", []*bqapi.QueryParameter{date("2024-03-01")}, nil},
		{"unbound", "SELECT\n  @e", []*bqapi.QueryParameter{date("2024-03-01")},
			invalidQuery("Query parameter 'e' not found at [2:3]")},
		{"bad value", "SELECT @d", []*bqapi.QueryParameter{date("yesterday")},
			invalidQuery(`Invalid value for query parameter 'd' of type DATE: invalid date "yesterday"`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, checkParams(tt.sql, tt.params)); diff != "" {
				t.Errorf("checkParams (-want +got):\n%s", diff)
			}
		})
	}
}
