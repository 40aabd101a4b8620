package expr

import (
	"fmt"
	"strings"
)

// Binding powers, lowest first, following the documented order of operations.
const (
	bpOr     = 10
	bpAnd    = 20
	bpCmp    = 30
	bpAdd    = 40
	bpMul    = 50
	bpNeg    = 60
	bpNot    = 70
	bpAccess = 80
)

// Parse parses the text between ${ and }.
func Parse(src string) (Node, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	if p.peek().kind == tEOF {
		return nil, &SyntaxError{src, 0, "empty expression"}
	}
	n, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.errAt(t, "unexpected %s", describe(t))
	}
	return n, nil
}

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) errAt(t token, format string, args ...any) error {
	return &SyntaxError{p.src, t.pos, fmt.Sprintf(format, args...)}
}

func (p *parser) expect(op string) error {
	t := p.next()
	if t.kind != tOp || t.text != op {
		return p.errAt(t, "expected %q, found %s", op, describe(t))
	}
	return nil
}

func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of expression"
	case tString:
		return fmt.Sprintf("string %q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// infix returns the operator and binding power of t used as a binary operator.
func infix(t token) (string, int) {
	switch t.kind {
	case tOp:
		switch t.text {
		case "+", "-":
			return t.text, bpAdd
		case "*", "/", "//", "%":
			return t.text, bpMul
		case "==", "!=", "<", "<=", ">", ">=":
			return t.text, bpCmp
		case ".", "[", "(":
			return t.text, bpAccess
		}
	case tIdent:
		switch t.text {
		case "and", "AND":
			return "and", bpAnd
		case "or", "OR":
			return "or", bpOr
		case "in":
			return "in", bpCmp
		}
	}
	return "", 0
}

func (p *parser) expr(minBP int) (Node, error) {
	left, err := p.prefix()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		op, bp := infix(t)
		if bp == 0 || bp <= minBP {
			return left, nil
		}
		p.next()
		switch op {
		case ".":
			name := p.next()
			if name.kind != tIdent {
				return nil, p.errAt(name, "expected a name after '.', found %s", describe(name))
			}
			if path, ok := left.(*Path); ok && !path.closed {
				path.Parts = append(path.Parts, name.text)
			} else {
				left = &Member{X: left, Name: name.text}
			}
		case "[":
			idx, err := p.expr(0)
			if err != nil {
				return nil, err
			}
			if err := p.expect("]"); err != nil {
				return nil, err
			}
			left = &Index{X: left, Idx: idx}
		case "(":
			path, ok := left.(*Path)
			if !ok || path.closed {
				return nil, p.errAt(t, "only named functions can be called")
			}
			args, err := p.list(")")
			if err != nil {
				return nil, err
			}
			left = &Call{Name: strings.Join(path.Parts, "."), Args: args, Pos: path.Pos}
		default:
			right, err := p.expr(bp)
			if err != nil {
				return nil, err
			}
			left = &Binary{Op: op, L: left, R: right}
		}
	}
}

func (p *parser) prefix() (Node, error) {
	t := p.next()
	switch t.kind {
	case tInt:
		return &Lit{V: t.i}, nil
	case tFloat:
		return &Lit{V: t.f}, nil
	case tString:
		return &Lit{V: t.text}, nil
	case tIdent:
		switch t.text {
		case "true", "True", "TRUE":
			return &Lit{V: true}, nil
		case "false", "False", "FALSE":
			return &Lit{V: false}, nil
		case "null":
			return &Lit{V: nil}, nil
		case "not", "NOT":
			x, err := p.expr(bpNot)
			if err != nil {
				return nil, err
			}
			return &Unary{Op: "not", X: x}, nil
		case "and", "AND", "or", "OR", "in":
			return nil, p.errAt(t, "unexpected operator %q", t.text)
		}
		return &Path{Parts: []string{t.text}, Pos: t.pos}, nil
	case tOp:
		switch t.text {
		case "(":
			x, err := p.expr(0)
			if err != nil {
				return nil, err
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			if path, ok := x.(*Path); ok {
				path.closed = true
			}
			return x, nil
		case "-":
			x, err := p.expr(bpNeg)
			if err != nil {
				return nil, err
			}
			if lit, ok := x.(*Lit); ok {
				switch v := lit.V.(type) {
				case int64:
					return &Lit{V: -v}, nil
				case float64:
					return &Lit{V: -v}, nil
				}
			}
			return &Unary{Op: "-", X: x}, nil
		case "[":
			elems, err := p.list("]")
			if err != nil {
				return nil, err
			}
			return &ListLit{Elems: elems}, nil
		case "{":
			return p.mapLit()
		}
	}
	return nil, p.errAt(t, "unexpected %s", describe(t))
}

// list parses comma-separated expressions up to the closing token (already past the opening one).
func (p *parser) list(closing string) ([]Node, error) {
	var out []Node
	if t := p.peek(); t.kind == tOp && t.text == closing {
		p.next()
		return out, nil
	}
	for {
		e, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		t := p.next()
		if t.kind == tOp && t.text == closing {
			return out, nil
		}
		if t.kind != tOp || t.text != "," {
			return nil, p.errAt(t, "expected ',' or %q, found %s", closing, describe(t))
		}
	}
}

func (p *parser) mapLit() (Node, error) {
	m := &MapLit{}
	if t := p.peek(); t.kind == tOp && t.text == "}" {
		p.next()
		return m, nil
	}
	for {
		k, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		if err := p.expect(":"); err != nil {
			return nil, err
		}
		v, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		m.Keys = append(m.Keys, k)
		m.Vals = append(m.Vals, v)
		t := p.next()
		if t.kind == tOp && t.text == "}" {
			return m, nil
		}
		if t.kind != tOp || t.text != "," {
			return nil, p.errAt(t, "expected ',' or '}', found %s", describe(t))
		}
	}
}
