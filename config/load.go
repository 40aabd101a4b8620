package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	_ "time/tzdata" // TIMEZONE resolves the same on a machine without a zoneinfo database

	"go.yaml.in/yaml/v3"
)

// DefaultPath is the file Load reads when it is given no path.
const DefaultPath = "pltv.yaml"

// Default returns the configuration with every setting at its default: the embedded runtime, ready for
// `pltv demo` on one machine.
func Default() Config {
	var c Config
	d := &decoder{cfg: &c}
	for _, s := range settings {
		n, err := valueNode(s.Default, s.kind.collection())
		if err != nil {
			panic(fmt.Sprintf("config: default of %s: %v", s.Key, err))
		}
		s.kind.decode(d, s.Key, n)
	}
	if len(d.problems) > 0 {
		panic(fmt.Sprintf("config: invalid default: %v", joinProblems(d.problems)))
	}
	c.applyZone()
	c.src = nil
	return c
}

// Load reads the configuration file at path, applies the environment overrides found by lookup (nil: none;
// pass os.LookupEnv), and validates the result. With path "", it reads DefaultPath if that exists and
// starts from the defaults otherwise; a path given explicitly must exist. Relative paths in the file are
// resolved against the file's directory. Every problem is reported at once in the returned error; each is
// a Problem (errors.As).
func Load(path string, lookup func(string) (string, bool)) (Config, error) {
	c, problems, err := load(path, lookup)
	if err != nil {
		return Config{}, err
	}
	if len(problems) > 0 {
		return Config{}, joinProblems(problems)
	}
	return c, nil
}

// LoadData is Load of a file whose content is data, read or embedded beforehand (a deployed function's
// configuration, embedded when it was built): path names the file in problems and is the directory
// relative paths in it are resolved against.
func LoadData(path string, data []byte, lookup func(string) (string, bool)) (Config, error) {
	c := Default()
	problems := decodeFile(&c, path, data)
	problems = finish(&c, problems, lookup)
	if len(problems) > 0 {
		return Config{}, joinProblems(problems)
	}
	return c, nil
}

func load(path string, lookup func(string) (string, bool)) (Config, []Problem, error) {
	c := Default()
	optional := path == ""
	if optional {
		path = DefaultPath
	}
	var problems []Problem
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		problems = decodeFile(&c, path, data)
	case optional && errors.Is(err, fs.ErrNotExist):
	default:
		return Config{}, nil, fmt.Errorf("read config: %w", err)
	}
	problems = finish(&c, problems, lookup)
	return c, problems, nil
}

// finish applies the environment to a decoded configuration and validates it.
func finish(c *Config, problems []Problem, lookup func(string) (string, bool)) []Problem {
	problems = append(problems, applyEnv(c, lookup)...)
	c.applyZone()
	problems = append(problems, c.problems()...)
	sortProblems(problems)
	return problems
}

// decodeFile sets c from the YAML file's top-level mapping.
func decodeFile(c *Config, file string, data []byte) []Problem {
	c.file = file
	d := &decoder{cfg: c, file: file, dir: filepath.Dir(file)}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return []Problem{syntaxProblem(file, err)}
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil // an empty file: the defaults
	}
	root := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return []Problem{{File: file, Line: root.Line, Reason: "want a mapping of SETTING: value, got " + describe(root)}}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := resolve(root.Content[i]), root.Content[i+1]
		key := k.Value
		if line, dup := seen[key]; dup {
			d.fail(key, k, "duplicate setting, first set at line %d", line)
			continue
		}
		seen[key] = k.Line
		s, ok := lookupSetting(key)
		switch {
		case !ok:
			d.fail(key, k, "unknown setting%s", suggestKey(key))
		case isNull(v): // `KEY:` with no value keeps the default
		default:
			s.kind.decode(d, key, v)
			if _, set := c.src[key]; set {
				c.src[key] = d.at(k) // problems with the value point at its key
			}
		}
	}
	return d.problems
}

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// parserProblems are the messages of go.yaml.in/yaml/v3's parser (as opposed to its scanner). For these it
// reports the 0-based line of the construct being parsed (and no line for the first), while scanner
// errors carry 1-based lines.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// syntaxProblem turns a YAML parse error into a Problem at the line it names.
func syntaxProblem(file string, err error) Problem {
	m := yamlLineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return Problem{File: file, Reason: "invalid YAML: " + err.Error()}
	}
	line, _ := strconv.Atoi(m[1]) // 0 when the message has no line
	if parserProblems[m[2]] {
		line++
	}
	return Problem{File: file, Line: line, Reason: "invalid YAML: " + m[2]}
}

// applyEnv overrides c with the environment variables named like the keys. A list or mapping setting takes
// YAML text (EXTRA_DATA='[{table: t, csv: t.csv, schema: "a:STRING"}]'); CUSTOM_VARIABLES_<NAME> overrides
// one entry of CUSTOM_VARIABLES.
func applyEnv(c *Config, lookup func(string) (string, bool)) []Problem {
	if lookup == nil {
		return nil
	}
	d := &decoder{cfg: c, env: true}
	for _, s := range settings {
		v, ok := lookup(s.Key)
		if !ok {
			continue
		}
		if s.kind.collection() && strings.TrimSpace(v) == "" {
			v = s.Default
		}
		n, err := valueNode(v, s.kind.collection())
		if err != nil {
			d.problems = append(d.problems, Problem{Env: true, Key: s.Key, Reason: err.Error()})
			continue
		}
		s.kind.decode(d, s.Key, n)
	}
	for _, name := range slices.Sorted(maps.Keys(c.CustomVariables)) {
		if v, ok := lookup("CUSTOM_VARIABLES_" + name); ok {
			c.CustomVariables[name] = v
			d.set("CUSTOM_VARIABLES."+name, nil)
		}
	}
	return d.problems
}

// valueNode makes the node of a default or an environment value: YAML text for a list or mapping, the
// string as it is otherwise (a cron schedule like */2 * * * * is no valid YAML).
func valueNode(text string, collection bool) (*yaml.Node, error) {
	if !collection {
		return scalarNode(text), nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		return nil, errors.New(syntaxProblem("", err).Reason)
	}
	if len(doc.Content) == 0 {
		return nil, errors.New("invalid YAML: empty document")
	}
	return doc.Content[0], nil
}
