package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"sort"
	"strings"

	"google.golang.org/api/option"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/executions"
	"github.com/pltv/pltv/executions/cloudworkflows"
	"github.com/pltv/pltv/local"
	"github.com/pltv/pltv/services/app/cloud"
	"github.com/pltv/pltv/tracking/firestore"
	"github.com/pltv/pltv/warehouse/bigquery"
)

// cloudClients are client options of the Google Cloud drivers the commands use with RUNTIME=cloud: none
// for a deployment (the environment's credentials and Google's endpoints); tests point them at fakes.
// Firestore follows FIRESTORE_EMULATOR_HOST, as its client library does.
type cloudClients struct {
	BigQuery  []option.ClientOption
	Workflows []option.ClientOption
}

// openCloud opens the runtime on a deployment: the BigQuery datasets and the Firestore collections of the
// configuration, through the same ports as on one machine, with no state directory.
func (g *globals) openCloud(ctx context.Context, cfg config.Config) (*local.Runtime, error) {
	wh, err := bigquery.New(ctx, bigquery.Options{Project: cfg.BQLTVGCPProject, Location: cfg.BQLTVGCPBroadRegion,
		JobPrefix: cfg.JobPrefix(), Logger: g.logger()}, g.cloud.BigQuery...)
	if err != nil {
		return nil, err
	}
	store, err := firestore.Open(ctx, cfg.DefaultGCPProject, "")
	if err != nil {
		return nil, errors.Join(err, wh.Close())
	}
	return local.Open(ctx, cfg, local.Options{WH: wh, Tracking: store, Log: g.logger(), Command: g.command})
}

// Workflow kinds, as workflows/*.yaml names them.
const (
	workflowDaily    = "daily"
	workflowBackfill = "backfill"
)

// deployedWorkflow is the name a deployment gives a workflow of workflows/*.yaml: the daily one is
// DAILY_WORKFLOW when set (what the functions start), the backfill one BACKFILL_WORKFLOW; otherwise
// <deployment>-<prefix>-<kind>, as `pulumi up` names them (pulumi/infra Names.Of).
func deployedWorkflow(cfg config.Config, kind string) string {
	env := map[string]string{workflowDaily: cloud.EnvDailyWorkflow, workflowBackfill: "BACKFILL_WORKFLOW"}
	if v := os.Getenv(env[kind]); v != "" {
		return v
	}
	return fitName(strings.ReplaceAll(strings.ToLower(cfg.DeploymentName+"-"+cfg.SolutionPrefix), "_", "-")+"-"+kind, 63)
}

// cloudExecutions is the Workflows Executions API on a deployment's workflows: the daily and backfill
// workflows go by their short names, and List of no workflow lists both, newest first.
type cloudExecutions struct {
	*cloudworkflows.Driver
	cfg config.Config
}

func (g *globals) cloudExecutions(ctx context.Context, cfg config.Config) (*cloudExecutions, error) {
	if cfg.DefaultGCPProject == "" {
		return nil, errors.New("executions: DEFAULT_GCP_PROJECT is not set")
	}
	d, err := cloudworkflows.New(ctx, cfg.DefaultGCPProject, cfg.DefaultGCPRegion, g.cloud.Workflows...)
	if err != nil {
		return nil, err
	}
	return &cloudExecutions{Driver: d, cfg: cfg}, nil
}

func (c *cloudExecutions) name(workflow string) string {
	if workflow == workflowDaily || workflow == workflowBackfill {
		return deployedWorkflow(c.cfg, workflow)
	}
	return workflow
}

// Start starts an execution of a workflow.
func (c *cloudExecutions) Start(ctx context.Context, workflow string, argument any) (executions.Execution, error) {
	return c.Driver.Start(ctx, c.name(workflow), argument)
}

// List lists the executions of a workflow, or of both of pltv's.
func (c *cloudExecutions) List(ctx context.Context, workflow string) ([]executions.Execution, error) {
	if workflow != "" {
		return c.Driver.List(ctx, c.name(workflow))
	}
	var all []executions.Execution
	for _, w := range []string{workflowDaily, workflowBackfill} {
		xs, err := c.Driver.List(ctx, c.name(w))
		if err != nil {
			return nil, err
		}
		all = append(all, xs...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].StartTime.After(all[j].StartTime) })
	return all, nil
}

// fitName shortens a resource name to max characters with a hash of the whole, as pulumi/infra does.
func fitName(s string, max int) string {
	if len(s) <= max {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return strings.TrimRight(s[:max-7], "-") + "-" + hex.EncodeToString(sum[:])[:6]
}
