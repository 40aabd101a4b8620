package infra

import (
	"fmt"

	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/hooks"
)

// ExtractQuery renders the extract hook as the scheduled query's one fixed SQL text: it sees the run date as
// @run_date, which the transfer service binds to each run's logical date, so the template gets no date.
func ExtractQuery(cfg config.Config) (string, error) {
	tables := hooks.Tables{Source: cfg.SourceDataset(), SourceTable: cfg.BQDataSourceTables,
		SourceSharded: cfg.BQDataSourceIsSharded, LTV: cfg.LTVDataset()}
	vars := hooks.Vars{LagDays: cfg.ExtractLagDays, NewClientDays: cfg.ModelNewClientDays,
		SourceSharded: cfg.BQDataSourceIsSharded, BatchSize: cfg.MaxPredictionBatchSize, Custom: cfg.CustomVariables,
		Date: "20000102", ModelDate: "20000101", WindowStart: "19990102", WindowEnd: "20000101", BatchOutput: "batch_output"}
	sql, err := hooks.LoadSQL(cfg.HooksDir, tables, vars)
	if err != nil {
		return "", fmt.Errorf("extract query: %w", err)
	}
	noDate := vars
	noDate.Date = ""
	q, err := sql.Render(hooks.Extract, noDate)
	if err != nil {
		return "", fmt.Errorf("extract query: the scheduled query is one text for every date, so the extract hook "+
			"must read the run date as @run_date, not {{.Date}}: %w", err)
	}
	return q.Text, nil
}
