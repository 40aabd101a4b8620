package infra

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/bigquery"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// dataset creates the LTV dataset, its metadata table, and the dataset grants: the functions that write
// tables edit it, the others read it, and the scheduled query writes the extract; the query also reads the
// source dataset.
func (s *stack) dataset(acc *accounts) (*bigquery.Dataset, error) {
	cfg := s.d.Cfg
	ltv := cfg.LTVDataset()
	ds, err := bigquery.NewDataset(s.ctx, "ltv-dataset", &bigquery.DatasetArgs{
		Project:     pulumi.String(ltv.Project),
		DatasetId:   pulumi.String(ltv.Dataset),
		Location:    pulumi.String(cfg.BQLTVGCPBroadRegion),
		Description: pulumi.String("pltv " + s.n.Deployment + ": extracts, prepared transactions, predictions and the model's metadata"),
		Labels:      s.labels(),
	}, s.opts()...)
	if err != nil {
		return nil, err
	}
	if s.metadata, err = s.table(ds, "metadata-table", pipeline.Metadata, pipeline.MetadataSchema()); err != nil {
		return nil, err
	}
	grant := func(name, role string, a account) error {
		_, err := bigquery.NewDatasetIamMember(s.ctx, name, &bigquery.DatasetIamMemberArgs{
			Project: pulumi.String(ltv.Project), DatasetId: ds.DatasetId, Role: pulumi.String(role), Member: a.Member(),
		}, s.opts()...)
		return err
	}
	seen := map[string]bool{}
	for _, fn := range functionNames() {
		role, what := "roles/bigquery.dataViewer", "reads"
		if needs[fn].ltvWrite {
			role, what = "roles/bigquery.dataEditor", "edits"
		}
		if fn == "extract" {
			continue // it only starts transfer runs
		}
		key := "fn-" + fn
		if cfg.ServiceAccount != "" {
			key = "functions"
		}
		name := key + "-" + what + "-ltv"
		if seen[name] {
			continue
		}
		seen[name] = true
		if err := grant(name, role, acc.fn[fn]); err != nil {
			return nil, err
		}
	}
	if err := grant("extract-query-edits-ltv", "roles/bigquery.dataEditor", acc.role[roleQuery]); err != nil {
		return nil, err
	}
	src := cfg.SourceDataset()
	if _, err := bigquery.NewDatasetIamMember(s.ctx, "extract-query-reads-source", &bigquery.DatasetIamMemberArgs{
		Project: pulumi.String(src.Project), DatasetId: pulumi.String(src.Dataset),
		Role: pulumi.String("roles/bigquery.dataViewer"), Member: acc.role[roleQuery].Member(),
	}, s.opts()...); err != nil {
		return nil, err
	}
	return ds, nil
}

// table creates a table of the LTV dataset with a schema.
func (s *stack) table(ds *bigquery.Dataset, name, id string, schema warehouse.Schema) (*bigquery.Table, error) {
	js, err := schemaJSON(schema)
	if err != nil {
		return nil, fmt.Errorf("table %s: %w", id, err)
	}
	return bigquery.NewTable(s.ctx, name, &bigquery.TableArgs{
		Project:            pulumi.String(s.d.Cfg.BQLTVGCPProject),
		DatasetId:          ds.DatasetId,
		TableId:            pulumi.String(id),
		Schema:             pulumi.String(js),
		DeletionProtection: pulumi.Bool(false),
		Labels:             s.labels(),
	}, s.opts()...)
}

// schemaJSON is a schema as BigQuery's JSON representation of the table's fields.
func schemaJSON(schema warehouse.Schema) (string, error) {
	type field struct {
		Name string `json:"name"`
		Type string `json:"type"`
		Mode string `json:"mode"`
	}
	fields := make([]field, len(schema))
	for i, f := range schema {
		mode := f.Mode
		if mode == "" {
			mode = warehouse.Nullable
		}
		fields[i] = field{Name: f.Name, Type: string(f.Type), Mode: string(mode)}
	}
	b, err := json.Marshal(fields)
	return string(b), err
}
