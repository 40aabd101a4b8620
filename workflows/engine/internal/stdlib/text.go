package stdlib

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pltv/pltv/workflows/engine/internal/value"
)

func init() {
	register("text.find_all", []string{"source", "substr"}, 2, func(_ context.Context, a []any) (any, error) {
		src, sub, err := twoStrings("text.find_all", a, "source", "substr")
		if err != nil {
			return nil, err
		}
		out := []any{}
		if sub == "" {
			return out, nil
		}
		offset := 0
		for {
			i := strings.Index(src[offset:], sub)
			if i < 0 {
				return out, nil
			}
			at := offset + i
			out = append(out, map[string]any{"index": int64(utf8.RuneCountInString(src[:at])), "match": sub})
			offset = at + len(sub)
		}
	})
	register("text.find_all_regex", []string{"source", "regexp"}, 2, func(_ context.Context, a []any) (any, error) {
		src, pattern, err := twoStrings("text.find_all_regex", a, "source", "regexp")
		if err != nil {
			return nil, err
		}
		re, err := compileRegexp("text.find_all_regex", pattern)
		if err != nil {
			return nil, err
		}
		out := []any{}
		for _, loc := range re.FindAllStringIndex(src, -1) {
			out = append(out, map[string]any{
				"index": int64(utf8.RuneCountInString(src[:loc[0]])),
				"match": src[loc[0]:loc[1]],
			})
		}
		return out, nil
	})
	register("text.split", []string{"source", "separator"}, 2, func(_ context.Context, a []any) (any, error) {
		src, sep, err := twoStrings("text.split", a, "source", "separator")
		if err != nil {
			return nil, err
		}
		if sep == "" {
			return nil, value.ValueErrorf("text.split: separator must not be empty")
		}
		parts := strings.Split(src, sep)
		out := make([]any, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return out, nil
	})
	register("text.substring", []string{"source", "start", "end"}, 3, func(_ context.Context, a []any) (any, error) {
		src, err := str("text.substring", a[0], "source")
		if err != nil {
			return nil, err
		}
		start, err := asInt("text.substring", a[1], "start")
		if err != nil {
			return nil, err
		}
		end, err := asInt("text.substring", a[2], "end")
		if err != nil {
			return nil, err
		}
		runes := []rune(src)
		n := int64(len(runes))
		start = min(max(start, 0), n)
		end = min(max(end, 0), n)
		if start >= end {
			return "", nil
		}
		return string(runes[start:end]), nil
	})
	register("text.to_lower", []string{"source"}, 1, func(_ context.Context, a []any) (any, error) {
		s, err := str("text.to_lower", a[0], "source")
		return strings.ToLower(s), err
	})
	register("text.to_upper", []string{"source"}, 1, func(_ context.Context, a []any) (any, error) {
		s, err := str("text.to_upper", a[0], "source")
		return strings.ToUpper(s), err
	})
	register("text.replace_all", []string{"source", "substr", "repl"}, 3, func(_ context.Context, a []any) (any, error) {
		src, sub, err := twoStrings("text.replace_all", a, "source", "substr")
		if err != nil {
			return nil, err
		}
		repl, err := str("text.replace_all", a[2], "repl")
		if err != nil {
			return nil, err
		}
		if sub == "" {
			return src, nil
		}
		return strings.ReplaceAll(src, sub, repl), nil
	})
	register("text.replace_all_regex", []string{"source", "regexp", "repl"}, 3, func(_ context.Context, a []any) (any, error) {
		src, pattern, err := twoStrings("text.replace_all_regex", a, "source", "regexp")
		if err != nil {
			return nil, err
		}
		repl, err := str("text.replace_all_regex", a[2], "repl")
		if err != nil {
			return nil, err
		}
		re, err := compileRegexp("text.replace_all_regex", pattern)
		if err != nil {
			return nil, err
		}
		// Workflows uses \1-style group references; Go uses ${1}.
		goRepl := regexp.MustCompile(`\\(\d)`).ReplaceAllString(strings.ReplaceAll(repl, "$", "$$"), "$${$1}")
		return re.ReplaceAllString(src, goRepl), nil
	})
	register("text.match_regex", []string{"source", "regexp"}, 2, func(_ context.Context, a []any) (any, error) {
		src, pattern, err := twoStrings("text.match_regex", a, "source", "regexp")
		if err != nil {
			return nil, err
		}
		re, err := compileRegexp("text.match_regex", pattern)
		if err != nil {
			return nil, err
		}
		return re.MatchString(src), nil
	})
	register("text.encode", []string{"text", "charset"}, 1, func(_ context.Context, a []any) (any, error) {
		s, err := str("text.encode", a[0], "text")
		if err != nil {
			return nil, err
		}
		if err := checkCharset("text.encode", arg(a, 1)); err != nil {
			return nil, err
		}
		return []byte(s), nil
	})
	register("text.decode", []string{"data", "charset"}, 1, func(_ context.Context, a []any) (any, error) {
		b, ok := a[0].([]byte)
		if !ok {
			return nil, value.TypeErrorf("text.decode: data must be bytes, got %s", value.TypeName(a[0]))
		}
		if err := checkCharset("text.decode", arg(a, 1)); err != nil {
			return nil, err
		}
		if !utf8.Valid(b) {
			return nil, value.ValueErrorf("text.decode: data is not valid UTF-8")
		}
		return string(b), nil
	})
	register("text.url_encode", []string{"source"}, 1, func(_ context.Context, a []any) (any, error) {
		s, err := str("text.url_encode", a[0], "source")
		return strings.ReplaceAll(url.QueryEscape(s), "+", "%20"), err
	})
	register("text.url_encode_plus", []string{"source"}, 1, func(_ context.Context, a []any) (any, error) {
		s, err := str("text.url_encode_plus", a[0], "source")
		return url.QueryEscape(s), err
	})
	register("text.url_decode", []string{"source"}, 1, func(_ context.Context, a []any) (any, error) {
		s, err := str("text.url_decode", a[0], "source")
		if err != nil {
			return nil, err
		}
		out, err := url.QueryUnescape(s)
		if err != nil {
			return nil, value.ValueErrorf("text.url_decode: %v", err)
		}
		return out, nil
	})
}

func twoStrings(fn string, a []any, p1, p2 string) (string, string, error) {
	s1, err := str(fn, a[0], p1)
	if err != nil {
		return "", "", err
	}
	s2, err := str(fn, a[1], p2)
	return s1, s2, err
}

func checkCharset(fn string, v any) error {
	if v == nil {
		return nil
	}
	cs, ok := v.(string)
	if !ok {
		return value.TypeErrorf("%s: charset must be a string, got %s", fn, value.TypeName(v))
	}
	if !strings.EqualFold(cs, "UTF-8") && !strings.EqualFold(cs, "UTF8") {
		return value.ValueErrorf("%s: unsupported charset %q (only UTF-8 is supported locally)", fn, cs)
	}
	return nil
}

var regexpCache sync.Map // pattern -> *regexp.Regexp

func compileRegexp(fn, pattern string) (*regexp.Regexp, error) {
	if re, ok := regexpCache.Load(pattern); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, value.ValueErrorf("%s: invalid regular expression %q: %v", fn, pattern, err)
	}
	regexpCache.Store(pattern, re)
	return re, nil
}
