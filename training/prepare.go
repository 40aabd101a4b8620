package training

import (
	"context"
	"fmt"
	"strings"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/warehouse"
)

// preparedStages are the stages whose tables training reads.
var preparedStages = []string{pipeline.StageExtract, pipeline.StagePrepare, pipeline.StageFilter}

// runPipeline runs extract, prepare and filter for the dates from..to that need it (every date when
// refresh is set): those without a new-customer table, unless their extract or prepared table is there
// and empty (a day without data, or without known customers, which the later stages skip). The stages are idempotent, so a date run twice is replaced,
// not doubled.
func runPipeline(ctx context.Context, env Env, from, to string, refresh bool) (int, error) {
	dates, err := pipeline.Dates(from, to)
	if err != nil {
		return 0, err
	}
	for _, st := range preparedStages {
		if env.Stages[st] == nil {
			return 0, fmt.Errorf("stage %s is not wired", st)
		}
	}
	todo := dates
	if !refresh {
		if todo, err = missingDates(ctx, env, dates); err != nil {
			return 0, err
		}
	}
	if len(todo) == 0 {
		return 0, nil
	}
	env.Log.InfoContext(ctx, "running the pipeline for training", "from", todo[0], "to", todo[len(todo)-1], "dates", len(todo))
	if _, err := pipeline.RunRange(ctx, env.Stages, preparedStages, todo, env.Workers, nil); err != nil {
		return 0, fmt.Errorf("pipeline %s..%s: %w", todo[0], todo[len(todo)-1], err)
	}
	return len(todo), nil
}

// PipelinePlan says which tables Evaluate computes: every stage's table of every run date of the range.
type PipelinePlan struct {
	From   string   `json:"from"`
	To     string   `json:"to"`
	Dates  int      `json:"dates"`
	Stages []string `json:"stages"`
	Tables []string `json:"tables"` // the tables' names, with D for the date
}

// String is the plan in words.
func (p PipelinePlan) String() string {
	return fmt.Sprintf("%s for the %d run dates %s..%s: %s", strings.Join(p.Stages, ", "), p.Dates, p.From, p.To,
		strings.Join(p.Tables, ", "))
}

// computeTables runs extract, prepare and filter afresh for every date from..to, after telling announce.
func computeTables(ctx context.Context, env Env, from, to string, announce func(PipelinePlan)) (PipelinePlan, error) {
	dates, err := pipeline.Dates(from, to)
	if err != nil {
		return PipelinePlan{}, err
	}
	p := PipelinePlan{From: from, To: to, Dates: len(dates), Stages: preparedStages, Tables: []string{
		pipeline.AllDailyTransactions + "_D", pipeline.PreparedDailyTransactions + "_D", pipeline.NewCustomersTransactions + "_D"}}
	if announce != nil {
		announce(p)
	}
	env.Log.InfoContext(ctx, "computing the pipeline tables", "plan", p.String())
	if _, err := runPipeline(ctx, env, from, to, true); err != nil {
		return p, err
	}
	return p, nil
}

// missingDates returns the dates whose tables are not all there.
func missingDates(ctx context.Context, env Env, dates []string) ([]string, error) {
	shards := func(name string) (map[string]warehouse.TableInfo, error) {
		tables, err := env.WH.Tables(ctx, env.ltv(), name+"_")
		if err != nil {
			return nil, err
		}
		out := map[string]warehouse.TableInfo{}
		for _, t := range tables {
			if base, date, ok := warehouse.SplitShard(t.Ref.Table); ok && base == name && !strings.Contains(date, "_") {
				out[date] = t
			}
		}
		return out, nil
	}
	filtered, err := shards(pipeline.NewCustomersTransactions)
	if err != nil {
		return nil, err
	}
	extracted, err := shards(pipeline.AllDailyTransactions)
	if err != nil {
		return nil, err
	}
	prepared, err := shards(pipeline.PreparedDailyTransactions)
	if err != nil {
		return nil, err
	}
	var todo []string
	for _, d := range dates {
		if _, ok := filtered[d]; ok {
			continue
		}
		if x, ok := extracted[d]; ok && x.State == warehouse.Empty {
			continue
		}
		if p, ok := prepared[d]; ok && p.State == warehouse.Empty {
			continue
		}
		todo = append(todo, d)
	}
	return todo, nil
}
