package infra

import (
	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/bigquery"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Outputs are what a deployment exports (pulumi stack output).
type Outputs struct {
	ServiceURLs     pulumi.StringMap
	Workflows       map[string]string // daily, backfill → the deployed workflows' names
	Dataset         string            // project.dataset of the LTV tables
	BackfillCommand string
}

// stack builds one deployment's resources.
type stack struct {
	ctx  *pulumi.Context
	d    Deployment
	n    Names
	apis []pulumi.Resource // every resource waits for the APIs

	metadata *bigquery.Table // the LTV dataset's metadata table
}

// Deploy creates the resources of a planned deployment.
func Deploy(ctx *pulumi.Context, d Deployment) (*Outputs, error) {
	s := &stack{ctx: ctx, d: d, n: d.Names}
	if err := s.enableAPIs(); err != nil {
		return nil, err
	}
	acc, err := s.accounts()
	if err != nil {
		return nil, err
	}
	bucket, err := s.bucket()
	if err != nil {
		return nil, err
	}
	ds, err := s.dataset(acc)
	if err != nil {
		return nil, err
	}
	if err := s.modelData(ds, bucket); err != nil {
		return nil, err
	}
	transfer, err := s.extract(ds, acc)
	if err != nil {
		return nil, err
	}
	if err := s.firestore(); err != nil {
		return nil, err
	}
	if err := s.endpoint(); err != nil {
		return nil, err
	}
	fns, err := s.functions(acc, bucket, transfer)
	if err != nil {
		return nil, err
	}
	wfs, err := s.workflows(acc, fns)
	if err != nil {
		return nil, err
	}
	if err := s.schedules(acc, fns); err != nil {
		return nil, err
	}
	if err := s.alerts(fns, wfs); err != nil {
		return nil, err
	}
	return s.outputs(fns, wfs), nil
}

// opts are the options of every resource: after the APIs it needs.
func (s *stack) opts(more ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{pulumi.DependsOn(s.apis)}, more...)
}

// labels label every resource that takes labels.
func (s *stack) labels() pulumi.StringMap {
	return pulumi.StringMap{"pltv_deployment": pulumi.String(s.n.Label()), "pltv_solution": pulumi.String(s.n.Prefix)}
}
