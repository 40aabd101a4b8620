package automl_test

import (
	"context"
	"sync/atomic"
	"testing"

	"cloud.google.com/go/automl/apiv1beta1/automlpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/automl"
	"github.com/pltv/pltv/model/internal/fakeautoml"
	"github.com/pltv/pltv/model/internal/testclock"
	"github.com/pltv/pltv/model/modeltest"
	"github.com/pltv/pltv/warehouse"
)

const (
	project   = "pltv-test"
	location  = "eu"
	modelName = "projects/pltv-test/locations/eu/models/TBL123"
)

// columns are the model's input features, in an order of their own: Rows must follow it.
var columns = []fakeautoml.Column{
	{Name: "revenue", Type: automlpb.TypeCode_FLOAT64},
	{Name: "country", Type: automlpb.TypeCode_CATEGORY},
	{Name: "first_day", Type: automlpb.TypeCode_TIMESTAMP},
	{Name: "orders", Type: automlpb.TypeCode_FLOAT64},
	{Name: "gift", Type: automlpb.TypeCode_CATEGORY},
}

// start serves a fake AutoML API with one undeployed tables model and connects a driver to it with the
// real client library.
func start(t testing.TB, cfg automl.Config, m *automlpb.Model) (*fakeautoml.Server, *automl.Model) {
	t.Helper()
	if m == nil {
		m = fakeautoml.TablesModel(modelName, columns...)
	}
	srv, err := fakeautoml.Start(m)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	cfg.Project, cfg.Location, cfg.Model = project, location, "TBL123"
	if cfg.Clock == nil {
		cfg.Clock = testclock.New(func(int) { srv.Settle() }) // operations finish while the driver waits
	}
	d, err := automl.New(context.Background(), cfg, srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return srv, d
}

// instances are rows as the pipeline reads them: the model's features in another order, and an id
// column the model does not take.
func instances() model.Instances {
	d := func(day int) warehouse.Date { return warehouse.Date{Year: 2011, Month: 3, Day: day} }
	return model.Instances{
		Schema: warehouse.Schema{
			{Name: "clientId", Type: warehouse.String},
			{Name: "country", Type: warehouse.String},
			{Name: "orders", Type: warehouse.Integer},
			{Name: "revenue", Type: warehouse.Float},
			{Name: "gift", Type: warehouse.Boolean},
			{Name: "first_day", Type: warehouse.DateType},
		},
		Rows: []warehouse.Row{
			{"c1", "United Kingdom", int64(3), 120.5, false, d(1)},
			{"c2", "France", int64(1), 15.0, true, d(2)},
			{"c3", "EIRE", int64(12), 980.25, false, d(3)},
			{"c4", "Germany", nil, 42.0, nil, d(4)},
			{"c5", "Spain", int64(2), 7.75, true, nil},
		},
	}
}

// onceFor answers the first Predict call for the row of the given country with fault's answer, and every
// other call as a regression model.
func onceFor(country string, answer []*automlpb.AnnotationPayload) fakeautoml.Predictor {
	var used atomic.Bool
	return func(m *automlpb.Model, row *automlpb.Row) ([]*automlpb.AnnotationPayload, error) {
		if row.GetValues()[1].GetStringValue() == country && used.CompareAndSwap(false, true) {
			return answer, nil
		}
		return fakeautoml.Regression(m, row)
	}
}

func newFixture(t *testing.T) modeltest.Fixture {
	srv, m := start(t, automl.Config{Concurrency: 3}, nil)
	predictFails := func(c codes.Code) { srv.FailNext(fakeautoml.MethodPredict, status.Error(c, c.String())) }
	inject := func(f modeltest.Fault) {
		switch f {
		case modeltest.Unavailable:
			predictFails(codes.Unavailable)
		case modeltest.ResourceExhausted:
			predictFails(codes.ResourceExhausted)
		case modeltest.DeadlineExceeded:
			predictFails(codes.DeadlineExceeded)
		case modeltest.Aborted:
			predictFails(codes.Aborted)
		case modeltest.InvalidArgument:
			predictFails(codes.InvalidArgument)
		case modeltest.WrongArity:
			srv.SetPredictor(onceFor("Spain", nil)) // the last row
		case modeltest.WrongShape:
			srv.SetPredictor(onceFor("United Kingdom", []*automlpb.AnnotationPayload{{DisplayName: "not a tables annotation"}}))
		case modeltest.DeployFails:
			srv.FailNextDeploy(status.Error(codes.Internal, "model deployment failed"))
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
			Destination: warehouse.Dataset{Project: project},
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
