package engine

// program is a compiled workflow: its subworkflows, main among them.
type program struct {
	subs map[string]*subworkflow
	main *subworkflow
}

type subworkflow struct {
	name   string
	line   int
	params []param
	body   *block
}

type param struct {
	name string
	def  tmpl // nil when the parameter is required
}

// block is a list of steps run in order, with the index of the names that a jump can reach from it.
type block struct {
	steps  []*step
	byName map[string]int // steps of this block
	nested map[string]int // steps inside plain nested steps blocks, by the index of the block's step
}

type stepKind int

const (
	kindNext     stepKind = iota // only a next
	kindAssign                   // assign
	kindCall                     // call, args, result
	kindSwitch                   // switch
	kindFor                      // for
	kindParallel                 // parallel
	kindTry                      // try, retry, except
	kindRaise                    // raise
	kindReturn                   // return
	kindSteps                    // steps (a nested block)
)

type step struct {
	name   string
	sub    string // the subworkflow it belongs to
	line   int
	kind   stepKind
	next   string
	billed bool // counted as an executed step (false for the anonymous step inside a try or a condition)

	assign []assignment
	call   *callSpec
	cases  []*condition
	loop   *forSpec
	par    *parallelSpec
	try    *trySpec
	value  tmpl // raise or return
	body   *block
}

type assignment struct {
	target lvalue
	val    tmpl
	line   int
}

// lvalue is the target of an assignment: a variable and a path of keys and indexes below it.
type lvalue struct {
	text string
	name string
	path []pathElem
}

type pathElem struct {
	key string // a literal map key
	idx tmpl   // or an index expression
}

type callSpec struct {
	fn     string
	args   []namedArg
	result string
}

type namedArg struct {
	name string
	val  tmpl
}

type condition struct {
	cond tmpl
	line int
	body *step // nil when the condition only jumps
	next string
}

type forSpec struct {
	value, index string
	in           tmpl
	rng          tmpl
	body         *block
	line         int
}

type parallelSpec struct {
	shared   []string
	limit    tmpl
	branches []*branch
	loop     *forSpec
}

type branch struct {
	name string
	line int
	body *block
}

type trySpec struct {
	body      *block
	retry     *retrySpec
	hasExcept bool
	as        string
	except    *block
}

type retrySpec struct {
	line       int
	policy     tmpl // retry: ${http.default_retry}
	predicate  tmpl
	maxRetries tmpl
	backoff    tmpl
}
