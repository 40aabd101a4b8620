package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pltv/pltv/local"
)

func newModel(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "model", Short: "Models trained elsewhere (Vertex AI)"}
	var reg local.Registration
	var asJSON bool
	register := &cobra.Command{
		Use:   "register --model-id ID --model-date YYYYMMDD [--model-name NAME] [--features CSV]",
		Short: "Record a model in the metadata table and load its features and extra data as of its date",
		Long: "Loads the features CSV (value,type without header; FEATURES_CSV or the shipped features by default) as " +
			"training_data_features_<date> and every EXTRA_DATA CSV as <table>_<date>, all or none, then appends the " +
			"model's row to the metadata table (once), so that run dates after the model date use it. With " +
			"RUNTIME=cloud it works on the deployment's BigQuery dataset.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rt, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			out, err := rt.RegisterModel(cmd.Context(), reg)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(g.stdout, out)
			}
			verb := "registered"
			if !out.Recorded {
				verb = "already registered (tables loaded again)"
			}
			_, err = fmt.Fprintf(g.stdout, "model %s (%s) %s for run dates after %s: %s, %d extra tables\n",
				out.ModelName, out.ModelID, verb, out.ModelDate, out.Features, out.ExtraTables)
			return err
		},
	}
	f := register.Flags()
	f.StringVar(&reg.ID, "model-id", "", "the model's id (model_id; for Vertex AI, the model resource id)")
	f.StringVar(&reg.Name, "model-name", "", "model_name (default: the model id)")
	f.StringVar(&reg.Date, "model-date", "", "the model date, YYYYMMDD")
	f.StringVar(&reg.Features, "features", "", "the features CSV (default FEATURES_CSV, else the shipped features)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	_ = register.MarkFlagRequired("model-id")
	_ = register.MarkFlagRequired("model-date")
	cmd.AddCommand(register)
	return cmd
}
