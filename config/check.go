package config

import (
	"fmt"
	"io"
)

// Check loads the configuration like Load and returns every problem, in the order a reader fixes them
// (the file top to bottom, then the environment); none means the configuration is valid. A file that
// cannot be read is one problem.
func Check(path string, lookup func(string) (string, bool)) []Problem {
	_, problems, err := load(path, lookup)
	if err != nil {
		return []Problem{{Reason: err.Error()}}
	}
	return problems
}

// RunCheck is `pltv config check`: it prints one line per problem, or "ok" with a summary of where the
// settings came from, and returns an error when there are problems.
func RunCheck(w io.Writer, path string, lookup func(string) (string, bool)) error {
	c, problems, err := load(path, lookup)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		for _, p := range problems {
			if _, err := fmt.Fprintln(w, p.Error()); err != nil {
				return fmt.Errorf("config check: %w", err)
			}
		}
		if len(problems) == 1 {
			return fmt.Errorf("config check: 1 problem")
		}
		return fmt.Errorf("config check: %d problems", len(problems))
	}
	if _, err := fmt.Fprintln(w, c.summary()); err != nil {
		return fmt.Errorf("config check: %w", err)
	}
	return nil
}

// summary says what a valid configuration amounts to, on one line.
func (c Config) summary() string {
	fromFile, fromEnv := 0, 0
	for _, s := range settings {
		switch o, ok := c.src[s.Key]; {
		case !ok:
		case o.env:
			fromEnv++
		default:
			fromFile++
		}
	}
	source := "no " + DefaultPath + ", defaults"
	if c.file != "" {
		source = fmt.Sprintf("%s: %d of %d settings from the file", c.file, fromFile, len(settings))
	}
	return fmt.Sprintf("ok: %s, %d from the environment; RUNTIME %s, MODEL_BACKEND %s, MODEL_MODE %s, "+
		"collections %s, LTV dataset %s",
		source, fromEnv, c.Runtime, c.ModelBackend, c.ModelMode, c.CollectionName("*"), datasetName(c.LTVDataset().Project, c.BQLTVDataset))
}

func datasetName(project, dataset string) string {
	if project == "" {
		return dataset
	}
	return project + "." + dataset
}

// Inspect loads the configuration like Check and returns it as decoded along with its problems, for a
// caller that checks more of it (the Pulumi program). An unreadable file is the error.
func Inspect(path string, lookup func(string) (string, bool)) (Config, []Problem, error) {
	return load(path, lookup)
}
