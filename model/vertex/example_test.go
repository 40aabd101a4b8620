package vertex_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/pltv/pltv/model"
	"github.com/pltv/pltv/model/internal/fakevertex"
	"github.com/pltv/pltv/model/internal/testclock"
	"github.com/pltv/pltv/model/vertex"
	"github.com/pltv/pltv/warehouse"
)

// Deploy a model, wait for it, predict two rows and take the model down, against the in-process fake of
// Vertex AI. In production the options are omitted and the regional endpoint is used.
func Example() {
	srv, err := fakevertex.Start("projects/my-project/locations/europe-west1/endpoints/77")
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	srv.AddModel("projects/my-project/locations/europe-west1/models/1234", fakevertex.Dedicated) // a custom-trained model

	ctx := context.Background()
	m, err := vertex.New(ctx, vertex.Config{Project: "my-project", Location: "europe-west1", Endpoint: "77", Model: "1234"},
		srv.ClientOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	// The fake finishes deployments when told; here, whenever the caller sleeps between polls.
	wait := model.WaitOptions{Clock: testclock.New(func(int) { srv.Settle() }), Interval: 30 * time.Second}
	if err := model.DeployAndWait(ctx, m, wait); err != nil {
		log.Fatal(err)
	}
	preds, err := m.Predict(ctx, model.Instances{
		Schema: warehouse.Schema{{Name: "country", Type: warehouse.String}, {Name: "revenue", Type: warehouse.Float}},
		Rows:   []warehouse.Row{{"France", 15.0}, {"EIRE", 980.25}},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range preds {
		upper, _ := p.Number("upper_bound")
		fmt.Printf("value %.2f (up to %.2f)\n", p.Value, upper)
	}
	if err := model.UndeployAndWait(ctx, m, wait); err != nil {
		log.Fatal(err)
	}
	st, _ := m.State(ctx)
	fmt.Println(st.State)
	// Output:
	// value 21.00 (up to 22.00)
	// value 984.25 (up to 985.25)
	// undeployed
}
