package expr

// Node is a parsed expression.
type Node interface{ node() }

// Lit is a literal value (number, string, boolean, null).
type Lit struct{ V any }

// Path is a dotted name such as x, args.date or text.split: a variable and its members, or a standard
// library member; which one is decided when it is evaluated.
type Path struct {
	Parts  []string
	Pos    int
	closed bool // written in parentheses: (a).b is a member of a, (a)(1) is not a call
}

// Member is .Name applied to something other than a dotted name (a call result, an index).
type Member struct {
	X    Node
	Name string
}

// Index is X[Idx].
type Index struct{ X, Idx Node }

// Call calls a standard library function or a subworkflow by its (dotted) name.
type Call struct {
	Name string
	Args []Node
	Pos  int
}

// Unary is "-" or "not" applied to X.
type Unary struct {
	Op string
	X  Node
}

// Binary is L Op R.
type Binary struct {
	Op   string
	L, R Node
}

// ListLit is [a, b, ...].
type ListLit struct{ Elems []Node }

// MapLit is {"k": v, ...}.
type MapLit struct {
	Keys []Node
	Vals []Node
}

func (*Lit) node()     {}
func (*Path) node()    {}
func (*Member) node()  {}
func (*Index) node()   {}
func (*Call) node()    {}
func (*Unary) node()   {}
func (*Binary) node()  {}
func (*ListLit) node() {}
func (*MapLit) node()  {}

// Walk calls fn for n and every node below it, depth first.
func Walk(n Node, fn func(Node)) {
	fn(n)
	switch x := n.(type) {
	case *Member:
		Walk(x.X, fn)
	case *Index:
		Walk(x.X, fn)
		Walk(x.Idx, fn)
	case *Call:
		for _, a := range x.Args {
			Walk(a, fn)
		}
	case *Unary:
		Walk(x.X, fn)
	case *Binary:
		Walk(x.L, fn)
		Walk(x.R, fn)
	case *ListLit:
		for _, e := range x.Elems {
			Walk(e, fn)
		}
	case *MapLit:
		for i := range x.Keys {
			Walk(x.Keys[i], fn)
			Walk(x.Vals[i], fn)
		}
	}
}
