package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/pltv/pltv/warehouse"
)

// Model is the model the metadata table selects for a run date.
type Model struct {
	ExportDate string
	ModelDate  string
	Name       string
	ID         string // the Vertex AI model or endpoint id, when the backend has one
}

// MetadataSchema is the schema of the metadata table.
func MetadataSchema() warehouse.Schema {
	return warehouse.Schema{
		{Name: "export_date", Type: warehouse.String},
		{Name: "model_date", Type: warehouse.String},
		{Name: "model_name", Type: warehouse.String},
		{Name: "model_id", Type: warehouse.String},
	}
}

// ErrNoModel is returned (wrapped) when the metadata table has no usable model for a date.
var ErrNoModel = errors.New("no model")

// SelectModel applies the model-selection rule: the newest model_date, at least a day before the run date,
// whose model_name is set. Its model_date selects training_data_features_<model_date> and extra tables.
func SelectModel(ctx context.Context, wh warehouse.Warehouse, ltv warehouse.Dataset, date string) (Model, error) {
	last, err := AddDays(date, -1)
	if err != nil {
		return Model{}, err
	}
	table := ltv.Table(Metadata)
	info, err := wh.Table(ctx, table)
	if err != nil {
		return Model{}, err
	}
	if info.State == warehouse.Missing {
		return Model{}, fmt.Errorf("%w: the metadata table %s is missing (run pltv init or pltv train)", ErrNoModel, table)
	}
	var m *Model
	err = wh.Read(ctx, warehouse.ReadRequest{
		SQL: "SELECT export_date, model_date, model_name, model_id FROM " + table.SQL() +
			" WHERE model_name IS NOT NULL AND model_name != '' AND model_date <= @last" +
			" ORDER BY model_date DESC, export_date DESC LIMIT 1",
		Params: map[string]any{"last": last},
	}, func(b warehouse.Batch) error {
		for _, r := range b.Rows {
			m = &Model{ExportDate: str(r[0]), ModelDate: str(r[1]), Name: str(r[2]), ID: str(r[3])}
		}
		return nil
	})
	if err != nil {
		return Model{}, fmt.Errorf("select model: %w", err)
	}
	if m == nil {
		return Model{}, fmt.Errorf("%w in %s with model_date on or before %s", ErrNoModel, table, last)
	}
	if _, err := ParseDate(m.ModelDate); err != nil {
		return Model{}, fmt.Errorf("metadata table %s: model %s: model_date: %w", table, m.Name, err)
	}
	return *m, nil
}

// RecordModel appends a metadata row.
func RecordModel(ctx context.Context, wh warehouse.Warehouse, ltv warehouse.Dataset, m Model) error {
	row := warehouse.Row{m.ExportDate, m.ModelDate, m.Name, nullable(m.ID)}
	if err := wh.Insert(ctx, ltv.Table(Metadata), MetadataSchema(), []warehouse.Row{row}); err != nil {
		return fmt.Errorf("record model %s: %w", m.Name, err)
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
