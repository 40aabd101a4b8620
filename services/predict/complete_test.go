package predict_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services/internal/servicetest"
	"github.com/pltv/pltv/services/middleware"
	"github.com/pltv/pltv/services/predict"
	"github.com/pltv/pltv/warehouse"

	"net/http/httptest"
)

// counting counts the completion hooks run.
type counting struct {
	hooks.Base
	n atomic.Int32
}

func (c *counting) OnCompletion(context.Context, hooks.Completion) error { c.n.Add(1); return nil }

// TestCompleteOncePerPredictions asks for the completion of a date again, as a second daily workflow of a
// finished date does: the hook does not run again until the predictions change.
func TestCompleteOncePerPredictions(t *testing.T) {
	m := &servicetest.Model{}
	m.Deploy(t.Context())
	tr := servicetest.Tracker(t, time.Now)
	rt := servicetest.Runtime(t, servicetest.Models{M: m}, tr, 6, 10)
	hook := &counting{}
	rt.Pipeline.Hooks = hook
	svc, err := predict.New(rt.Pipeline, rt.Tracker, servicetest.Log(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(middleware.HTTP(servicetest.Log(t), svc))
	defer srv.Close()
	d := servicetest.PredictDay
	post := func(body string) {
		t.Helper()
		if status, out := servicetest.Post(t, srv.URL, body); status != 200 {
			t.Fatalf("%s: status %d: %s", body, status, out)
		}
	}
	post(`{"action":"batch","date":"` + d + `","batch":0}`)
	post(`{"action":"finish","date":"` + d + `","batches":1}`)
	complete := `{"action":"complete","date":"` + d + `"}`
	post(complete)
	post(complete)
	if n := hook.n.Load(); n != 1 {
		t.Fatalf("completion hook ran %d times for the same predictions, want 1", n)
	}
	ref := rt.Config.LTVDataset().Shard(pipeline.Predictions, d)
	info, err := rt.WH.Table(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rt.WH.Query(t.Context(), warehouse.QueryJob{SQL: "SELECT * FROM " + ref.SQL() + " LIMIT 3",
		Destination: &ref}); err != nil || info.Rows != 6 {
		t.Fatalf("rewrite the predictions: %v (rows %d)", err, info.Rows)
	}
	post(complete)
	if n := hook.n.Load(); n != 2 {
		t.Errorf("completion hook ran %d times after the predictions changed, want 2", n)
	}
}
