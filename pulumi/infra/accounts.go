package infra

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/projects"
	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/serviceaccount"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pltv/pltv/services/app"
)

// The roles that have an account of their own, besides one per function.
const (
	roleTrigger   = "trigger"       // Eventarc: receives the events, invokes prepare, filter and predictstart
	roleWorkflows = "workflows"     // the daily and backfill workflows: invoke predict, model and extract
	roleScheduler = "scheduler"     // Cloud Scheduler: invokes extract, poller and stopper
	roleQuery     = "extract-query" // the scheduled extract query: reads the source, writes the LTV dataset
	roleBuild     = "build"         // Cloud Build, building the functions
)

// need is what a function's account is granted.
type need struct {
	jobUser   bool // bigquery.jobUser on the BigQuery project: runs jobs
	ltvWrite  bool // bigquery.dataEditor on the LTV dataset (else dataViewer)
	workflows bool // workflows.invoker: starts the daily workflow
	model     bool // aiplatform.user on the model's project
	transfers bool // starts the scheduled extract's runs (a custom role with the two permissions)
}

// needs are the functions' needs; every function also uses Firestore (datastore.user), where the
// services' middleware records the events they processed.
var needs = map[string]need{
	app.FnExtract:      {transfers: true},
	app.FnPrepare:      {jobUser: true, ltvWrite: true},
	app.FnFilter:       {jobUser: true, ltvWrite: true},
	app.FnPredictStart: {jobUser: true, workflows: true},
	app.FnPredict:      {jobUser: true, ltvWrite: true, model: true},
	app.FnModel:        {jobUser: true, model: true},
	app.FnPoller:       {jobUser: true, ltvWrite: true, workflows: true}, // it runs queued prepares and predict starts
	app.FnStopper:      {jobUser: true, model: true},
}

// functionNames lists the functions in a fixed order.
func functionNames() []string {
	return slices.Concat(app.CloudEventFunctions, app.HTTPFunctions)
}

// account is a service account, created or given.
type account struct {
	Email pulumi.StringOutput
	Name  pulumi.StringOutput // projects/P/serviceAccounts/EMAIL
	sa    *serviceaccount.Account
}

// Member is the IAM member of the account.
func (a account) Member() pulumi.StringOutput {
	return pulumi.Sprintf("serviceAccount:%s", a.Email)
}

// accounts are the deployment's service accounts: by role, and by function.
type accounts struct {
	role map[string]account
	fn   map[string]account
}

// accounts creates one service account per role and per function. SERVICE_ACCOUNT, when set, is the one
// account all functions run as instead: an email address names an existing account, an id one to create.
func (s *stack) accounts() (*accounts, error) {
	cfg := s.d.Cfg
	acc := &accounts{role: map[string]account{}, fn: map[string]account{}}
	for _, role := range []string{roleTrigger, roleWorkflows, roleScheduler, roleQuery, roleBuild} {
		a, err := s.newAccount(role, s.n.Account(role), "pltv "+s.n.Deployment+": "+role)
		if err != nil {
			return nil, err
		}
		acc.role[role] = a
	}
	var shared *account
	switch sa := cfg.ServiceAccount; {
	case strings.Contains(sa, "@"):
		shared = &account{Email: pulumi.String(sa).ToStringOutput(),
			Name: pulumi.Sprintf("projects/%s/serviceAccounts/%s", cfg.DefaultGCPProject, sa)}
	case sa != "":
		a, err := s.newAccount("functions", sa, "pltv "+s.n.Deployment+": functions")
		if err != nil {
			return nil, err
		}
		shared = &a
	}
	for _, fn := range functionNames() {
		if shared != nil {
			acc.fn[fn] = *shared
			continue
		}
		a, err := s.newAccount("fn-"+fn, s.n.Account("fn-"+fn), "pltv "+s.n.Deployment+": function "+fn)
		if err != nil {
			return nil, err
		}
		acc.fn[fn] = a
	}
	return acc, s.grantAccounts(acc)
}

func (s *stack) newAccount(key, id, display string) (account, error) {
	sa, err := serviceaccount.NewAccount(s.ctx, "sa-"+key, &serviceaccount.AccountArgs{
		Project:     pulumi.String(s.d.Cfg.DefaultGCPProject),
		AccountId:   pulumi.String(id),
		DisplayName: pulumi.String(display),
	}, s.opts()...)
	if err != nil {
		return account{}, err
	}
	return account{Email: sa.Email, Name: sa.Name, sa: sa}, nil
}

