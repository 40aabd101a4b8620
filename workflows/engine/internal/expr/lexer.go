package expr

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

type tokenKind int

const (
	tEOF tokenKind = iota
	tInt
	tFloat
	tString
	tIdent
	tOp // operators and punctuation, text in tok.text
)

type token struct {
	kind tokenKind
	text string // operator text, identifier, or the decoded string
	pos  int    // byte offset in the expression
	i    int64
	f    float64
}

// SyntaxError is an expression that cannot be parsed. Pos is the byte offset within the expression text.
type SyntaxError struct {
	Expr string
	Pos  int
	Msg  string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid expression %q at column %d: %s", e.Expr, e.Pos+1, e.Msg)
}

func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isDigit(c):
			start := i
			for i < len(src) && isDigit(src[i]) {
				i++
			}
			isFloat := false
			if i+1 < len(src) && src[i] == '.' && isDigit(src[i+1]) {
				isFloat = true
				i++
				for i < len(src) && isDigit(src[i]) {
					i++
				}
			}
			if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
				j := i + 1
				if j < len(src) && (src[j] == '+' || src[j] == '-') {
					j++
				}
				if j < len(src) && isDigit(src[j]) {
					isFloat = true
					i = j
					for i < len(src) && isDigit(src[i]) {
						i++
					}
				}
			}
			text := src[start:i]
			if isFloat {
				f, err := strconv.ParseFloat(text, 64)
				if err != nil {
					return nil, &SyntaxError{src, start, "invalid number " + text}
				}
				toks = append(toks, token{kind: tFloat, text: text, pos: start, f: f})
			} else {
				n, err := strconv.ParseInt(text, 10, 64)
				if err != nil {
					return nil, &SyntaxError{src, start, "integer out of range " + text}
				}
				toks = append(toks, token{kind: tInt, text: text, pos: start, i: n})
			}
		case isIdentStart(c):
			start := i
			for i < len(src) && isIdentPart(src[i]) {
				i++
			}
			toks = append(toks, token{kind: tIdent, text: src[start:i], pos: start})
		case c == '"' || c == '\'':
			s, n, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tString, text: s, pos: i})
			i += n
		default:
			op := ""
			for _, cand := range []string{"//", "==", "!=", "<=", ">="} {
				if strings.HasPrefix(src[i:], cand) {
					op = cand
					break
				}
			}
			if op == "" {
				if !strings.ContainsRune("+-*/%<>()[]{},.:", rune(c)) {
					r, _ := utf8.DecodeRuneInString(src[i:])
					return nil, &SyntaxError{src, i, fmt.Sprintf("unexpected character %q", r)}
				}
				op = string(c)
			}
			toks = append(toks, token{kind: tOp, text: op, pos: i})
			i += len(op)
		}
	}
	return append(toks, token{kind: tEOF, pos: len(src)}), nil
}

func lexString(src string, start int) (string, int, error) {
	quote := src[start]
	var sb strings.Builder
	i := start + 1
	for i < len(src) {
		c := src[i]
		switch {
		case c == quote:
			return sb.String(), i + 1 - start, nil
		case c == '\\':
			if i+1 >= len(src) {
				return "", 0, &SyntaxError{src, i, "unterminated escape"}
			}
			e := src[i+1]
			switch e {
			case 'n':
				sb.WriteByte('\n')
			case 't':
				sb.WriteByte('\t')
			case 'r':
				sb.WriteByte('\r')
			case 'b':
				sb.WriteByte('\b')
			case 'f':
				sb.WriteByte('\f')
			case '\\', '"', '\'', '/':
				sb.WriteByte(e)
			case 'u':
				if i+6 > len(src) {
					return "", 0, &SyntaxError{src, i, "invalid \\u escape"}
				}
				r, err := strconv.ParseUint(src[i+2:i+6], 16, 32)
				if err != nil {
					return "", 0, &SyntaxError{src, i, "invalid \\u escape"}
				}
				sb.WriteRune(rune(r))
				i += 4
			default:
				return "", 0, &SyntaxError{src, i, fmt.Sprintf("unknown escape \\%c", e)}
			}
			i += 2
		default:
			sb.WriteByte(c)
			i++
		}
	}
	return "", 0, &SyntaxError{src, start, "unterminated string"}
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) }
