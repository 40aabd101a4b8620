package fakebq

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	bqapi "google.golang.org/api/bigquery/v2"
)

// job is one job. Its effects happen when it is inserted; pending status reads answer RUNNING before the
// job shows as DONE.
type job struct {
	ref     bqapi.JobReference
	config  *bqapi.JobConfiguration
	pending int
	err     *bqapi.ErrorProto
	errs    []*bqapi.ErrorProto
	created int64

	// results of a query job
	schema        *bqapi.TableSchema
	rows          []row
	statementType string
	dml           int64

	outputRows int64 // load and copy jobs
}

func (j *job) fail(e *bqapi.ErrorProto, more ...*bqapi.ErrorProto) {
	j.err = e
	j.errs = append([]*bqapi.ErrorProto{e}, more...)
}

func jobKey(project, id string) string { return project + ":" + id }

func (s *Server) jobsInsert(r *http.Request, req *Request) (any, error) {
	var in bqapi.Job
	if err := req.Decode(&in); err != nil {
		return nil, errInvalid("job resource: %v", err)
	}
	return s.startJob(r.PathValue("project"), "jobs.insert", &in, nil)
}

// startJob creates and runs a job; media is the uploaded data of a load job.
func (s *Server) startJob(project, call string, in *bqapi.Job, media []byte) (*bqapi.Job, error) {
	cfg := in.Configuration
	if cfg == nil {
		return nil, errInvalid("job configuration is required")
	}
	ref := bqapi.JobReference{ProjectId: project}
	if in.JobReference != nil {
		ref = *in.JobReference
	}
	s.mu.Lock()
	if ref.JobId == "" {
		s.seq++
		ref.JobId = fmt.Sprintf("job_fake_%d", s.seq)
	}
	if ref.Location == "" {
		ref.Location = s.location
	}
	_, dup := s.jobs[jobKey(ref.ProjectId, ref.JobId)]
	s.mu.Unlock()
	if dup {
		return nil, &apiError{Code: http.StatusConflict, Reason: "duplicate",
			Message: fmt.Sprintf("Already Exists: Job %s:%s.%s", ref.ProjectId, ref.Location, ref.JobId)}
	}
	j := &job{ref: ref, config: cfg}

	var answer Answer
	if q := cfg.Query; q != nil {
		answer = s.script(Query{Call: call, JobID: ref.JobId, Location: ref.Location, SQL: q.Query,
			Params: q.QueryParameters, Destination: q.DestinationTable, Write: q.WriteDisposition, Labels: cfg.Labels})
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	j.created = s.now().UnixMilli()
	j.pending = s.polls
	switch {
	case cfg.Query != nil:
		if err := s.runQuery(j, answer); err != nil {
			return nil, err
		}
	case cfg.Load != nil:
		if media == nil {
			return nil, errInvalid("the fake loads only uploaded data, not %v", cfg.Load.SourceUris)
		}
		s.runLoad(j, media)
	case cfg.Copy != nil:
		s.runCopy(j)
	default:
		return nil, errInvalid("the fake runs query, load and copy jobs only")
	}
	s.jobs[jobKey(ref.ProjectId, ref.JobId)] = j
	return s.jobResource(j, j.pending > 0), nil
}

// lookupJob finds a job the way jobs.get and getQueryResults do: a location, when given, must match.
func (s *Server) lookupJob(r *http.Request) (*job, error) {
	project, id := r.PathValue("project"), r.PathValue("job")
	j, ok := s.jobs[jobKey(project, id)]
	loc := r.URL.Query().Get("location")
	if !ok || (loc != "" && loc != j.ref.Location) {
		if loc == "" {
			loc = s.location
		}
		return nil, errNotFound("Job %s:%s.%s", project, loc, id)
	}
	return j, nil
}

// observe is one status read of the job: it reports whether the job is still running.
func (j *job) observe() (running bool) {
	if j.pending > 0 {
		j.pending--
		return true
	}
	return false
}

func (s *Server) jobsGet(r *http.Request, _ *Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, err := s.lookupJob(r)
	if err != nil {
		return nil, err
	}
	return s.jobResource(j, j.observe()), nil
}

// jobResource is the job as jobs.insert and jobs.get answer it, RUNNING or DONE.
func (s *Server) jobResource(j *job, running bool) *bqapi.Job {
	ref := j.ref
	status := &bqapi.JobStatus{State: "DONE"}
	stats := &bqapi.JobStatistics{CreationTime: j.created, StartTime: j.created}
	if running {
		status.State = "RUNNING"
	} else {
		status.ErrorResult, status.Errors = j.err, j.errs
		stats.EndTime = j.created
	}
	switch {
	case j.config.Query != nil:
		stats.Query = &bqapi.JobStatistics2{StatementType: j.statementType, NumDmlAffectedRows: j.dml}
	case j.config.Load != nil:
		stats.Load = &bqapi.JobStatistics3{OutputRows: j.outputRows, InputFiles: 1}
	case j.config.Copy != nil:
		stats.Copy = &bqapi.JobStatistics5{CopiedRows: j.outputRows}
	}
	return &bqapi.Job{
		Kind:          "bigquery#job",
		Id:            fmt.Sprintf("%s:%s.%s", ref.ProjectId, ref.Location, ref.JobId),
		JobReference:  &ref,
		Configuration: j.config,
		Status:        status,
		Statistics:    stats,
	}
}

func (s *Server) jobsQuery(r *http.Request, req *Request) (any, error) {
	var in bqapi.QueryRequest
	if err := req.Decode(&in); err != nil {
		return nil, errInvalid("query request: %v", err)
	}
	job := &bqapi.Job{
		JobReference: &bqapi.JobReference{ProjectId: r.PathValue("project"), Location: in.Location},
		Configuration: &bqapi.JobConfiguration{
			Labels: in.Labels,
			Query: &bqapi.JobConfigurationQuery{
				Query: in.Query, QueryParameters: in.QueryParameters, UseLegacySql: in.UseLegacySql,
				DefaultDataset: in.DefaultDataset, ParameterMode: in.ParameterMode,
			},
		},
	}
	started, err := s.startJob(r.PathValue("project"), "jobs.query", job, nil)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.jobs[jobKey(started.JobReference.ProjectId, started.JobReference.JobId)]
	ref := j.ref
	if j.observe() {
		return &bqapi.QueryResponse{Kind: "bigquery#queryResponse", JobReference: &ref, QueryId: ref.JobId}, nil
	}
	if j.err != nil {
		return nil, httpError(j.err)
	}
	q := url.Values{}
	if in.MaxResults > 0 {
		q.Set("maxResults", strconv.FormatInt(in.MaxResults, 10))
	}
	start, end, next, perr := page(len(j.rows), q, s.pageRows)
	if perr != nil {
		return nil, perr
	}
	int64ts := in.FormatOptions != nil && in.FormatOptions.UseInt64Timestamp
	return withRows(&bqapi.QueryResponse{
		Kind: "bigquery#queryResponse", JobReference: &ref, QueryId: ref.JobId, JobComplete: true,
		Schema: j.schema, TotalRows: uint64(len(j.rows)), PageToken: next,
		NumDmlAffectedRows: j.dml, StatementType: j.statementType,
	}, tableRows(j.rows[start:end], int64ts))
}

func (s *Server) jobsGetQueryResults(r *http.Request, _ *Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, err := s.lookupJob(r)
	if err != nil {
		return nil, err
	}
	ref := j.ref
	if j.config.Query == nil {
		return nil, errInvalid("Job %s is not a query job", ref.JobId)
	}
	if j.observe() {
		return &bqapi.GetQueryResultsResponse{Kind: "bigquery#getQueryResultsResponse", JobReference: &ref}, nil
	}
	if j.err != nil {
		return nil, httpError(j.err)
	}
	start, end, next, perr := page(len(j.rows), r.URL.Query(), s.pageRows)
	if perr != nil {
		return nil, perr
	}
	return withRows(&bqapi.GetQueryResultsResponse{
		Kind: "bigquery#getQueryResultsResponse", JobReference: &ref, JobComplete: true,
		Schema: j.schema, TotalRows: uint64(len(j.rows)), PageToken: next, NumDmlAffectedRows: j.dml,
	}, tableRows(j.rows[start:end], int64Timestamps(r)))
}
