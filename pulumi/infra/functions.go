package infra

import (
	"maps"
	"slices"

	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/cloudfunctionsv2"
	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/cloudrunv2"
	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/storage"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/services/app"
	"github.com/pltv/pltv/services/app/cloud"
)

// Runtime is the functions' Go runtime.
const Runtime = "go126"

// spec is a function's size, how long a request may take, and who triggers it.
type spec struct {
	memory  string
	timeout int  // seconds: at most 540 for an event function, 3600 for an HTTP one
	event   bool // triggered by Eventarc; HTTP otherwise
}

// specs fit each service: the event functions wait for nothing but their BigQuery job; predict calls the
// model for a batch and writes its rows; poller runs queued stages.
var specs = map[string]spec{
	app.FnPrepare:      {memory: "512Mi", timeout: 540, event: true},
	app.FnFilter:       {memory: "512Mi", timeout: 540, event: true},
	app.FnPredictStart: {memory: "256Mi", timeout: 300, event: true},
	app.FnExtract:      {memory: "256Mi", timeout: 300},
	app.FnPredict:      {memory: "1Gi", timeout: 3600},
	app.FnModel:        {memory: "512Mi", timeout: 600},
	app.FnPoller:       {memory: "512Mi", timeout: 540},
	app.FnStopper:      {memory: "256Mi", timeout: 540},
}

// Event trigger facts.
const (
	EventPubSub       = "google.cloud.pubsub.topic.v1.messagePublished"
	EventAuditLog     = "google.cloud.audit.log.v1.written"
	BigQueryService   = "bigquery.googleapis.com"
	InsertJobMethod   = "google.cloud.bigquery.v2.JobService.InsertJob"
	RetryPolicy       = "RETRY_POLICY_RETRY"
	IngressInternal   = "ALLOW_INTERNAL_ONLY"
	AuditLogTriggerAt = "global" // audit-log triggers are not served in multi-regions such as EU
)

// function is a deployed function.
type function struct {
	fn  *cloudfunctionsv2.Function
	env pulumi.StringMap
	// url is the run.app URL of the function's Cloud Run service: the one Cloud Run's internal ingress
	// admits Workflows and Cloud Scheduler on, and the audience of their OIDC tokens.
	url pulumi.StringOutput
}

// functions uploads the source and creates one Cloud Functions (2nd gen) function per service, each running
// as its account with the environment the services' cloud wiring reads, reachable only from inside Google
// Cloud (Eventarc, Workflows, Cloud Scheduler), and invocable only by the accounts that call it.
func (s *stack) functions(acc *accounts, bucket *storage.Bucket, tr *transfer) (map[string]*function, error) {
	cfg := s.d.Cfg
	src, err := sourceArchive(s.d.Root, s.d.Text)
	if err != nil {
		return nil, err
	}
	obj, err := storage.NewBucketObject(s.ctx, "functions-source", &storage.BucketObjectArgs{
		Bucket: bucket.Name,
		Name:   pulumi.String("functions/source-" + src.hash + ".zip"),
		Source: src.archive,
	}, s.opts()...)
	if err != nil {
		return nil, err
	}
	fns := map[string]*function{}
	for _, name := range functionNames() {
		sp := specs[name]
		env := s.environment(name, tr)
		args := &cloudfunctionsv2.FunctionArgs{
			Project:     pulumi.String(cfg.DefaultGCPProject),
			Location:    pulumi.String(cfg.DefaultGCPRegion),
			Name:        pulumi.String(s.n.Of(name)),
			Description: pulumi.String("pltv " + s.n.Deployment + ": the " + name + " service"),
			Labels:      s.labels(),
			BuildConfig: &cloudfunctionsv2.FunctionBuildConfigArgs{
				Runtime:        pulumi.String(Runtime),
				EntryPoint:     pulumi.String(name),
				ServiceAccount: acc.role[roleBuild].Name,
				Source: &cloudfunctionsv2.FunctionBuildConfigSourceArgs{
					StorageSource: &cloudfunctionsv2.FunctionBuildConfigSourceStorageSourceArgs{
						Bucket: bucket.Name, Object: obj.Name,
					},
				},
			},
			ServiceConfig: &cloudfunctionsv2.FunctionServiceConfigArgs{
				AvailableMemory:            pulumi.String(sp.memory),
				TimeoutSeconds:             pulumi.Int(sp.timeout),
				IngressSettings:            pulumi.String(IngressInternal),
				ServiceAccountEmail:        acc.fn[name].Email,
				EnvironmentVariables:       env,
				AllTrafficOnLatestRevision: pulumi.Bool(true),
			},
		}
		if sp.event {
			args.EventTrigger = s.trigger(name, acc, tr)
		}
		f, err := cloudfunctionsv2.NewFunction(s.ctx, "fn-"+name, args, s.opts()...)
		if err != nil {
			return nil, err
		}
		fns[name] = &function{fn: f, env: env, url: f.ServiceConfig.Uri().Elem()}
	}
	return fns, s.invokers(acc, fns)
}

