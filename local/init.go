package local

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// BaselineModel is the model name init records until `pltv train` records a trained one.
const BaselineModel = "baseline"

// InitSummary says what Init loaded.
type InitSummary struct {
	SourceFiles int    `json:"source_files"`
	SourceRows  int64  `json:"source_rows"`
	FirstDate   string `json:"first_date"`
	LastDate    string `json:"last_date"`
	ModelDate   string `json:"model_date"`
	ExtraTables int    `json:"extra_tables"`
}

// Init creates the local state: it loads the source day files of dir, the features of the model and the extra
// data CSVs of the configuration, and records a baseline model in the metadata table dated the day before
// the first source date, so that every date of the source can be prepared. The loads are whole or nothing: a
// bad file is refused, named with its line, and the state is left exactly as it was, fresh or not.
// Re-running it replaces what it loaded and records no second baseline.
func (r *Runtime) Init(ctx context.Context, dir string) (InitSummary, error) {
	files, err := SourceFiles(dir)
	if err != nil {
		return InitSummary{}, err
	}
	s := InitSummary{SourceFiles: len(files), FirstDate: files[0].Date, LastDate: files[len(files)-1].Date}
	if s.ModelDate, err = pipeline.AddDays(s.FirstDate, -1); err != nil {
		return s, err
	}
	ltv := r.SQL.Tables().LTV
	loads := sourceLoads(r.SQL.Tables(), files)
	sourceLoads := len(loads)
	loads = append(loads, featuresLoad(ltv.Shard(pipeline.TrainingDataFeatures, s.ModelDate), r.Config.FeaturesCSV))
	for _, x := range r.Config.ExtraData {
		loads = append(loads, csvLoad(ltv.Shard(x.Table, s.ModelDate), x.CSV, x.Schema))
		s.ExtraTables++
	}
	if _, err := loadAll(ctx, r.WH, loads, 2); err != nil {
		return InitSummary{}, err
	}
	for _, l := range loads[:sourceLoads] {
		info, err := r.WH.Table(ctx, l.dest)
		if err != nil {
			return s, err
		}
		s.SourceRows += info.Rows
	}
	if err := r.recordBaseline(ctx, ltv, s.ModelDate); err != nil {
		return s, err
	}
	r.Log.InfoContext(ctx, "initialised", "source_files", s.SourceFiles, "source_rows", s.SourceRows,
		"from", s.FirstDate, "to", s.LastDate, "model_date", s.ModelDate)
	return s, nil
}

// featuresLoad loads a model's features: the CSV at path (FEATURES_CSV), or the shipped ones when it is empty.
func featuresLoad(dest warehouse.Ref, path string) stagedLoad {
	return stagedLoad{dest: dest, load: func(ctx context.Context, wh warehouse.Warehouse, staging warehouse.Ref) (int64, error) {
		var (
			src  io.ReadCloser
			name string
			err  error
		)
		if path != "" {
			src, err = os.Open(path)
			name = path
		} else {
			src, err = hooks.Data().Open(hooks.FeaturesCSV)
			name = filepath.Join("hooks", hooks.FeaturesCSV)
		}
		if err != nil {
			return 0, fmt.Errorf("features: %w", err)
		}
		defer src.Close()
		res, err := pipeline.LoadCSV(ctx, wh, warehouse.LoadJob{Source: src, SourceName: name, Destination: staging,
			Schema: pipeline.FeaturesSchema()})
		return res.Rows, err
	}}
}

// csvLoad loads an extra-data CSV without header.
func csvLoad(dest warehouse.Ref, path string, schema warehouse.Schema) stagedLoad {
	return stagedLoad{dest: dest, load: func(ctx context.Context, wh warehouse.Warehouse, staging warehouse.Ref) (int64, error) {
		f, err := os.Open(path)
		if err != nil {
			return 0, fmt.Errorf("extra data: %w", err)
		}
		defer f.Close()
		res, err := pipeline.LoadCSV(ctx, wh, warehouse.LoadJob{Source: f, SourceName: path, Destination: staging, Schema: schema})
		return res.Rows, err
	}}
}

func (r *Runtime) recordBaseline(ctx context.Context, ltv warehouse.Dataset, modelDate string) error {
	info, err := r.WH.Table(ctx, ltv.Table(pipeline.Metadata))
	if err != nil {
		return err
	}
	if info.State == warehouse.HasRows {
		exists := false
		err := r.WH.Read(ctx, warehouse.ReadRequest{
			SQL:    "SELECT 1 FROM " + ltv.Table(pipeline.Metadata).SQL() + " WHERE model_date = @d AND model_name = @n",
			Params: map[string]any{"d": modelDate, "n": BaselineModel},
		}, func(b warehouse.Batch) error { exists = exists || len(b.Rows) > 0; return nil })
		if err != nil || exists {
			return err
		}
	}
	return pipeline.RecordModel(ctx, r.WH, ltv, pipeline.Model{
		ExportDate: time.Now().UTC().Format(pipeline.DateLayout), ModelDate: modelDate, Name: BaselineModel,
	})
}
