package googlesql

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pltv/pltv/warehouse"
)

// kind is the kind of a lexical token.
type kind int

const (
	tSpace   kind = iota // whitespace, newlines included
	tComment             // -- # or /* */ comment
	tIdent               // unquoted identifier or keyword
	tQuoted              // `quoted identifier`; val is its content
	tString              // string literal; val is its decoded value
	tBytes               // bytes literal; val is its decoded value
	tNumber              // numeric literal
	tParam               // @name; val is the name
	tSysVar              // @@name
	tOp                  // operator or punctuation
)

// token is one lexical token of the GoogleSQL source.
type token struct {
	kind kind
	text string // the source text
	val  string // decoded value (strings, quoted identifiers, parameter names)
	line int    // 1-based line where the token starts
}

// upper returns the token text upper-cased (keywords compare this way).
func (t token) upper() string { return strings.ToUpper(t.text) }

// is reports whether the token is the unquoted keyword or operator s (case-insensitive).
func (t token) is(s string) bool {
	return (t.kind == tIdent || t.kind == tOp) && strings.EqualFold(t.text, s)
}

// newlines counts the line breaks in the token's source text.
func (t token) newlines() int { return strings.Count(t.text, "\n") }

// tokenize splits GoogleSQL into tokens. Every byte of src belongs to exactly one token.
func tokenize(src string) ([]token, error) {
	var toks []token
	line := 1
	for i := 0; i < len(src); {
		start := i
		k, val, err := scan(src, &i)
		if err != nil {
			return nil, &warehouse.SQLError{Line: line, Message: err.Error()}
		}
		text := src[start:i]
		toks = append(toks, token{kind: k, text: text, val: val, line: line})
		line += strings.Count(text, "\n")
	}
	return toks, nil
}

// scan reads one token at *i and advances *i past it.
func scan(src string, i *int) (kind, string, error) {
	c := src[*i]
	switch {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
		for *i < len(src) && strings.IndexByte(" \t\n\r\f\v", src[*i]) >= 0 {
			*i++
		}
		return tSpace, "", nil
	case c == '#' || strings.HasPrefix(src[*i:], "--"):
		for *i < len(src) && src[*i] != '\n' {
			*i++
		}
		return tComment, "", nil
	case strings.HasPrefix(src[*i:], "/*"):
		end := strings.Index(src[*i+2:], "*/")
		if end < 0 {
			return 0, "", fmt.Errorf("unterminated comment")
		}
		*i += end + 4
		return tComment, "", nil
	case c == '`':
		end := strings.IndexByte(src[*i+1:], '`')
		if end < 0 {
			return 0, "", fmt.Errorf("unterminated quoted identifier")
		}
		val := src[*i+1 : *i+1+end]
		*i += end + 2
		return tQuoted, val, nil
	case c == '\'' || c == '"':
		return scanString(src, i, false, false)
	case (c == 'r' || c == 'R' || c == 'b' || c == 'B') && stringPrefix(src[*i:]) > 0:
		n := stringPrefix(src[*i:])
		prefix := strings.ToLower(src[*i : *i+n])
		*i += n
		return scanString(src, i, strings.Contains(prefix, "r"), strings.Contains(prefix, "b"))
	case isIdentStart(c):
		for *i < len(src) && isIdentPart(src[*i]) {
			*i++
		}
		return tIdent, "", nil
	case isDigit(c) || (c == '.' && *i+1 < len(src) && isDigit(src[*i+1])):
		scanNumber(src, i)
		return tNumber, "", nil
	case c == '@':
		j := *i + 1
		k := tParam
		if j < len(src) && src[j] == '@' {
			j++
			k = tSysVar
		}
		s := j
		for j < len(src) && isIdentPart(src[j]) {
			j++
		}
		if j == s {
			return 0, "", fmt.Errorf("parameter name expected after @")
		}
		*i = j
		return k, src[s:j], nil
	}
	for _, op := range []string{"<=", ">=", "<>", "!=", "||", "<<", ">>", "=>", "->"} {
		if strings.HasPrefix(src[*i:], op) {
			*i += len(op)
			return tOp, "", nil
		}
	}
	_, size := utf8.DecodeRuneInString(src[*i:])
	*i += size
	return tOp, "", nil
}

