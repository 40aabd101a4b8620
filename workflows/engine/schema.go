package engine

import (
	"bytes"
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// workflowsSchema is the official JSON Schema of the Workflows syntax (Apache-2.0, see schema/README.md).
//
//go:embed schema/workflows.schema.json
var workflowsSchema []byte

const schemaURL = "https://pltv.local/workflows.schema.json"

var compiledSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(workflowsSchema))
	if err != nil {
		return nil, fmt.Errorf("read embedded workflows schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("load embedded workflows schema: %w", err)
	}
	sch, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("compile embedded workflows schema: %w", err)
	}
	return sch, nil
})

// checkSchema validates the document against the official schema and reports each failure at its line.
func checkSchema(root *yaml.Node) ([]Problem, error) {
	sch, err := compiledSchema()
	if err != nil {
		return nil, err
	}
	inst, err := plainValue(root)
	if err != nil {
		return []Problem{{Message: err.Error()}}, nil
	}
	err = sch.Validate(inst)
	if err == nil {
		return nil, nil
	}
	verr, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return nil, fmt.Errorf("validate workflow against schema: %w", err)
	}
	return schemaProblems(root, verr), nil
}

// schemaProblems turns the schema's error tree into problems: the leaves at the deepest instance location
// are the most telling (a oneOf at the top fails whenever anything below it fails).
func schemaProblems(root *yaml.Node, verr *jsonschema.ValidationError) []Problem {
	var leaves []*jsonschema.ValidationError
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			leaves = append(leaves, e)
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(verr)
	deepest := 0
	for _, l := range leaves {
		deepest = max(deepest, len(l.InstanceLocation))
	}
	printer := message.NewPrinter(language.English)
	seen := map[string]bool{}
	var out []Problem
	for _, l := range leaves {
		if len(l.InstanceLocation) != deepest {
			continue
		}
		msg := fmt.Sprintf("%s: %s", pointer(l.InstanceLocation), l.ErrorKind.LocalizedString(printer))
		if seen[msg] {
			continue
		}
		seen[msg] = true
		n := nodeAt(root, l.InstanceLocation)
		out = append(out, Problem{
			Line:    n.Line,
			Column:  n.Column,
			Step:    stepAt(root, l.InstanceLocation),
			Message: "does not match the Workflows schema at " + msg,
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// Problem is one thing wrong with a workflow source, found before it runs.
type Problem struct {
	Line, Column int    // 1-based position in the source, 0 when unknown
	Subworkflow  string // the subworkflow it is in, when known
	Step         string // the step it is in, when known
	Message      string
}

func (p Problem) String() string {
	var sb strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&sb, "line %d: ", p.Line)
	}
	if p.Step != "" {
		fmt.Fprintf(&sb, "step %q: ", p.Step)
	}
	sb.WriteString(p.Message)
	return sb.String()
}

// ValidationError is a workflow source that cannot run: it fails the schema or the checks the Workflows
// API makes when it deploys a workflow (unknown step in next, unknown subworkflow, bad expression...).
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return "invalid workflow: " + e.Problems[0].String()
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "invalid workflow (%d problems):", len(e.Problems))
	for _, p := range e.Problems {
		sb.WriteString("\n  ")
		sb.WriteString(p.String())
	}
	return sb.String()
}
