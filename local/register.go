package local

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// Registration is a model trained elsewhere (a Vertex AI model) for the pipeline to use from its model date on.
type Registration struct {
	ID   string // the model's id: model_id in the metadata table
	Name string // model_name; the ID when empty
	// Date is the model date, YYYYMMDD: the model predicts run dates after it, with the features and extra
	// data of that date.
	Date string
	// Features is the features CSV (value,type without header); FEATURES_CSV, or the shipped features, when
	// empty.
	Features string
}

// Registered says what RegisterModel did.
type Registered struct {
	ModelID     string `json:"model_id"`
	ModelName   string `json:"model_name"`
	ModelDate   string `json:"model_date"`
	Features    string `json:"features_table"`
	ExtraTables int    `json:"extra_tables"`
	// Recorded is false when the metadata table had the model's row already: the tables were loaded again,
	// no second row was written.
	Recorded bool `json:"recorded"`
}

// RegisterModel makes a model trained elsewhere the pipeline's from its date on: it loads the features as
// training_data_features_<date> and each EXTRA_DATA CSV as <table>_<date> (all or none: a bad file is
// refused with its line and nothing changes), then appends the model's row to the metadata table unless it
// is there already. The row comes last, so that the model is never selected without its tables. It works
// on any warehouse: DuckDB on one machine, BigQuery on a deployment.
func (r *Runtime) RegisterModel(ctx context.Context, reg Registration) (Registered, error) {
	if reg.ID == "" {
		return Registered{}, errors.New("register model: a model id is required")
	}
	if _, err := pipeline.ParseDate(reg.Date); err != nil {
		return Registered{}, fmt.Errorf("register model %s: model date: %w", reg.ID, err)
	}
	if reg.Name == "" {
		reg.Name = reg.ID
	}
	if reg.Features == "" {
		reg.Features = r.Config.FeaturesCSV
	}
	ltv := r.SQL.Tables().LTV
	out := Registered{ModelID: reg.ID, ModelName: reg.Name, ModelDate: reg.Date,
		Features: ltv.Shard(pipeline.TrainingDataFeatures, reg.Date).String()}
	if reg.Features != "" {
		if err := checkCSV(reg.Features, len(pipeline.FeaturesSchema())); err != nil {
			return out, fmt.Errorf("register model %s: features: %w", reg.ID, err)
		}
	}
	loads := []stagedLoad{featuresLoad(ltv.Shard(pipeline.TrainingDataFeatures, reg.Date), reg.Features)}
	for _, x := range r.Config.ExtraData {
		if err := checkCSV(x.CSV, len(x.Schema)); err != nil {
			return out, fmt.Errorf("register model %s: extra data %s: %w", reg.ID, x.Table, err)
		}
		loads = append(loads, csvLoad(ltv.Shard(x.Table, reg.Date), x.CSV, x.Schema))
		out.ExtraTables++
	}
	if _, err := loadAll(ctx, r.WH, loads, 2); err != nil {
		return out, fmt.Errorf("register model %s: %w", reg.ID, err)
	}
	exists, err := r.hasModel(ctx, ltv.Table(pipeline.Metadata), reg)
	if err != nil || exists {
		return out, err
	}
	err = pipeline.RecordModel(ctx, r.WH, ltv, pipeline.Model{ExportDate: time.Now().UTC().Format(pipeline.DateLayout),
		ModelDate: reg.Date, Name: reg.Name, ID: reg.ID})
	out.Recorded = err == nil
	return out, err
}

// hasModel reports whether the metadata table has the registration's row. It reads the (small) table
// whole rather than querying it, so that it costs no query job.
func (r *Runtime) hasModel(ctx context.Context, metadata warehouse.Ref, reg Registration) (bool, error) {
	info, err := r.WH.Table(ctx, metadata)
	if err != nil || info.State != warehouse.HasRows {
		return false, err
	}
	cols := map[string]int{}
	for i, f := range info.Schema {
		cols[f.Name] = i
	}
	found := false
	err = r.WH.Read(ctx, warehouse.ReadRequest{Table: &metadata}, func(b warehouse.Batch) error {
		for _, row := range b.Rows {
			if cell(row, cols, "model_date") == reg.Date && cell(row, cols, "model_id") == reg.ID &&
				cell(row, cols, "model_name") == reg.Name {
				found = true
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("read %s: %w", metadata, err)
	}
	return found, nil
}

func cell(row warehouse.Row, cols map[string]int, name string) string {
	i, ok := cols[name]
	if !ok || i >= len(row) {
		return ""
	}
	s, _ := row[i].(string)
	return s
}

// checkCSV reads a CSV file without header and refuses it, naming the file and the line, when a record has
// another number of fields than the table's columns: BigQuery would refuse it with a byte position only.
func checkCSV(path string, fields int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = fields
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			return fmt.Errorf("%s line %d: %w", path, perr.StartLine, perr.Err)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
}
