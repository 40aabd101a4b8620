package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pltv/pltv/workflows/engine/internal/value"
)

const maxResponseBytes = 2 << 20 // Cloud Workflows' HTTP response size limit

// httpMethod returns the builtin for http.get/post/put/patch/delete, or for http.request when method is "".
func httpMethod(method string) builtinFunc {
	return func(ctx context.Context, x *execution, at site, args []any) (any, error) {
		name := "http." + strings.ToLower(method)
		if method == "" {
			name = "http.request"
			m, ok := argAt(args, 1).(string)
			if !ok {
				return nil, value.TypeErrorf("http.request: method must be a string, got %s", value.TypeName(argAt(args, 1)))
			}
			method = strings.ToUpper(m)
		} else if argAt(args, 1) != nil {
			return nil, value.TypeErrorf("%s: method is only an argument of http.request", name)
		}
		req, timeout, auth, err := buildRequest(ctx, name, method, args)
		if err != nil {
			return nil, err
		}
		if auth != nil {
			if req, err = x.authorize(ctx, name, req, *auth); err != nil {
				return nil, err
			}
		}
		return x.doHTTP(ctx, name, req, timeout)
	}
}

// buildRequest makes the request of an HTTP call, with its timeout and its auth argument (nil: none).
func buildRequest(ctx context.Context, fn, method string, args []any) (*http.Request, time.Duration, *Auth, error) {
	rawURL, ok := args[0].(string)
	if !ok {
		return nil, 0, nil, value.TypeErrorf("%s: url must be a string, got %s", fn, value.TypeName(args[0]))
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, 0, nil, value.ValueErrorf("%s: invalid url %q", fn, rawURL)
	}
	headers := http.Header{}
	if h := argAt(args, 2); h != nil {
		hm, ok := h.(map[string]any)
		if !ok {
			return nil, 0, nil, value.TypeErrorf("%s: headers must be a map, got %s", fn, value.TypeName(h))
		}
		for k, v := range hm {
			s, err := scalarString(v)
			if err != nil {
				return nil, 0, nil, value.TypeErrorf("%s: header %s: %v", fn, k, err)
			}
			headers.Set(k, s)
		}
	}
	if q := argAt(args, 4); q != nil {
		qm, ok := q.(map[string]any)
		if !ok {
			return nil, 0, nil, value.TypeErrorf("%s: query must be a map, got %s", fn, value.TypeName(q))
		}
		vals := u.Query()
		for _, k := range value.SortedKeys(qm) {
			items, isList := qm[k].([]any)
			if !isList {
				items = []any{qm[k]}
			}
			for _, item := range items {
				s, err := scalarString(item)
				if err != nil {
					return nil, 0, nil, value.TypeErrorf("%s: query parameter %s: %v", fn, k, err)
				}
				vals.Add(k, s)
			}
		}
		u.RawQuery = vals.Encode()
	}
	var auth *Auth
	if a := argAt(args, 5); a != nil {
		audience := *u
		audience.RawQuery, audience.Fragment = "", ""
		parsed, err := parseAuth(fn, a, audience.String())
		if err != nil {
			return nil, 0, nil, err
		}
		auth = &parsed
	}
	timeout := float64(defaultHTTPTimeout)
	if t := argAt(args, 6); t != nil {
		var ok bool
		if timeout, ok = value.ToFloat(t); !ok {
			return nil, 0, nil, value.TypeErrorf("%s: timeout must be a number of seconds, got %s", fn, value.TypeName(t))
		}
		if timeout <= 0 || timeout > maxHTTPTimeout {
			return nil, 0, nil, value.ValueErrorf("%s: timeout must be between 0 and %d seconds, got %v", fn, maxHTTPTimeout, timeout)
		}
	}
	body, err := encodeBody(fn, argAt(args, 3), headers)
	if err != nil {
		return nil, 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, 0, nil, value.ValueErrorf("%s: %v", fn, err)
	}
	req.Header = headers
	return req, time.Duration(timeout * float64(time.Second)), auth, nil
}

