package vertex_test

import (
	"context"
	"sync/atomic"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/fakevertex"
	"github.com/pltv/pltv/model/internal/testclock"
	"github.com/pltv/pltv/model/modeltest"
	"github.com/pltv/pltv/model/vertex"
	"github.com/pltv/pltv/warehouse"
)

const (
	project   = "pltv-test"
	location  = "europe-west1"
	endpoint  = "projects/pltv-test/locations/europe-west1/endpoints/77"
	modelName = "projects/pltv-test/locations/europe-west1/models/1234"
	// otherModel is another model on the same endpoint: the previous one, say.
	otherModel = "projects/pltv-test/locations/europe-west1/models/999"
)

// start serves a fake Vertex AI with one empty endpoint and connects a driver to it with the real client
// library. cfg's names default to the test's.
func start(t testing.TB, cfg vertex.Config) (*fakevertex.Server, *vertex.Model) {
	t.Helper()
	srv, err := fakevertex.Start(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.AddModel(modelName, fakevertex.Dedicated) // a custom-trained model
	srv.AddModel(otherModel, fakevertex.Dedicated)
	if cfg.Project == "" {
		cfg.Project, cfg.Location, cfg.Endpoint, cfg.Model = project, location, "77", "1234"
	}
	if cfg.Clock == nil {
		cfg.Clock = testclock.New(nil)
	}
	m, err := vertex.New(context.Background(), cfg, srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return srv, m
}

func instances() model.Instances {
	d := func(day int) warehouse.Date { return warehouse.Date{Year: 2011, Month: 3, Day: day} }
	return model.Instances{
		Schema: warehouse.Schema{
			{Name: "country", Type: warehouse.String},
			{Name: "orders", Type: warehouse.Integer},
			{Name: "revenue", Type: warehouse.Float},
			{Name: "gift", Type: warehouse.Boolean},
			{Name: "first_day", Type: warehouse.DateType},
		},
		Rows: []warehouse.Row{
			{"United Kingdom", int64(3), 120.5, false, d(1)},
			{"France", int64(1), 15.0, true, d(2)},
			{"EIRE", int64(12), 980.25, false, d(3)},
			{"Germany", nil, 42.0, nil, d(4)},
			{"Spain", int64(2), 7.75, true, nil},
		},
	}
}

// onceThen answers the first Predict call with fault applied to the default answer, and later calls
// normally.
func onceThen(fault func([]*structpb.Value) []*structpb.Value) fakevertex.Predictor {
	var used atomic.Bool
	return func(in []*structpb.Value) ([]*structpb.Value, error) {
		out, err := fakevertex.DefaultPredictor(in)
		if err == nil && used.CompareAndSwap(false, true) {
			out = fault(out)
		}
		return out, err
	}
}

func newFixture(t *testing.T) modeltest.Fixture {
	srv, m := start(t, vertex.Config{})
	inject := func(f modeltest.Fault) {
		switch f {
		case modeltest.Unavailable:
			srv.FailNext(fakevertex.MethodPredict, status.Error(codes.Unavailable, "the service is unavailable"))
		case modeltest.ResourceExhausted:
			srv.FailNext(fakevertex.MethodPredict, status.Error(codes.ResourceExhausted, "quota exceeded"))
		case modeltest.DeadlineExceeded:
			srv.FailNext(fakevertex.MethodPredict, status.Error(codes.DeadlineExceeded, "deadline exceeded"))
		case modeltest.Aborted:
			srv.FailNext(fakevertex.MethodPredict, status.Error(codes.Aborted, "aborted"))
		case modeltest.InvalidArgument:
			srv.FailNext(fakevertex.MethodPredict, status.Error(codes.InvalidArgument, "instance 0: missing column"))
		case modeltest.WrongArity:
			srv.SetPredictor(onceThen(func(p []*structpb.Value) []*structpb.Value { return p[:len(p)-1] }))
		case modeltest.WrongShape:
			srv.SetPredictor(onceThen(func(p []*structpb.Value) []*structpb.Value {
				p[0] = structpb.NewStringValue("not a prediction")
				return p
			}))
		case modeltest.DeployFails:
			srv.FailNextDeploy(status.Error(codes.ResourceExhausted, "no n1-standard-2 capacity in europe-west1"))
		case modeltest.BatchFails:
			srv.FailNextBatch(status.Error(codes.InvalidArgument, "the source table lacks column revenue"))
		default:
			t.Fatalf("fault %v not supported", f)
		}
	}
	return modeltest.Fixture{
		Model:     m,
		Instances: instances(),
		Settle:    srv.Settle,
		Inject:    inject,
		Batch: model.BatchJob{
			Source:      warehouse.Ref{Project: project, Dataset: "ltv", Table: "prepared_new_customers_daily_transactions_20110301"},
			Destination: warehouse.Dataset{Project: project, Dataset: "ltv_batch"},
			Labels:      warehouse.JobLabels("test", "predict", "20110301"),
		},
	}
}

func TestConformance(t *testing.T) {
	modeltest.Run(t, newFixture, modeltest.Features{
		AsyncDeploy: true,
		Faults: []modeltest.Fault{
			modeltest.Unavailable, modeltest.ResourceExhausted, modeltest.DeadlineExceeded, modeltest.Aborted,
			modeltest.InvalidArgument, modeltest.WrongArity, modeltest.WrongShape, modeltest.DeployFails,
			modeltest.BatchFails,
		},
		BatchPredict: true,
	})
}
