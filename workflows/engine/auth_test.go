package engine_test

import (
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pltv/pltv/workflows/engine"
)

// authRecorder is an Authorizer and an HTTP transport that keep the auth of every call.
type authRecorder struct {
	mu         sync.Mutex
	authorized []engine.Auth // as the Authorizer saw them
	sent       []string      // "auth type audience" as the transport saw them (AuthOf), "none" without
	refuse     error
}

func (r *authRecorder) authorize(req *http.Request, a engine.Auth) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.authorized = append(r.authorized, a)
	return r.refuse
}

func (r *authRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	a, ok := engine.AuthOf(req)
	r.mu.Lock()
	if ok {
		r.sent = append(r.sent, a.Type+" "+a.Audience)
	} else {
		r.sent = append(r.sent, "none")
	}
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func TestAuthIsRecordedOnTheCall(t *testing.T) {
	ts := echoServer(t)
	rec := &authRecorder{}
	runCases(t, []runCase{{name: "OIDC, OAuth2 and none", arg: ts.URL, src: `
main:
  params: [base]
  steps:
    - oidc:
        call: http.get
        args:
          url: ${base + "/fn?x=1"}
          auth:
            type: OIDC
    - audience:
        call: http.post
        args:
          url: ${base + "/fn"}
          auth:
            type: OIDC
            audience: https://fn.example
    - oauth2:
        call: http.get
        args:
          url: ${base + "/api"}
          auth:
            type: OAuth2
            scopes: [https://www.googleapis.com/auth/bigquery]
    - none:
        call: http.get
        args:
          url: ${base}
    - ret:
        return: done
`, want: `"done"`}}, func() engine.Options {
		return engine.Options{Authorize: rec.authorize, HTTPClient: &http.Client{Transport: rec}}
	})
	want := []engine.Auth{
		{Type: engine.AuthOIDC, Audience: ts.URL + "/fn"}, // the URL without its query by default
		{Type: engine.AuthOIDC, Audience: "https://fn.example"},
		{Type: engine.AuthOAuth2, Scopes: []string{"https://www.googleapis.com/auth/bigquery"}},
	}
	if diff := cmp.Diff(want, rec.authorized); diff != "" {
		t.Errorf("authorized (-want +got):\n%s", diff)
	}
	wantSent := []string{"OIDC " + ts.URL + "/fn", "OIDC https://fn.example", "OAuth2 ", "none"}
	if diff := cmp.Diff(wantSent, rec.sent); diff != "" {
		t.Errorf("recorded on the requests (-want +got):\n%s", diff)
	}
}

func TestBadAuth(t *testing.T) {
	ts := echoServer(t)
	call := func(auth string) string {
		return `
main:
  params: [base]
  steps:
    - a:
        call: http.get
        args:
          url: ${base}
          auth: ` + auth + `
        result: r
    - ret:
        return: ${r.code}
`
	}
	runCases(t, []runCase{
		{name: "an audience that is not a string", arg: ts.URL, src: call("\n            type: OIDC\n            audience: ${1}"),
			tags: []string{"TypeError"}},
	}, nil)
	for _, auth := range []string{`{type: Basic}`, `"OIDC"`} {
		if _, err := engine.Parse([]byte(call(auth))); err == nil {
			t.Errorf("auth %s deploys", auth)
		}
	}
	refused := &authRecorder{refuse: errors.New("no credentials")}
	runCases(t, []runCase{
		{name: "no identity to attach", arg: ts.URL, src: call(`{type: OIDC}`), tags: []string{"AuthError"}},
	}, func() engine.Options { return engine.Options{Authorize: refused.authorize} })
}
