package infra

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/workflows"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pltv/pltv/services/app"
	wf "github.com/pltv/pltv/workflows"
)

// getEnvRE finds the environment variables a workflow reads.
var getEnvRE = regexp.MustCompile(`sys\.get_env\("([A-Z0-9_]+)"\)`)

// EnvRead lists the environment variables a workflow's source reads, sorted.
func EnvRead(src []byte) []string {
	var names []string
	for _, m := range getEnvRE.FindAllSubmatch(src, -1) {
		if n := string(m[1]); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// workflows creates the daily and backfill workflows with the exact content of workflows/*.yaml, run as the
// workflows account, with the environment they read: the URLs of the functions they call and the settings
// they share with the functions.
func (s *stack) workflows(acc *accounts, fns map[string]*function) (map[string]*workflows.Workflow, error) {
	cfg := s.d.Cfg
	settings := cfg.WorkflowEnv()
	urls := map[string]pulumi.StringOutput{
		"PREDICT_URL": fns[app.FnPredict].url,
		"MODEL_URL":   fns[app.FnModel].url,
		"EXTRACT_URL": fns[app.FnExtract].url,
	}
	out := map[string]*workflows.Workflow{}
	for _, name := range wf.Names() {
		src, err := wf.Source(name)
		if err != nil {
			return nil, err
		}
		env := pulumi.StringMap{}
		for _, k := range EnvRead(src) {
			switch u, ok := urls[k]; {
			case ok:
				env[k] = u
			case settings[k] != "":
				env[k] = pulumi.String(settings[k])
			default:
				return nil, fmt.Errorf("workflow %s reads %s, which the deployment does not set", name, k)
			}
		}
		w, err := workflows.NewWorkflow(s.ctx, "workflow-"+name, &workflows.WorkflowArgs{
			Project:            pulumi.String(cfg.DefaultGCPProject),
			Region:             pulumi.String(cfg.DefaultGCPRegion),
			Name:               pulumi.String(s.n.Of(name)),
			Description:        pulumi.String("pltv " + s.n.Deployment + ": workflows/" + name + ".yaml"),
			ServiceAccount:     acc.role[roleWorkflows].Email,
			SourceContents:     pulumi.String(string(src)),
			UserEnvVars:        env,
			CallLogLevel:       pulumi.String("LOG_ERRORS_ONLY"),
			DeletionProtection: pulumi.Bool(false),
			Labels:             s.labels(),
		}, s.opts()...)
		if err != nil {
			return nil, err
		}
		out[name] = w
	}
	return out, nil
}
