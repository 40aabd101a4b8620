package local

import (
	"github.com/pltv/pltv/config"
	"github.com/pltv/pltv/pipeline"
)

// StageFuncs returns the stages this runtime can run directly, by name.
func (r *Runtime) StageFuncs() map[string]pipeline.StageFunc {
	p := r.Pipeline
	fns := map[string]pipeline.StageFunc{
		pipeline.StageExtract: p.Extract,
		pipeline.StagePrepare: p.Prepare,
		pipeline.StageFilter:  p.Filter,
		pipeline.StagePredict: p.Predict,
	}
	if r.Config.ModelMode == config.ModeBatch {
		fns[pipeline.StagePredict] = p.PredictBatchMode
	}
	return fns
}
