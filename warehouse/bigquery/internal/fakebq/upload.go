package fakebq

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	bqapi "google.golang.org/api/bigquery/v2"
)

// upload is an open resumable upload session.
type upload struct {
	project string
	job     *bqapi.Job
	data    []byte
}

// jobsUpload answers POST /upload/bigquery/v2/projects/{project}/jobs: a multipart upload (job resource and
// data in one request), the start of a resumable upload, or one chunk of it.
func (s *Server) jobsUpload(r *http.Request, req *Request) (any, error) {
	project := r.PathValue("project")
	switch t := req.Query.Get("uploadType"); {
	case t == "multipart":
		meta, media, err := splitMultipart(r.Header.Get("Content-Type"), req.Body)
		if err != nil {
			return nil, errInvalid("multipart upload: %v", err)
		}
		req.Body, req.Media = meta, media
		var in bqapi.Job
		if err := json.Unmarshal(meta, &in); err != nil {
			return nil, errInvalid("job resource: %v", err)
		}
		return s.startJob(project, "jobs.insert", &in, media)
	case t == "resumable" && req.Query.Get("upload_id") == "":
		var in bqapi.Job
		if err := req.Decode(&in); err != nil {
			return nil, errInvalid("job resource: %v", err)
		}
		s.mu.Lock()
		s.seq++
		id := strconv.Itoa(s.seq)
		s.uploads[id] = &upload{project: project, job: &in}
		s.mu.Unlock()
		loc := fmt.Sprintf("http://%s/upload/bigquery/v2/projects/%s/jobs?uploadType=resumable&upload_id=%s", r.Host, project, id)
		return raw{status: http.StatusOK, header: http.Header{"Location": {loc}}}, nil
	case t == "resumable":
		req.Call = "jobs.insert.upload"
		req.Media, req.Body = req.Body, nil
		return s.uploadChunk(req.Query.Get("upload_id"), r.Header.Get("Content-Range"), req.Media)
	default:
		return nil, errInvalid("unknown uploadType %q", t)
	}
}

// uploadChunk appends one chunk to a resumable upload; the last chunk (the one that states the total size)
// starts the job.
func (s *Server) uploadChunk(id, contentRange string, chunk []byte) (any, error) {
	s.mu.Lock()
	u, ok := s.uploads[id]
	if !ok {
		s.mu.Unlock()
		return nil, errNotFound("upload session %s", id)
	}
	rng, total, ok := strings.Cut(strings.TrimPrefix(contentRange, "bytes "), "/")
	if !ok {
		s.mu.Unlock()
		return nil, errInvalid("bad Content-Range %q", contentRange)
	}
	if rng != "*" {
		first, _, _ := strings.Cut(rng, "-")
		if off, err := strconv.Atoi(first); err != nil || off != len(u.data) {
			s.mu.Unlock()
			return nil, errInvalid("chunk at %q does not follow the %d bytes received", rng, len(u.data))
		}
		u.data = append(u.data, chunk...)
	}
	if total == "*" {
		n := len(u.data)
		s.mu.Unlock()
		return raw{status: http.StatusOK, header: http.Header{
			"X-Http-Status-Code-Override": {"308"},
			"Range":                       {fmt.Sprintf("bytes=0-%d", n-1)},
		}}, nil
	}
	if size, err := strconv.Atoi(total); err != nil || size != len(u.data) {
		s.mu.Unlock()
		return nil, errInvalid("upload of %d bytes declared %s", len(u.data), total)
	}
	delete(s.uploads, id)
	s.mu.Unlock()
	return s.startJob(u.project, "jobs.insert", u.job, append([]byte{}, u.data...))
}

func splitMultipart(contentType string, body []byte) (meta, media []byte, err error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, nil, err
	}
	if !strings.HasPrefix(mt, "multipart/") {
		return nil, nil, fmt.Errorf("content type %s is not multipart", mt)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var parts [][]byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, nil, err
		}
		parts = append(parts, b)
	}
	if len(parts) != 2 {
		return nil, nil, fmt.Errorf("%d parts, want the job resource and the data", len(parts))
	}
	return parts[0], parts[1], nil
}