// grantProject grants role on a project to an account.
func (s *stack) grantProject(name, project, role string, a account) error {
	_, err := projects.NewIAMMember(s.ctx, name, &projects.IAMMemberArgs{
		Project: pulumi.String(project), Role: pulumi.String(role), Member: a.Member(),
	}, s.opts()...)
	return err
}

// grantAccounts grants the project-wide roles; the roles on a dataset, a function or a topic are granted
// where those are created.
func (s *stack) grantAccounts(acc *accounts) error {
	cfg := s.d.Cfg
	svc, bq, model := cfg.DefaultGCPProject, cfg.BQLTVGCPProject, cfg.ModelGCPProject
	grants := []struct {
		name, project, role string
		a                   account
	}{
		{"trigger-receiver", svc, "roles/eventarc.eventReceiver", acc.role[roleTrigger]},
		{"workflows-logs", svc, "roles/logging.logWriter", acc.role[roleWorkflows]},
		{"extract-query-jobs", bq, "roles/bigquery.jobUser", acc.role[roleQuery]},
		{"build-builder", svc, "roles/cloudbuild.builds.builder", acc.role[roleBuild]},
	}
	var transferRole *projects.IAMCustomRole
	seen := map[string]bool{} // a shared account is granted each role once
	for _, fn := range functionNames() {
		a, nd := acc.fn[fn], needs[fn]
		key := fn
		if cfg.ServiceAccount != "" {
			key = "functions"
		}
		add := func(what, project, role string) {
			name := "fn-" + key + "-" + what
			if !seen[name] {
				seen[name] = true
				grants = append(grants, struct {
					name, project, role string
					a                   account
				}{name, project, role, a})
			}
		}
		add("firestore", svc, "roles/datastore.user")
		if nd.jobUser {
			add("jobs", bq, "roles/bigquery.jobUser")
		}
		if nd.workflows {
			add("workflows", svc, "roles/workflows.invoker")
		}
		if nd.model {
			add("model", model, "roles/aiplatform.user")
		}
		if nd.transfers {
			if transferRole == nil {
				r, err := s.transferRunner()
				if err != nil {
					return err
				}
				transferRole = r
			}
			name := "fn-" + key + "-transfers"
			if !seen[name] {
				seen[name] = true
				if _, err := projects.NewIAMMember(s.ctx, name, &projects.IAMMemberArgs{
					Project: pulumi.String(bq), Role: transferRole.Name, Member: a.Member(),
				}, s.opts()...); err != nil {
					return err
				}
			}
		}
	}
	for _, g := range grants {
		if err := s.grantProject(g.name, g.project, g.role, g.a); err != nil {
			return fmt.Errorf("grant %s: %w", g.name, err)
		}
	}
	return s.pushTokens(acc.role[roleTrigger])
}

// pushTokens lets the Pub/Sub service agent mint the trigger account's identity tokens, with which the
// prepare trigger's push subscription calls the function (a grant on that account alone; projects whose
// agent predates April 2021 lack it).
func (s *stack) pushTokens(trigger account) error {
	agent, err := projects.NewServiceIdentity(s.ctx, "pubsub-agent", &projects.ServiceIdentityArgs{
		Project: pulumi.String(s.d.Cfg.DefaultGCPProject), Service: pulumi.String("pubsub.googleapis.com"),
	}, s.opts()...)
	if err != nil {
		return err
	}
	_, err = serviceaccount.NewIAMMember(s.ctx, "pubsub-agent-tokens-for-trigger", &serviceaccount.IAMMemberArgs{
		ServiceAccountId: trigger.Name, Role: pulumi.String("roles/iam.serviceAccountTokenCreator"),
		Member: pulumi.Sprintf("serviceAccount:%s", agent.Email),
	}, s.opts()...)
	return err
}

// transferRunner is the custom role that starts runs of a transfer config and reads them: no predefined
// role narrower than BigQuery Admin holds bigquery.transfers.update.
func (s *stack) transferRunner() (*projects.IAMCustomRole, error) {
	return projects.NewIAMCustomRole(s.ctx, "role-transfer-runner", &projects.IAMCustomRoleArgs{
		Project:     pulumi.String(s.d.Cfg.BQLTVGCPProject),
		RoleId:      pulumi.String(s.n.Role("transferRunner")),
		Title:       pulumi.String("pltv " + s.n.Deployment + " transfer runner"),
		Description: pulumi.String("Starts the scheduled extract's runs and reads them."),
		Permissions: pulumi.ToStringArray([]string{"bigquery.transfers.get", "bigquery.transfers.update"}),
	}, s.opts()...)
}
