package engine_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pltv/pltv/workflows/engine"
)

// echoServer answers with what it received, as JSON, or with the body and content type the path asks for.
func echoServer(t *testing.T) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/text":
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = io.WriteString(w, "plain text")
			return
		case "/bytes":
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write([]byte{0, 1, 2})
			return
		case "/empty":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNoContent)
			return
		case "/slow":
			<-r.Context().Done()
			return
		case "/drop":
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_, _ = conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial"))
				conn.Close()
			}
			return
		}
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Served-By", "echo")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"method":      r.Method,
			"path":        r.URL.Path,
			"query":       r.URL.Query(),
			"header":      r.Header.Get("X-Test"),
			"contentType": r.Header.Get("Content-Type"),
			"body":        string(body),
		})
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestHTTP(t *testing.T) {
	ts := echoServer(t)
	runCases(t, []runCase{
		{name: "get with query and headers", arg: ts.URL, src: `
main:
  params: [base]
  steps:
    - get:
        call: http.get
        args:
          url: ${base + "/items?fixed=1"}
          query:
            q: ${"a b"}
            n: 3
            multi: [x, y]
          headers:
            X-Test: hello
          auth:
            type: OIDC
          timeout: 30
        result: r
    - ret:
        return: ${[r.code, r.headers["X-Served-By"], r.body.method, r.body.path, r.body.query, r.body.header]}
`, want: `[200,"echo","GET","/items",{"fixed":["1"],"multi":["x","y"],"n":["3"],"q":["a b"]},"hello"]`},
		{name: "post encodes a map as JSON", arg: ts.URL, src: `
main:
  params: [base]
  steps:
    - post:
        call: http.post
        args:
          url: ${base}
          body:
            name: x
            n: 1.0
        result: r
    - ret:
        return: ${[r.body.method, r.body.contentType, json.decode(r.body.body)]}
`, want: `["POST","application/json",{"n":1.0,"name":"x"}]`},
		{name: "a string body is JSON too unless a content type says otherwise", arg: ts.URL, src: `
main:
  params: [base]
  steps:
    - asJSON:
        call: http.put
        args:
          url: ${base}
          body: hi
        result: j
    - asText:
        call: http.put
        args:
          url: ${base}
          headers:
            Content-Type: text/plain
          body: hi
        result: t
    - ret:
        return: ${[j.body.body, t.body.body, t.body.contentType]}
`, want: `["\"hi\"","hi","text/plain"]`},
		{name: "bytes are sent as they are", arg: ts.URL, src: `
main:
  params: [base]
  steps:
    - patch:
        call: http.patch
        args:
          url: ${base}
          body: ${text.encode("raw")}
        result: r
    - ret:
        return: ${[r.body.method, r.body.contentType, r.body.body]}
`, want: `["PATCH","application/octet-stream","raw"]`},
		{name: "form encoding", arg: ts.URL, src: `
main:
  params: [base]
  steps:
    - post:
        call: http.post
        args:
          url: ${base}
          headers:
            Content-Type: application/x-www-form-urlencoded
          body:
            a: 1
            b: two words
        result: r
    - ret:
        return: ${r.body.body}
`, want: `"a=1&b=two+words"`},
		{name: "http.request with a method", arg: ts.URL, src: `
main:
  params: [base]
  steps:
    - del:
        call: http.request
        args:
          url: ${base + "/x"}
          method: DELETE
        result: r
    - ret:
        return: ${r.body.method}
`, want: `"DELETE"`},
		{name: "text, bytes and empty responses", arg: ts.URL, src: `
main:
  params: [base]
  steps:
    - text:
        call: http.get
        args:
          url: ${base + "/text"}
        result: t
    - bin:
        call: http.get
        args:
          url: ${base + "/bytes"}
        result: b
    - empty:
        call: http.delete
        args:
          url: ${base + "/empty"}
        result: e
    - ret:
        return: ${[t.body, type(b.body), base64.encode(b.body), e.code, e.body]}
`, want: `["plain text","bytes","AAEC",204,null]`},
		{name: "timeout raises TimeoutError", arg: ts.URL, src: `
main:
  params: [base]
  steps:
    - slow:
        call: http.get
        args:
          url: ${base + "/slow"}
          timeout: 0.1
`, tags: []string{"TimeoutError"}, step: "slow"},
		{name: "a dropped connection raises ConnectionError", arg: ts.URL, src: `
main:
  params: [base]
  steps:
    - drop:
        call: http.get
        args:
          url: ${base + "/drop"}
`, tags: []string{"ConnectionError"}, step: "drop"},
		{name: "a bad url is a ValueError", src: `
- bad:
    call: http.get
    args:
      url: ${"not a url"}
`, tags: []string{"ValueError"}, step: "bad"},
		{name: "a timeout above 1800 seconds is a ValueError", arg: ts.URL, src: `
main:
  params: [base]
  steps:
    - long:
        call: http.get
        args:
          url: ${base}
          timeout: 1801
`, tags: []string{"ValueError"}, step: "long"},
	}, func() engine.Options { return engine.Options{} })
}
