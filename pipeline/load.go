package pipeline

import (
	"context"
	"fmt"
	"io"

	"github.com/pltv/pltv/warehouse"
)

// FeaturesSchema is the schema of training_data_features_<model_date>, loaded from a CSV without header.
func FeaturesSchema() warehouse.Schema {
	return warehouse.Schema{{Name: "value", Type: warehouse.String}, {Name: "type", Type: warehouse.String}}
}

// LoadFeatures loads the features CSV of a model into training_data_features_<modelDate>, replacing it.
func LoadFeatures(ctx context.Context, wh warehouse.Warehouse, ltv warehouse.Dataset, modelDate string, r io.Reader, name string) (warehouse.JobResult, error) {
	if _, err := ParseDate(modelDate); err != nil {
		return warehouse.JobResult{}, fmt.Errorf("load features: model date: %w", err)
	}
	return LoadCSV(ctx, wh, warehouse.LoadJob{
		Source: r, SourceName: name, Destination: ltv.Shard(TrainingDataFeatures, modelDate),
		Schema: FeaturesSchema(),
	})
}

// LoadCSV loads one CSV file, replacing the destination table.
func LoadCSV(ctx context.Context, wh warehouse.Warehouse, job warehouse.LoadJob) (warehouse.JobResult, error) {
	if job.Write == "" {
		job.Write = warehouse.WriteTruncate
	}
	res, err := wh.Load(ctx, job)
	if err != nil {
		return res, fmt.Errorf("load %s into %s: %w", job.SourceName, job.Destination, err)
	}
	return res, nil
}
