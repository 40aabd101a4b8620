package infra

import (
	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/workflows"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	wf "github.com/pltv/pltv/workflows"
)

// outputs exports the service URLs, the workflows, the dataset and the backfill command.
func (s *stack) outputs(fns map[string]*function, wfs map[string]*workflows.Workflow) *Outputs {
	cfg := s.d.Cfg
	o := &Outputs{ServiceURLs: pulumi.StringMap{}, Workflows: map[string]string{},
		Dataset: cfg.LTVDataset().Project + "." + cfg.LTVDataset().Dataset}
	for name, f := range fns {
		o.ServiceURLs[name] = f.url
	}
	for _, name := range wf.Names() {
		o.Workflows[name] = s.n.Of(name)
	}
	o.BackfillCommand = "gcloud workflows run " + s.n.Of(wf.Backfill) + " --project=" + cfg.DefaultGCPProject +
		" --location=" + cfg.DefaultGCPRegion + ` --data='{"from":"YYYYMMDD","to":"YYYYMMDD"}'`
	s.ctx.Export("serviceUrls", o.ServiceURLs)
	s.ctx.Export("workflows", pulumi.ToStringMap(o.Workflows))
	s.ctx.Export("dataset", pulumi.String(o.Dataset))
	s.ctx.Export("backfillCommand", pulumi.String(o.BackfillCommand))
	_ = wfs
	return o
}
