package infra

import (
	"maps"
	"slices"

	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/projects"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The APIs of each project a deployment uses.
var (
	servicesAPIs = []string{"cloudfunctions", "run", "cloudbuild", "artifactregistry", "eventarc", "pubsub", "firestore",
		"workflows", "workflowexecutions", "cloudscheduler", "iam", "logging", "monitoring", "storage"}
	bigQueryAPIs = []string{"bigquery", "bigquerydatatransfer"}
	modelAPIs    = []string{"aiplatform"}
)

// enableAPIs enables the APIs in the services', BigQuery's and the model's projects. Destroying a
// deployment leaves them enabled: another deployment of the project may use them.
func (s *stack) enableAPIs() error {
	cfg := s.d.Cfg
	want := map[string][]string{}
	add := func(project string, apis []string) {
		for _, a := range apis {
			if !slices.Contains(want[project], a) {
				want[project] = append(want[project], a)
			}
		}
	}
	add(cfg.DefaultGCPProject, servicesAPIs)
	add(cfg.DefaultGCPProject, bigQueryAPIs) // the functions run BigQuery jobs from it
	add(cfg.BQLTVGCPProject, bigQueryAPIs)
	add(cfg.ModelGCPProject, modelAPIs)
	for _, p := range slices.Sorted(maps.Keys(want)) {
		for _, api := range want[p] {
			svc, err := projects.NewService(s.ctx, "api-"+p+"-"+api, &projects.ServiceArgs{
				Project:                  pulumi.String(p),
				Service:                  pulumi.String(api + ".googleapis.com"),
				DisableOnDestroy:         pulumi.Bool(false),
				DisableDependentServices: pulumi.Bool(false),
			})
			if err != nil {
				return err
			}
			s.apis = append(s.apis, svc)
		}
	}
	return nil
}
