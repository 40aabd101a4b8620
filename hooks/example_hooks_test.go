package hooks_test

import (
	"context"
	"fmt"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/warehouse"
)

// marginHooks is a retailer's own hooks: conversionValue is the predicted value capped at 1,000,
// conversionValue2 the margin on it, and a completion hook that would start an upload.
type marginHooks struct {
	hooks.Base // every hook not overridden here stays a no-op
	margin     float64
}

func (h marginHooks) ApplyFormulas(_ context.Context, p hooks.Prediction) (hooks.ConversionValues, error) {
	v := min(max(p.Value, 0), 1000)
	return hooks.ConversionValues{v, v * h.margin, v, v, v}, nil
}

func (marginHooks) OnCompletion(_ context.Context, c hooks.Completion) error {
	fmt.Printf("upload %s (%d rows)\n", c.Predictions.Table, c.Rows)
	return nil
}

func Example_customerHooks() {
	var h hooks.Hooks = marginHooks{margin: 0.3}
	ctx := context.Background()
	p := hooks.Prediction{
		Date:   "20110104",
		Schema: warehouse.Schema{{Name: "clientId"}, {Name: "orderId"}, {Name: "gclid"}, {Name: "basket_value"}},
		Row:    warehouse.Row{"12345", "540001", "", 310.5},
		Value:  1520.75,
	}
	values, _ := h.ApplyFormulas(ctx, p)
	row, _ := h.CreateRow(ctx, p, values) // Base's row: clientId, orderId, gclid, date, values
	fmt.Println(row)
	_ = h.OnCompletion(ctx, hooks.Completion{Date: p.Date, Predictions: warehouse.Ref{Table: "predictions_20110104"}, Rows: 1})
	// Output:
	// [12345 540001  20110104 1000 300 1000 1000 1000]
	// upload predictions_20110104 (1 rows)
}
