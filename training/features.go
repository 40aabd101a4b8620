package training

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/warehouse"
)

// FeatureSpec says how one prepared column enters the model; Fit learns the rest of its encoding (centre
// and scale, or levels) from the training rows.
type FeatureSpec struct {
	Name      string
	Kind      string // local.Numeric or local.Categorical
	Transform string // numeric: local.Log1p or local.Identity
}

// DefaultFeatures are the columns of the prepare hook the model takes. The identifiers (clientId,
// orderId, gclid), the run date and the timestamp are not features.
var DefaultFeatures = []FeatureSpec{
	{Name: "country", Kind: local.Categorical},
	{Name: "weekday", Kind: local.Categorical},
	{Name: "hour", Kind: local.Categorical},
	{Name: "basket_value", Kind: local.Numeric, Transform: local.Log1p},
	{Name: "items", Kind: local.Numeric, Transform: local.Log1p},
	{Name: "lines", Kind: local.Numeric, Transform: local.Log1p},
	{Name: "distinct_products", Kind: local.Numeric, Transform: local.Log1p},
	{Name: "avg_unit_price", Kind: local.Numeric, Transform: local.Log1p},
	{Name: "max_unit_price", Kind: local.Numeric, Transform: local.Log1p},
	{Name: "bulk_lines", Kind: local.Numeric, Transform: local.Log1p},
	{Name: "best_seller_lines", Kind: local.Numeric, Transform: local.Log1p},
	{Name: "best_seller_share", Kind: local.Numeric, Transform: local.Identity},
	{Name: "cancelled_lines", Kind: local.Numeric, Transform: local.Log1p},
	{Name: "cancelled_value", Kind: local.Numeric, Transform: local.Log1p},
	{Name: "day_invoices", Kind: local.Numeric, Transform: local.Log1p},
	{Name: "day_lines", Kind: local.Numeric, Transform: local.Log1p},
	{Name: "day_value", Kind: local.Numeric, Transform: local.Log1p},
}

// learnFeatures learns each feature's encoding from the weighted rows: the mean and standard deviation
// of a number once transformed, and the categories of a total weight of at least minRows, most frequent
// first.
func learnFeatures(specs []FeatureSpec, schema warehouse.Schema, rows []warehouse.Row, w []float64, minRows int) ([]local.Feature, error) {
	var out []local.Feature
	for _, s := range specs {
		col := schema.Index(s.Name)
		if col < 0 {
			return nil, fmt.Errorf("feature %s: the new-customer rows have no such column", s.Name)
		}
		f := local.Feature{Name: schema[col].Name, Kind: s.Kind, Transform: s.Transform}
		switch s.Kind {
		case local.Numeric:
			f.Center, f.Scale = moments(f, rows, w, col)
		case local.Categorical:
			f.Levels = levels(rows, w, col, minRows)
		default:
			return nil, fmt.Errorf("feature %s: unknown kind %q", s.Name, s.Kind)
		}
		out = append(out, f)
	}
	return out, nil
}

// moments returns the weighted mean and standard deviation of the transformed numbers of a column (1
// when it is constant), skipping NULLs.
func moments(f local.Feature, rows []warehouse.Row, w []float64, col int) (mean, sd float64) {
	var sum, sum2, n float64
	for i, r := range rows {
		x, ok := number(r[col])
		if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		t := f.Apply(x)
		sum += w[i] * t
		sum2 += w[i] * t * t
		n += w[i]
	}
	if n == 0 {
		return 0, 1
	}
	mean = sum / n
	sd = math.Sqrt(max(sum2/n-mean*mean, 0))
	if sd < 1e-9 {
		sd = 1
	}
	return mean, sd
}

// levels returns the values of a column of a total weight of at least minRows, most frequent first (ties
// by value).
func levels(rows []warehouse.Row, w []float64, col, minRows int) []string {
	counts := map[string]float64{}
	for i, r := range rows {
		switch v := r[col].(type) {
		case string:
			counts[v] += w[i]
		case int64:
			counts[strconv.FormatInt(v, 10)] += w[i]
		}
	}
	var out []string
	for v, n := range counts {
		if n >= float64(minRows)-1e-9 {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b))
	})
	return out
}
