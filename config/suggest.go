package config

import (
	"strings"

	"github.com/agnivade/levenshtein"
)

// suggest returns "; did you mean X?" for the candidate closest to word (ignoring case), or otherwise when
// none is close: at most a third of the word's letters (and at least two) differ.
func suggest(word string, candidates []string, otherwise string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(strings.ToUpper(word), strings.ToUpper(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist >= 0 && bestDist <= max(2, len(word)/3) {
		return "; did you mean " + best + "?"
	}
	return otherwise
}

// suggestKey returns the hint for an unknown top-level key.
func suggestKey(key string) string {
	keys := make([]string, len(settings))
	for i, s := range settings {
		keys[i] = s.Key
	}
	return suggest(key, keys, "; custom variables go under CUSTOM_VARIABLES, and every setting is listed in config/SETTINGS.md")
}