// environment is what a function's services read besides the pltv.yaml embedded in them: the settings the
// daily workflow shares with them, the stack's overrides, and the names of what Pulumi created.
func (s *stack) environment(name string, tr *transfer) pulumi.StringMap {
	env := pulumi.StringMap{}
	for k, v := range s.d.Cfg.WorkflowEnv() { // as on the daily workflow, so the two never disagree
		env[k] = pulumi.String(v)
	}
	for _, k := range slices.Sorted(maps.Keys(s.d.Settings)) {
		env[k] = pulumi.String(s.d.Settings[k])
	}
	env["RUNTIME"] = pulumi.String(string(config.RuntimeCloud))
	switch name {
	case app.FnExtract:
		env[cloud.EnvTransferConfig] = tr.config.Name
	case app.FnPredictStart, app.FnPoller:
		env[cloud.EnvDailyWorkflow] = pulumi.String(s.n.Of("daily"))
	}
	return env
}

// trigger is the Eventarc trigger of an event function: prepare hears the scheduled extract's run
// notifications on the topic (a regional trigger); filter and predictstart hear the BigQuery audit log
// of the jobs of the stage before them, narrowed by the job id's prefix (in global). Every trigger retries
// a failed delivery, and runs as the trigger account.
func (s *stack) trigger(name string, acc *accounts, tr *transfer) *cloudfunctionsv2.FunctionEventTriggerArgs {
	cfg := s.d.Cfg
	t := &cloudfunctionsv2.FunctionEventTriggerArgs{
		RetryPolicy:         pulumi.String(RetryPolicy),
		ServiceAccountEmail: acc.role[roleTrigger].Email,
	}
	if name == app.FnPrepare {
		t.EventType = pulumi.String(EventPubSub)
		t.PubsubTopic = tr.topic.ID()
		t.TriggerRegion = pulumi.String(cfg.DefaultGCPRegion)
		return t
	}
	t.EventType = pulumi.String(EventAuditLog)
	t.TriggerRegion = pulumi.String(AuditLogTriggerAt)
	t.EventFilters = cloudfunctionsv2.FunctionEventTriggerEventFilterArray{
		&cloudfunctionsv2.FunctionEventTriggerEventFilterArgs{Attribute: pulumi.String("serviceName"), Value: pulumi.String(BigQueryService)},
		&cloudfunctionsv2.FunctionEventTriggerEventFilterArgs{Attribute: pulumi.String("methodName"), Value: pulumi.String(InsertJobMethod)},
		&cloudfunctionsv2.FunctionEventTriggerEventFilterArgs{Attribute: pulumi.String("resourceName"),
			Operator: pulumi.String("match-path-pattern"), Value: pulumi.String(s.jobPattern(upstream[name]))},
	}
	return t
}

// upstream is the stage whose finished jobs trigger an audit-log function.
var upstream = map[string]string{app.FnFilter: "prepare", app.FnPredictStart: "filter"}

// invokers lets each caller invoke only the functions it calls (roles/run.invoker on the function's Cloud
// Run service): the trigger account the event functions, the workflows predict, model and extract, the
// scheduler extract, poller and stopper. Nothing is public.
func (s *stack) invokers(acc *accounts, fns map[string]*function) error {
	calls := []struct {
		role string
		fns  []string
	}{
		{roleTrigger, app.CloudEventFunctions},
		{roleWorkflows, []string{app.FnPredict, app.FnModel, app.FnExtract}},
		{roleScheduler, []string{app.FnExtract, app.FnPoller, app.FnStopper}},
	}
	cfg := s.d.Cfg
	for _, c := range calls {
		for _, name := range c.fns {
			_, err := cloudrunv2.NewServiceIamMember(s.ctx, c.role+"-invokes-"+name, &cloudrunv2.ServiceIamMemberArgs{
				Project:  pulumi.String(cfg.DefaultGCPProject),
				Location: pulumi.String(cfg.DefaultGCPRegion),
				Name:     fns[name].fn.ServiceConfig.Service().Elem(),
				Role:     pulumi.String("roles/run.invoker"),
				Member:   acc.role[c.role].Member(),
			}, s.opts()...)
			if err != nil {
				return err
			}
		}
	}
	return nil
}
