package predict_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/services/internal/servicetest"
	"github.com/pltv/pltv/services/middleware"
	"github.com/pltv/pltv/services/predict"
)

func server(t *testing.T, m *servicetest.Model, rows int) string {
	t.Helper()
	tr := servicetest.Tracker(t, time.Now)
	rt := servicetest.Runtime(t, servicetest.Models{M: m}, tr, rows, 4)
	svc, err := predict.New(rt.Pipeline, rt.Tracker, servicetest.Log(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(middleware.HTTP(servicetest.Log(t), svc))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestContract(t *testing.T) {
	m := &servicetest.Model{}
	m.Deploy(t.Context())
	url := server(t, m, 10)
	d := servicetest.PredictDay
	steps := []struct {
		name   string
		body   string
		status int
		want   map[string]any
	}{
		{"plan", `{"action":"plan","date":"` + d + `"}`, 200, map[string]any{"date": d, "rows": 10.0, "batches": 3.0, "model": "fake"}},
		{"batch 0", `{"action":"batch","date":"` + d + `","batch":0}`, 200, map[string]any{"date": d, "batch": 0.0, "rows": 4.0, "predicted": 4.0, "failed": 0.0}},
		{"finish refuses while batches are missing", `{"action":"finish","date":"` + d + `","batches":3}`, 500, nil},
		{"batch 1", `{"action":"batch","date":"` + d + `","batch":1}`, 200, map[string]any{"date": d, "batch": 1.0, "rows": 4.0, "predicted": 4.0, "failed": 0.0}},
		{"batch 2", `{"action":"batch","date":"` + d + `","batch":2}`, 200, map[string]any{"date": d, "batch": 2.0, "rows": 2.0, "predicted": 2.0, "failed": 0.0}},
		{"batch 2 again replaces it", `{"action":"batch","date":"` + d + `","batch":2}`, 200, map[string]any{"date": d, "batch": 2.0, "rows": 2.0, "predicted": 2.0, "failed": 0.0}},
		{"finish", `{"action":"finish","date":"` + d + `","batches":3}`, 200, map[string]any{"stage": "predict", "date": d, "table": "pltv.predictions_" + d, "rows": 10.0, "skipped": ""}},
		{"complete", `{"action":"complete","date":"` + d + `"}`, 200, map[string]any{"date": d, "table": "pltv.predictions_" + d, "rows": 10.0, "errors": 0.0}},
		{"batch_check needs the job", `{"action":"batch_check","date":"` + d + `"}`, 400, nil},
		{"batch_check of a model without batch jobs can never succeed", `{"action":"batch_check","date":"` + d + `","job":"jobs/1"}`, 422, nil},
	}
	for _, s := range steps {
		status, body := servicetest.Post(t, url+"/", s.body)
		if status != s.status {
			t.Fatalf("%s: status %d, want %d: %s", s.name, status, s.status, body)
		}
		if s.want == nil {
			continue
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("%s: %v: %s", s.name, err, body)
		}
		if diff := cmp.Diff(s.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", s.name, diff)
		}
	}
}

func TestDateWithoutNewCustomers(t *testing.T) {
	url := server(t, &servicetest.Model{}, 0)
	d := servicetest.PredictDay
	for _, s := range []struct{ body, want string }{
		{`{"action":"plan","date":"` + d + `"}`, `{"date":"` + d + `","rows":0,"batches":0,"model":""}`},
		{`{"action":"finish","date":"` + d + `","batches":0}`, `{"stage":"predict","date":"` + d + `","table":"pltv.predictions_` + d + `","rows":0,"skipped":"no new customers to predict"}`},
		{`{"action":"complete","date":"` + d + `"}`, `{"date":"` + d + `","table":"pltv.predictions_` + d + `","rows":0,"errors":0}`},
	} {
		status, body := servicetest.Post(t, url, s.body)
		if status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", s.body, status, body)
		}
		if diff := cmp.Diff(s.want+"\n", body); diff != "" {
			t.Errorf("%s (-want +got):\n%s", s.body, diff)
		}
	}
}

func TestErrors(t *testing.T) {
	url := server(t, &servicetest.Model{}, 10) // never deployed
	d := servicetest.PredictDay
	tests := []struct {
		name, body string
		status     int
	}{
		{"malformed JSON", `{"action":`, 400},
		{"unknown action", `{"action":"predict_all","date":"` + d + `"}`, 400},
		{"no date", `{"action":"plan"}`, 400},
		{"a date that does not parse", `{"action":"plan","date":"2011-03-01"}`, 400},
		{"batch without its number", `{"action":"batch","date":"` + d + `"}`, 400},
		{"a negative batch", `{"action":"batch","date":"` + d + `","batch":-1}`, 400},
		{"a model not deployed is worth a retry", `{"action":"batch","date":"` + d + `","batch":0}`, 503},
		{"a date before any model", `{"action":"batch","date":"20100101","batch":0}`, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := servicetest.Post(t, url, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			var e map[string]string
			if err := json.Unmarshal([]byte(body), &e); err != nil || e["error"] == "" {
				t.Errorf("body %q, want {\"error\": ...}", body)
			}
		})
	}
}
