package engine

import (
	"context"
	"net/http"

	"github.com/pltv/pltv/workflows/engine/internal/value"
)

// Auth is the auth argument of an HTTP call: the identity Cloud Workflows attaches to the request, an ID
// token (OIDC, for Cloud Run and Cloud Run functions) or an access token (OAuth2, for googleapis.com), of
// the workflow's service account. Without it Cloud Workflows sends no identity.
type Auth struct {
	Type     string   // AuthOIDC or AuthOAuth2
	Audience string   // OIDC: the token's audience; the call's URL without its query when not given
	Scopes   []string // OAuth2: the token's scopes; cloud-platform when none are given
}

// The auth types Cloud Workflows knows.
const (
	AuthOIDC   = "OIDC"
	AuthOAuth2 = "OAuth2"
)

// Authorizer attaches the identity an auth argument asks for to a request (Options.Authorize).
type Authorizer func(req *http.Request, a Auth) error

type authKey struct{}

// AuthOf returns the auth argument of the HTTP call that made req, as the engine records it on the
// request's context (for an Options.HTTPClient's transport), and whether the call had one.
func AuthOf(req *http.Request) (Auth, bool) {
	a, ok := req.Context().Value(authKey{}).(Auth)
	return a, ok
}

// parseAuth reads an auth argument: a map with type OIDC (and an optional audience) or OAuth2 (and optional
// scopes or scope, a string or a list of strings).
func parseAuth(fn string, arg any, url string) (Auth, error) {
	m, ok := arg.(map[string]any)
	if !ok {
		return Auth{}, value.TypeErrorf("%s: auth must be a map, got %s", fn, value.TypeName(arg))
	}
	var a Auth
	a.Type, _ = m["type"].(string)
	switch a.Type {
	case AuthOIDC:
		if v, ok := m["audience"]; ok {
			if a.Audience, ok = v.(string); !ok {
				return Auth{}, value.TypeErrorf("%s: auth.audience must be a string, got %s", fn, value.TypeName(v))
			}
		}
		if a.Audience == "" {
			a.Audience = url
		}
	case AuthOAuth2:
		for _, k := range []string{"scopes", "scope"} {
			scopes, err := scopeList(fn, k, m[k])
			if err != nil {
				return Auth{}, err
			}
			a.Scopes = append(a.Scopes, scopes...)
		}
		if len(a.Scopes) == 0 {
			a.Scopes = []string{"https://www.googleapis.com/auth/cloud-platform"}
		}
	default:
		return Auth{}, value.ValueErrorf("%s: auth.type must be %s or %s, got %s", fn, AuthOIDC, AuthOAuth2, value.TypeName(m["type"]))
	}
	for k := range m {
		if k != "type" && k != "audience" && k != "scopes" && k != "scope" {
			return Auth{}, value.ValueErrorf("%s: unknown auth field %q", fn, k)
		}
	}
	return a, nil
}

func scopeList(fn, key string, v any) ([]string, error) {
	switch s := v.(type) {
	case nil:
		return nil, nil
	case string:
		return []string{s}, nil
	case []any:
		out := make([]string, len(s))
		for i, e := range s {
			str, ok := e.(string)
			if !ok {
				return nil, value.TypeErrorf("%s: auth.%s must hold strings, got %s", fn, key, value.TypeName(e))
			}
			out[i] = str
		}
		return out, nil
	}
	return nil, value.TypeErrorf("%s: auth.%s must be a string or a list, got %s", fn, key, value.TypeName(v))
}

// authorize records the auth on the request and lets the Authorizer attach the identity.
func (x *execution) authorize(ctx context.Context, fn string, req *http.Request, a Auth) (*http.Request, error) {
	req = req.WithContext(context.WithValue(ctx, authKey{}, a))
	if x.authorizer == nil {
		return req, nil
	}
	if err := x.authorizer(req, a); err != nil {
		return nil, value.Errorf(value.AuthError, "%s: %s auth for %s: %v", fn, a.Type, req.URL.Redacted(), err)
	}
	return req, nil
}