// stringPrefix returns the length of a r, b, rb or br prefix directly followed by a quote, or 0.
func stringPrefix(s string) int {
	n := 0
	for n < 2 && n < len(s) && strings.IndexByte("rRbB", s[n]) >= 0 {
		n++
	}
	if n == 2 && strings.EqualFold(s[:1], s[1:2]) {
		return 0
	}
	for ; n > 0; n-- {
		if n < len(s) && (s[n] == '\'' || s[n] == '"') {
			return n
		}
	}
	return 0
}

func scanString(src string, i *int, raw, bytes bool) (kind, string, error) {
	k := tString
	if bytes {
		k = tBytes
	}
	q := src[*i : *i+1]
	if strings.HasPrefix(src[*i:], q+q+q) {
		q = q + q + q
	}
	j := *i + len(q)
	var b strings.Builder
	for {
		if j >= len(src) {
			return 0, "", fmt.Errorf("unterminated string literal")
		}
		if strings.HasPrefix(src[j:], q) {
			*i = j + len(q)
			return k, b.String(), nil
		}
		c := src[j]
		if c == '\n' && len(q) == 1 {
			return 0, "", fmt.Errorf("unterminated string literal (newline in a non-triple-quoted string)")
		}
		if c != '\\' {
			b.WriteByte(c)
			j++
			continue
		}
		if j+1 >= len(src) {
			return 0, "", fmt.Errorf("unterminated string literal")
		}
		if raw {
			b.WriteString(src[j : j+2])
			j += 2
			continue
		}
		n, err := unescape(src[j:], &b)
		if err != nil {
			return 0, "", err
		}
		j += n
	}
}

// unescape decodes the escape sequence at the start of s (which starts with a backslash) into b and
// returns its length.
func unescape(s string, b *strings.Builder) (int, error) {
	simple := map[byte]byte{'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v',
		'\\': '\\', '?': '?', '"': '"', '\'': '\'', '`': '`'}
	if c, ok := simple[s[1]]; ok {
		b.WriteByte(c)
		return 2, nil
	}
	var digits, base int
	switch {
	case s[1] >= '0' && s[1] <= '7':
		digits, base = 3, 8
	case s[1] == 'x' || s[1] == 'X':
		digits, base = 2, 16
	case s[1] == 'u':
		digits, base = 4, 16
	case s[1] == 'U':
		digits, base = 8, 16
	default:
		return 0, fmt.Errorf("illegal escape sequence \\%c", s[1])
	}
	start := 2
	if base == 8 {
		start = 1
	}
	if len(s) < start+digits {
		return 0, fmt.Errorf("illegal escape sequence %q", s)
	}
	v, err := strconv.ParseUint(s[start:start+digits], base, 32)
	if err != nil {
		return 0, fmt.Errorf("illegal escape sequence %q", s[:start+digits])
	}
	if s[1] == 'u' || s[1] == 'U' {
		b.WriteRune(rune(v))
	} else {
		b.WriteByte(byte(v))
	}
	return start + digits, nil
}

func scanNumber(src string, i *int) {
	j := *i
	if strings.HasPrefix(strings.ToLower(src[j:]), "0x") {
		j += 2
		for j < len(src) && strings.IndexByte("0123456789abcdefABCDEF", src[j]) >= 0 {
			j++
		}
		*i = j
		return
	}
	for j < len(src) && (isDigit(src[j]) || src[j] == '.') {
		j++
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigit(src[k]) {
			j = k
			for j < len(src) && isDigit(src[j]) {
				j++
			}
		}
	}
	*i = j
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) }
