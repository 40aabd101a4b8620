package config

import (
	"fmt"
	"regexp"
	"strings"
)

// Limits of the names the configuration feeds into Google Cloud resources.
const (
	maxCollectionID = 1500 // bytes in a Firestore collection id
	maxLabelValue   = 63   // characters in a BigQuery label value
)

func required(s string) string {
	if strings.TrimSpace(s) == "" {
		return "must not be empty"
	}
	return ""
}

// collectionIDPart checks a value that goes into every tracking collection's id
// (<DEPLOYMENT_NAME>_<SOLUTION_PREFIX>_<collection>); leading says whether the id starts with it.
func collectionIDPart(leading bool) rule {
	return func(s string) string {
		if i := strings.IndexFunc(s, func(r rune) bool { return !isLetter(r) && !isDigit(r) && r != '_' && r != '-' }); i >= 0 {
			return fmt.Sprintf("Firestore collection id rule: only letters, digits, '_' and '-' are allowed, found %q", s[i:i+1])
		}
		if leading && strings.HasPrefix(s, "__") {
			return "Firestore collection id rule: an id must not start with '__'"
		}
		return ""
	}
}

// labelValue checks a value that labels every BigQuery job. Characters Firestore already refuses are
// left to collectionIDPart, so one wrong character is reported once.
func labelValue(s string) string {
	if i := strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' }); i >= 0 {
		return fmt.Sprintf("BigQuery label value rule: only lowercase letters, digits, '_' and '-' are allowed, found %q", s[i:i+1])
	}
	if n := len([]rune(s)); n > maxLabelValue {
		return fmt.Sprintf("BigQuery label value rule: at most %d characters, got %d", maxLabelValue, n)
	}
	return ""
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isDigit(r rune) bool  { return r >= '0' && r <= '9' }

// datasetRE is a BigQuery dataset name.
var datasetRE = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

func dataset(s string) string {
	switch {
	case !datasetRE.MatchString(s):
		return fmt.Sprintf("%q is not a BigQuery dataset name: want letters, digits and '_'", s)
	case len(s) > 1024:
		return fmt.Sprintf("BigQuery dataset names have at most 1024 characters, got %d", len(s))
	}
	return ""
}

// sourceTables checks the source table name (a prefix when the source is date-sharded).
func sourceTables(s string) string {
	if i := strings.IndexAny(s, "`. \t\n"); i >= 0 {
		return fmt.Sprintf("%q is not a table name: found %q (the project and dataset have their own keys)", s, s[i:i+1])
	}
	return ""
}

// projectRE is a Google Cloud project id, optionally domain-scoped (example.com:my-project).
var projectRE = regexp.MustCompile(`^([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$`)

func project(s string) string {
	if s != "" && !projectRE.MatchString(s) {
		return fmt.Sprintf("%q is not a Google Cloud project id: want 6 to 30 lowercase letters, digits and '-', "+
			"starting with a letter and not ending with '-'", s)
	}
	return ""
}

// A service account is named by its email address, or by the account id of one Pulumi creates.
var (
	accountIDRE    = regexp.MustCompile(`^[a-z][a-z0-9-]{4,28}[a-z0-9]$`)
	accountEmailRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*@[a-z0-9][a-z0-9.-]*\.[a-z]+$`)
)

func serviceAccount(s string) string {
	switch {
	case s == "":
		return ""
	case strings.Contains(s, "@") && !accountEmailRE.MatchString(s):
		return fmt.Sprintf("%q is not a service account email address", s)
	case !strings.Contains(s, "@") && !accountIDRE.MatchString(s):
		return fmt.Sprintf("%q is not a service account id: want 6 to 30 lowercase letters, digits and '-', "+
			"starting with a letter (or the account's full email address)", s)
	}
	return ""
}

// machineTypeRE is a Compute Engine machine type name (n1-standard-2, e2-highmem-4, a2-highgpu-1g).
var machineTypeRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)+$`)

func machineType(s string) string {
	if !machineTypeRE.MatchString(s) {
		return fmt.Sprintf("%q is not a machine type: want a name like n1-standard-2", s)
	}
	return ""
}
