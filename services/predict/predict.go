// Package predict is the predict service, the HTTP function "predict" the daily workflow calls (see the
// HTTP contract), one action per call so that the workflow can fan batches out in parallel and retry each:
//
//	{"action":"plan","date":D}                → {"date","rows","batches","model"}          PlanPredictions
//	{"action":"batch","date":D,"batch":N}     → {"date","batch","rows","predicted","failed"} PredictBatch
//	{"action":"finish","date":D,"batches":N}  → {"stage","date","table","rows","skipped"}  FinishPredictions
//	{"action":"complete","date":D}            → {"date","table","rows","errors"}           Complete
//	{"action":"batch_mode","date":D}          → like finish                                PredictBatchMode
//	{"action":"batch_start","date":D}         → {"date","job","done", and finish's when done} StartBatchMode
//	{"action":"batch_check","date":D,"job":J} → the same                                  CheckBatchMode
//
// batch_mode waits for the batch prediction job and runs the completion hook, for callers that can wait;
// the daily workflow starts the job with batch_start (a retried start finds the date's job), polls it with
// batch_check and sys.sleep, and runs complete itself, once.
// 400 answers a request that is not one of these, 422 input that can never succeed (bad SQL in a hook, no
// model for the date), 503 a model that is busy or not deployed (the workflow's default retry policy
// retries it), 500 anything else.
package predict

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/pltv/pltv/pipeline"
	"github.com/pltv/pltv/services"
	"github.com/pltv/pltv/services/cloudlog"
	"github.com/pltv/pltv/services/internal/httpjson"
)

// Request is the body the workflow sends.
type Request struct {
	Action  string `json:"action"`
	Date    string `json:"date"`
	Batch   *int   `json:"batch"`
	Batches *int   `json:"batches"`
	Job     string `json:"job"`
}

// BatchJobAnswer answers batch_start and batch_check: the job, and the predictions once it is done.
type BatchJobAnswer struct {
	StageAnswer
	Job  string `json:"job"`
	Done bool   `json:"done"`
}

// PlanAnswer answers plan.
type PlanAnswer struct {
	Date    string `json:"date"`
	Rows    int64  `json:"rows"`
	Batches int    `json:"batches"`
	Model   string `json:"model"`
}

// StageAnswer answers finish and batch_mode.
type StageAnswer struct {
	Stage   string `json:"stage"`
	Date    string `json:"date"`
	Table   string `json:"table"`
	Rows    int64  `json:"rows"`
	Skipped string `json:"skipped"`
}

// CompleteAnswer answers complete.
type CompleteAnswer struct {
	Date   string `json:"date"`
	Table  string `json:"table"`
	Rows   int64  `json:"rows"`
	Errors int64  `json:"errors"`
}

// Service is the predict service.
type Service struct {
	p      *pipeline.Pipeline
	ledger services.Ledger
	log    *slog.Logger
}

// New returns the predict service over the pipeline. The ledger (*tracking.Tracker) records each completion,
// so that the completion hook runs once for each content of a date's predictions; nil runs it every time.
func New(p *pipeline.Pipeline, ledger services.Ledger, log *slog.Logger) (*Service, error) {
	if p == nil || log == nil {
		return nil, errors.New("predict service: pipeline and log are required")
	}
	return &Service{p: p, ledger: ledger, log: log}, nil
}

// ServeHTTP is the HTTP function.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req Request
	if err := httpjson.Decode(r, &req); err != nil {
		httpjson.Error(w, r, s.log, err)
		return
	}
	if err := httpjson.Date(req.Date); err != nil {
		httpjson.Error(w, r, s.log, err)
		return
	}
	r = r.WithContext(cloudlog.WithDate(r.Context(), req.Date))
	answer, err := s.do(r.Context(), req)
	if err != nil {
		httpjson.Error(w, r, s.log, err)
		return
	}
	httpjson.Write(w, http.StatusOK, answer)
}

func (s *Service) do(ctx context.Context, req Request) (any, error) {
	switch req.Action {
	case "plan":
		return s.plan(ctx, req.Date)
	case "batch":
		n, err := count("batch", req.Batch)
		if err != nil {
			return nil, err
		}
		return s.p.PredictBatch(ctx, req.Date, n)
	case "finish":
		n, err := count("batches", req.Batches)
		if err != nil {
			return nil, err
		}
		res, err := s.p.FinishPredictions(ctx, req.Date, n)
		return stageAnswer(res), err
	case "complete":
		return s.complete(ctx, req.Date)
	case "batch_mode":
		res, err := s.p.PredictBatchMode(ctx, req.Date)
		return stageAnswer(res), err
	case "batch_start":
		st, err := s.p.StartBatchMode(ctx, req.Date)
		return batchJobAnswer(req.Date, st), err
	case "batch_check":
		if req.Job == "" {
			return nil, fmt.Errorf("%w: job is required", httpjson.ErrBadRequest)
		}
		st, err := s.p.CheckBatchMode(ctx, req.Date, req.Job)
		if errors.Is(err, pipeline.ErrBatchJobFailed) || errors.Is(err, pipeline.ErrNoBatchJobs) {
			err = services.Permanent(err)
		}
		return batchJobAnswer(req.Date, st), err
	}
	return nil, fmt.Errorf("%w: unknown action %q (plan, batch, finish, complete, batch_mode, batch_start, batch_check)",
		httpjson.ErrBadRequest, req.Action)
}

// plan counts the batches of a date and names the model that will predict them.
func (s *Service) plan(ctx context.Context, date string) (PlanAnswer, error) {
	plan, err := s.p.PlanPredictions(ctx, date)
	if err != nil {
		return PlanAnswer{}, err
	}
	a := PlanAnswer{Date: plan.Date, Rows: plan.Rows, Batches: plan.Batches, Model: plan.Model}
	if a.Model == "" && plan.Batches > 0 {
		sel, err := pipeline.SelectModel(ctx, s.p.WH, s.p.SQL.Tables().LTV, date)
		if err != nil {
			return PlanAnswer{}, fmt.Errorf("predict %s: %w", date, err)
		}
		a.Model = sel.Name
	}
	return a, nil
}

func stageAnswer(r pipeline.Result) StageAnswer {
	a := StageAnswer{Stage: r.Stage, Date: r.Date, Rows: r.Rows, Skipped: r.Skipped}
	if !r.Table.IsZero() {
		a.Table = r.Table.String()
	}
	return a
}

// count reads a required, non-negative number of the request.
func count(name string, v *int) (int, error) {
	if v == nil {
		return 0, fmt.Errorf("%w: %s is required", httpjson.ErrBadRequest, name)
	}
	if *v < 0 {
		return 0, fmt.Errorf("%w: %s is %d, want 0 or more", httpjson.ErrBadRequest, name, *v)
	}
	return *v, nil
}

func batchJobAnswer(date string, st pipeline.BatchModeStatus) BatchJobAnswer {
	a := BatchJobAnswer{Job: st.Job, Done: st.Done, StageAnswer: StageAnswer{Stage: pipeline.StagePredict, Date: date}}
	if st.Done {
		a.StageAnswer = stageAnswer(st.Result)
	}
	return a
}
