package engine

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// compiler turns the document node into a program, collecting every problem it finds on the way.
type compiler struct {
	problems []Problem
	sub      string         // subworkflow being compiled
	step     string         // step being compiled
	names    map[string]int // step names of the subworkflow, with their line
	calls    []pendingCall  // calls to check once every subworkflow is known
	prog     *program
}

type pendingCall struct {
	sub, step string
	line      int
	name      string
	nargs     int
	named     []string // argument names for call steps, nil for expression calls
	isStep    bool
}

func (c *compiler) problem(n *yaml.Node, format string, args ...any) {
	p := Problem{Subworkflow: c.sub, Step: c.step, Message: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	c.problems = append(c.problems, p)
}

func compileProgram(root *yaml.Node) (*program, []Problem) {
	c := &compiler{prog: &program{subs: map[string]*subworkflow{}}}
	root = resolve(root)
	switch root.Kind {
	case yaml.SequenceNode:
		c.prog.main = c.compileSub("main", root, nil, root.Line)
		c.prog.subs["main"] = c.prog.main
	case yaml.MappingNode:
		for i := 0; i+1 < len(root.Content); i += 2 {
			name := root.Content[i].Value
			def := resolve(root.Content[i+1])
			var stepsNode, paramsNode *yaml.Node
			for j := 0; j+1 < len(def.Content); j += 2 {
				switch def.Content[j].Value {
				case "steps":
					stepsNode = def.Content[j+1]
				case "params":
					paramsNode = def.Content[j+1]
				}
			}
			c.sub, c.step = name, ""
			if stepsNode == nil {
				c.problem(root.Content[i], "subworkflow %q has no steps", name)
				continue
			}
			c.prog.subs[name] = c.compileSub(name, stepsNode, paramsNode, root.Content[i].Line)
		}
		c.prog.main = c.prog.subs["main"]
		if c.prog.main == nil {
			c.problem(root, "the workflow has no main")
		}
	default:
		c.problem(root, "a workflow is a list of steps or a map of subworkflows")
	}
	c.checkPendingCalls()
	if len(c.problems) == 0 {
		c.checkFlow()
	}
	return c.prog, c.problems
}

func (c *compiler) compileSub(name string, stepsNode, paramsNode *yaml.Node, line int) *subworkflow {
	c.sub, c.step, c.names = name, "", map[string]int{}
	sw := &subworkflow{name: name, line: line}
	if paramsNode != nil {
		for _, p := range resolve(paramsNode).Content {
			p = resolve(p)
			switch p.Kind {
			case yaml.ScalarNode:
				sw.params = append(sw.params, param{name: p.Value})
			case yaml.MappingNode:
				if len(p.Content) != 2 {
					c.problem(p, "a parameter with a default value is a map of one key")
					continue
				}
				sw.params = append(sw.params, param{name: p.Content[0].Value, def: c.compileTmpl(p.Content[1])})
			default:
				c.problem(p, "invalid parameter")
			}
		}
		if name == "main" && len(sw.params) > 1 {
			c.problem(paramsNode, "main takes at most one parameter (the execution argument)")
		}
	}
	sw.body = c.compileBlock(stepsNode)
	return sw
}

func (c *compiler) compileBlock(n *yaml.Node) *block {
	n = resolve(n)
	b := &block{byName: map[string]int{}, nested: map[string]int{}}
	if n.Kind != yaml.SequenceNode {
		c.problem(n, "steps must be a list")
		return b
	}
	for _, item := range n.Content {
		item = resolve(item)
		if item.Kind != yaml.MappingNode || len(item.Content) != 2 {
			c.problem(item, "each step is a map with exactly one key, the step name")
			continue
		}
		nameNode := item.Content[0]
		s := c.compileStep(nameNode.Value, nameNode, item.Content[1], true)
		b.byName[s.name] = len(b.steps)
		if s.kind == kindSteps && s.body != nil {
			for name := range s.body.byName {
				b.nested[name] = len(b.steps)
			}
			for name := range s.body.nested {
				b.nested[name] = len(b.steps)
			}
		}
		b.steps = append(b.steps, s)
	}
	return b
}

var actionKeys = []string{"assign", "call", "switch", "for", "parallel", "raise", "try", "return", "steps"}

// compileStep compiles the body of a step. billed is false for the anonymous steps that a try or a switch
// condition holds inline.
func (c *compiler) compileStep(name string, nameNode, body *yaml.Node, billed bool) *step {
	outer := c.step
	if billed {
		c.step = name
		if line, dup := c.names[name]; dup {
			c.problem(nameNode, "step name %q is already used at line %d; step names must be unique within a subworkflow", name, line)
		}
		c.names[name] = nameNode.Line
	}
	defer func() { c.step = outer }()
	s := &step{name: name, sub: c.sub, line: nameNode.Line, billed: billed}
	body = resolve(body)
	if body.Kind != yaml.MappingNode {
		c.problem(body, "a step is a map of fields")
		return s
	}
	fields := map[string]*yaml.Node{}
	for i := 0; i+1 < len(body.Content); i += 2 {
		fields[body.Content[i].Value] = body.Content[i+1]
	}
	var action string
	for _, k := range actionKeys {
		if _, ok := fields[k]; ok {
			if action != "" {
				c.problem(body, "a step can have only one of %s; found %s and %s", strings.Join(actionKeys, ", "), action, k)
				return s
			}
			action = k
		}
	}
	if nx, ok := fields["next"]; ok {
		s.next = resolve(nx).Value
		if action == "return" || action == "raise" {
			c.problem(nx, "a %s step cannot have a next", action)
		}
	}
	for k, v := range fields {
		if (k == "args" || k == "result") && action != "call" {
			c.problem(v, "%s is only allowed with call", k)
		}
		if (k == "retry" || k == "except") && action != "try" {
			c.problem(v, "%s is only allowed with try", k)
		}
	}
	switch action {
	case "":
		s.kind = kindNext
		if s.next == "" {
			c.problem(body, "the step does nothing: it needs one of %s, or a next", strings.Join(actionKeys, ", "))
		}
	case "assign":
		s.kind = kindAssign
		s.assign = c.compileAssign(fields["assign"])
	case "call":
		s.kind = kindCall
		s.call = c.compileCall(fields["call"], fields["args"], fields["result"])
	case "switch":
		s.kind = kindSwitch
		s.cases = c.compileSwitch(fields["switch"])
	case "for":
		s.kind = kindFor
		s.loop = c.compileFor(fields["for"])
	case "parallel":
		s.kind = kindParallel
		s.par = c.compileParallel(fields["parallel"])
	case "raise":
		s.kind = kindRaise
		s.value = c.compileTmpl(fields["raise"])
	case "return":
		s.kind = kindReturn
		s.value = c.compileTmpl(fields["return"])
	case "try":
		s.kind = kindTry
		s.try = c.compileTry(name, fields["try"], fields["retry"], fields["except"])
	case "steps":
		s.kind = kindSteps
		s.body = c.compileBlock(fields["steps"])
	}
	return s
}

func isIdentifier(s string) bool {
	if s == "" || !(s[0] == '_' || s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		ch := s[i]
		if !(ch == '_' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9') {
			return false
		}
	}
	return true
}
