package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// DefaultSource is the --source of init, demo and bench: empty, for the Online Retail data the repository
// ships (internal/onlineretail).
const DefaultSource = ""

// sourceHelp is the --source flag's help text.
const sourceHelp = "directory of day files named YYYY-MM-DD.csv (default: the shipped UCI Online Retail data)"

func newInit(g *globals) *cobra.Command {
	var source string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "init [--source DIR]",
		Short: "Create the local state: load the source day files, the model's features, extra data and metadata",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rt, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer rt.Close()
			s, err := rt.Init(cmd.Context(), source)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(g.stdout, s)
			}
			fmt.Fprintf(g.stdout, "loaded %d source files (%s..%s, %d rows) into %s; features and baseline model dated %s\n",
				s.SourceFiles, s.FirstDate, s.LastDate, s.SourceRows, rt.Config.SourceDataset().Dataset, s.ModelDate)
			return nil
		},
	}
	cmd.Flags().StringVar(&source, "source", DefaultSource, sourceHelp)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return cmd
}
