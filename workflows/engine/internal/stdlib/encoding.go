package stdlib

import (
	"context"
	"encoding/base64"
	"strings"

	"github.com/pltv/pltv/workflows/engine/internal/value"
)

func init() {
	register("json.encode", []string{"data", "indent"}, 1, func(_ context.Context, a []any) (any, error) {
		s, err := encodeJSON("json.encode", a)
		if err != nil {
			return nil, err
		}
		return []byte(s), nil
	})
	register("json.encode_to_string", []string{"data", "indent"}, 1, func(_ context.Context, a []any) (any, error) {
		return encodeJSON("json.encode_to_string", a)
	})
	register("json.decode", []string{"data"}, 1, func(_ context.Context, a []any) (any, error) {
		var data []byte
		switch d := a[0].(type) {
		case []byte:
			data = d
		case string:
			data = []byte(d)
		default:
			return nil, value.TypeErrorf("json.decode: data must be bytes or a string, got %s", value.TypeName(a[0]))
		}
		v, err := value.UnmarshalJSON(data)
		if err != nil {
			return nil, value.ValueErrorf("json.decode: %v", err)
		}
		return v, nil
	})
	register("base64.encode", []string{"data", "padding"}, 1, func(_ context.Context, a []any) (any, error) {
		b, ok := a[0].([]byte)
		if !ok {
			return nil, value.TypeErrorf("base64.encode: data must be bytes, got %s", value.TypeName(a[0]))
		}
		enc, err := base64Encoding("base64.encode", arg(a, 1))
		if err != nil {
			return nil, err
		}
		return enc.EncodeToString(b), nil
	})
	register("base64.decode", []string{"data", "padding"}, 1, func(_ context.Context, a []any) (any, error) {
		s, err := str("base64.decode", a[0], "data")
		if err != nil {
			return nil, err
		}
		enc, err := base64Encoding("base64.decode", arg(a, 1))
		if err != nil {
			return nil, err
		}
		b, err := enc.DecodeString(s)
		if err != nil {
			return nil, value.ValueErrorf("base64.decode: %v", err)
		}
		return b, nil
	})
}

func encodeJSON(fn string, a []any) (string, error) {
	if value.ContainsBytes(a[0]) {
		return "", value.TypeErrorf("%s: bytes cannot be encoded as JSON", fn)
	}
	indent := ""
	switch in := arg(a, 1).(type) {
	case nil:
	case bool:
		if in {
			indent = "  "
		}
	case int64:
		if in < 0 {
			return "", value.ValueErrorf("%s: indent must not be negative", fn)
		}
		indent = strings.Repeat(" ", int(in))
	case string:
		indent = in
	default:
		return "", value.TypeErrorf("%s: indent must be a boolean, an integer or a string, got %s", fn, value.TypeName(in))
	}
	var b []byte
	var err error
	if indent == "" {
		b, err = value.MarshalJSON(a[0])
	} else {
		b, err = value.MarshalJSONIndent(a[0], indent)
	}
	if err != nil {
		return "", value.ValueErrorf("%s: %v", fn, err)
	}
	return string(b), nil
}

func base64Encoding(fn string, padding any) (*base64.Encoding, error) {
	switch p := padding.(type) {
	case nil:
		return base64.StdEncoding, nil
	case bool:
		if p {
			return base64.StdEncoding, nil
		}
		return base64.RawStdEncoding, nil
	}
	return nil, value.TypeErrorf("%s: padding must be a boolean, got %s", fn, value.TypeName(padding))
}
