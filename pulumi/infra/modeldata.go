package infra

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"

	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/bigquery"
	"github.com/pulumi/pulumi-gcp/sdk/v9/go/gcp/storage"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pltv/pltv/hooks"
	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// modelData loads the model's features (FEATURES_CSV, or the shipped ones) and every EXTRA_DATA table as of
// pltv:modelDate, each CSV a bucket object loaded by a load job into its table, and, with pltv:modelName, the
// metadata row that names the model, so that the first run finds a model and the tables it needs. Without a
// model date nothing is loaded (a metadata row can be inserted later, see the README).
func (s *stack) modelData(ds *bigquery.Dataset, bucket *storage.Bucket) error {
	date := s.d.ModelDate
	if date == "" {
		return nil
	}
	features, err := s.featuresCSV()
	if err != nil {
		return err
	}
	if err := s.loadTable(ds, bucket, "features", pipeline.TrainingDataFeatures, date, features, pipeline.FeaturesSchema()); err != nil {
		return err
	}
	for _, e := range s.d.Cfg.ExtraData {
		b, err := os.ReadFile(e.CSV)
		if err != nil {
			return fmt.Errorf("EXTRA_DATA %s: %w", e.Table, err)
		}
		if err := s.loadTable(ds, bucket, "extra-"+e.Table, e.Table, date, b, e.Schema); err != nil {
			return err
		}
	}
	if s.d.ModelName == "" {
		return nil
	}
	var row bytes.Buffer
	w := csv.NewWriter(&row)
	if err := w.Write([]string{date, date, s.d.ModelName, s.d.ModelID}); err != nil {
		return err
	}
	w.Flush()
	// Appended: the table keeps the rows of models registered since; a changed model is a new row.
	return s.load(ds, bucket, "metadata", s.metadata, pipeline.Metadata+"_"+date, row.Bytes(), "WRITE_APPEND")
}

func (s *stack) featuresCSV() ([]byte, error) {
	if p := s.d.Cfg.FeaturesCSV; p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("FEATURES_CSV: %w", err)
		}
		return b, nil
	}
	return fs.ReadFile(hooks.Data(), hooks.FeaturesCSV)
}

// loadTable creates <table>_<date> with schema and loads csv into it, replacing its rows.
func (s *stack) loadTable(ds *bigquery.Dataset, bucket *storage.Bucket, key, table, date string, csv []byte, schema warehouse.Schema) error {
	id := table + "_" + date
	t, err := s.table(ds, "table-"+key, id, schema)
	if err != nil {
		return err
	}
	return s.load(ds, bucket, key, t, id, csv, "WRITE_TRUNCATE")
}

// load loads csv (no header row) into t. The object and the job are named after the content, so a changed
// CSV is loaded again and an unchanged one is not.
func (s *stack) load(ds *bigquery.Dataset, bucket *storage.Bucket, key string, t *bigquery.Table, name string, csv []byte, write string) error {
	sum := sha256.Sum256(csv)
	h := hex.EncodeToString(sum[:])[:12]
	obj, err := storage.NewBucketObject(s.ctx, "data-"+key, &storage.BucketObjectArgs{
		Bucket: bucket.Name,
		Name:   pulumi.String("data/" + name + "-" + h + ".csv"),
		Source: pulumi.NewStringAsset(string(csv)),
	}, s.opts()...)
	if err != nil {
		return err
	}
	_, err = bigquery.NewJob(s.ctx, "load-"+key, &bigquery.JobArgs{
		Project:  pulumi.String(s.d.Cfg.BQLTVGCPProject),
		Location: pulumi.String(s.d.Cfg.BQLTVGCPBroadRegion),
		JobId:    pulumi.String(s.n.Role("load_" + name + "_" + h)),
		Labels:   pulumi.StringMap{"pltv_deployment": pulumi.String(s.n.Label()), "pltv_stage": pulumi.String("setup")},
		Load: &bigquery.JobLoadArgs{
			SourceUris: pulumi.StringArray{pulumi.Sprintf("gs://%s/%s", bucket.Name, obj.Name)},
			DestinationTable: &bigquery.JobLoadDestinationTableArgs{
				ProjectId: pulumi.String(s.d.Cfg.BQLTVGCPProject), DatasetId: ds.DatasetId, TableId: t.TableId,
			},
			SourceFormat:      pulumi.String("CSV"),
			SkipLeadingRows:   pulumi.Int(0),
			CreateDisposition: pulumi.String("CREATE_NEVER"),
			WriteDisposition:  pulumi.String(write),
		},
	}, s.opts()...)
	return err
}