// encodeBody encodes a request body by its Content-Type header, setting the header when it is absent:
// bytes are sent as they are, anything else is JSON unless the content type says otherwise.
func encodeBody(fn string, body any, headers http.Header) (io.Reader, error) {
	if body == nil {
		return nil, nil
	}
	ct := headers.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	switch b := body.(type) {
	case []byte:
		if ct == "" {
			headers.Set("Content-Type", "application/octet-stream")
		}
		return bytes.NewReader(b), nil
	case string:
		if ct != "" && !isJSONType(mt) {
			return strings.NewReader(b), nil
		}
	case map[string]any:
		if mt == "application/x-www-form-urlencoded" {
			form := url.Values{}
			for k, v := range b {
				s, err := scalarString(v)
				if err != nil {
					return nil, value.TypeErrorf("%s: form field %s: %v", fn, k, err)
				}
				form.Set(k, s)
			}
			return strings.NewReader(form.Encode()), nil
		}
	}
	if ct != "" && !isJSONType(mt) {
		return nil, value.TypeErrorf("%s: a %s body cannot be sent as %s", fn, value.TypeName(body), ct)
	}
	data, err := value.MarshalJSON(body)
	if err != nil {
		return nil, value.ValueErrorf("%s: body: %v", fn, err)
	}
	if ct == "" {
		headers.Set("Content-Type", "application/json")
	}
	return bytes.NewReader(data), nil
}

func isJSONType(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func scalarString(v any) (string, error) {
	switch s := v.(type) {
	case string:
		return s, nil
	case int64:
		return strconv.FormatInt(s, 10), nil
	case float64:
		return value.FormatDouble(s), nil
	case bool:
		return strconv.FormatBool(s), nil
	}
	return "", fmt.Errorf("a value of type %s cannot be sent as text", value.TypeName(v))
}

func (x *execution) doHTTP(ctx context.Context, fn string, req *http.Request, timeout time.Duration) (any, error) {
	rctx, cancel := context.WithTimeout(req.Context(), timeout)
	defer cancel()
	resp, err := x.client.Do(req.WithContext(rctx))
	if err != nil {
		return nil, classifyHTTPError(ctx, fn, req, timeout, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, classifyHTTPError(ctx, fn, req, timeout, err)
	}
	if len(data) > maxResponseBytes {
		return nil, value.Errorf(value.ResourceLimitError, "%s: the response from %s is larger than %d bytes", fn, req.URL.Redacted(), maxResponseBytes)
	}
	headers := make(map[string]any, len(resp.Header))
	for k, vs := range resp.Header {
		headers[k] = strings.Join(vs, ", ")
	}
	body, err := decodeBody(resp.Header.Get("Content-Type"), data)
	if err != nil {
		return nil, value.Errorf(value.ValueError, "%s: the response from %s is not valid JSON: %v", fn, req.URL.Redacted(), err)
	}
	if resp.StatusCode >= 400 {
		return nil, &value.Exception{Value: map[string]any{
			"tags":    []any{value.HttpError},
			"message": fmt.Sprintf("HTTP server responded with error code %d", resp.StatusCode),
			"code":    int64(resp.StatusCode),
			"headers": headers,
			"body":    body,
		}}
	}
	return map[string]any{"code": int64(resp.StatusCode), "headers": headers, "body": body}, nil
}

// decodeBody gives a response body as JSON when its content type says so, as text for text types, and as
// bytes otherwise.
func decodeBody(contentType string, data []byte) (any, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case isJSONType(mt):
		if len(bytes.TrimSpace(data)) == 0 {
			return nil, nil
		}
		return value.UnmarshalJSON(data)
	case strings.HasPrefix(mt, "text/"), mt == "application/xml", mt == "application/javascript":
		return string(data), nil
	case len(data) == 0:
		return nil, nil
	}
	return data, nil
}

// classifyHTTPError maps a transport failure to the documented error tags.
func classifyHTTPError(ctx context.Context, fn string, req *http.Request, timeout time.Duration, err error) error {
	if ctx.Err() != nil {
		return ctx.Err() // the execution itself was cancelled
	}
	target := req.URL.Redacted()
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return value.Errorf(value.TimeoutError, "%s: %s did not answer within %s", fn, target, timeout)
	case errors.As(err, &dnsErr):
		return value.Errorf(value.ConnectionFailedError, "%s: cannot resolve the host of %s: %v", fn, target, dnsErr)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return value.Errorf(value.ConnectionFailedError, "%s: cannot connect to %s: %v", fn, target, opErr.Err)
	}
	return value.Errorf(value.ConnectionError, "%s: the connection to %s failed before a full response: %v", fn, target, err)
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
