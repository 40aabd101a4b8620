package training

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"slices"

	"github.com/pltv/pltv/model/local"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// Feature value types of a features table.
const (
	knownCountry = "country"
	knownProduct = "product"
	otherCountry = "Other" // what prepare makes of a country its features table does not list
)

// knownValues returns the rows of the model's features table: the countries of the training rows by
// name (so that serving maps countries as training saw them; others become Other), and the best-selling
// products of the features table the training rows were prepared with (so that best_seller_* mean the
// same at serving time).
func knownValues(ctx context.Context, env Env, ds *Dataset, preparedWith string) ([]local.KnownValue, error) {
	var out []local.KnownValue
	if col := ds.Schema.Index("country"); col >= 0 {
		counts := map[string]int{}
		for _, r := range ds.Rows {
			if c, ok := r[col].(string); ok && c != "" && c != otherCountry {
				counts[c]++
			}
		}
		names := make([]string, 0, len(counts))
		for c := range counts {
			names = append(names, c)
		}
		slices.SortFunc(names, func(a, b string) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b)) })
		for _, c := range names {
			out = append(out, local.KnownValue{Value: c, Type: knownCountry})
		}
	}
	table := env.ltv().Shard(pipeline.TrainingDataFeatures, preparedWith)
	err := env.WH.Read(ctx, warehouse.ReadRequest{
		SQL:    "SELECT value FROM " + table.SQL() + " WHERE type = @type",
		Params: map[string]any{"type": knownProduct},
	}, func(b warehouse.Batch) error {
		for _, r := range b.Rows {
			if v, ok := r[0].(string); ok {
				out = append(out, local.KnownValue{Value: v, Type: knownProduct})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("products of %s: %w", table, err)
	}
	return out, nil
}

// featuresCSV writes the known values as a features table's CSV (value,type, no header).
func featuresCSV(known []local.KnownValue) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	for _, k := range known {
		if err := w.Write([]string{k.Value, k.Type}); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}
