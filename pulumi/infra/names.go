package infra

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
)

// Names derives every resource name of a deployment from DEPLOYMENT_NAME and SOLUTION_PREFIX, so that two
// deployments in one project never share one.
type Names struct {
	Deployment, Prefix string
	base               string // <deployment>-<prefix>, as Google's resource names take it
}

// NewNames returns the names of a deployment.
func NewNames(deployment, prefix string) Names {
	base := strings.ReplaceAll(strings.ToLower(deployment+"-"+prefix), "_", "-")
	return Names{Deployment: deployment, Prefix: prefix, base: base}
}

// Limits of Google's names.
const (
	maxName      = 63 // Cloud Functions (and their Cloud Run services), workflows, scheduler jobs, topics, buckets
	maxAccountID = 30 // service account ids
)

// nameRE is what functions, workflows and scheduler jobs accept.
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]*[a-z0-9]$`)

// Of is the name of a resource of kind (a function, workflow, job, topic): <deployment>-<prefix>-<kind>.
func (n Names) Of(kind string) string { return fit(n.base+"-"+kind, maxName) }

// Account is the id of the service account of a role; ids have at most 30 characters, so a long one is
// shortened with a hash that keeps it unique.
func (n Names) Account(role string) string { return fit(n.base+"-"+role, maxAccountID) }

// Bucket is the name of the deployment's bucket in project; bucket names are global.
func (n Names) Bucket(project string) string { return fit(project+"-"+n.base+"-source", maxName) }

// Role is the id of a custom IAM role: letters, digits, '_' and '.'.
func (n Names) Role(name string) string {
	return strings.ReplaceAll(n.base, "-", "_") + "_" + name
}

// Label is the deployment's label value (BigQuery jobs carry it as pltv_deployment).
func (n Names) Label() string { return n.Deployment }

// fit shortens s to max characters, ending it with a hash of the whole so that two long names stay apart.
func fit(s string, max int) string {
	if len(s) <= max {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	h := hex.EncodeToString(sum[:])[:6]
	return strings.TrimRight(s[:max-7], "-") + "-" + h
}

// problems reports names Google would refuse.
func (n Names) problems() []string {
	var ps []string
	for _, name := range []string{n.Of("predictstart"), n.Account("fn-predictstart")} {
		if !nameRE.MatchString(name) {
			ps = append(ps, fmt.Sprintf("with SOLUTION_PREFIX, %q is no Cloud Functions or service account name: "+
				"start with a lowercase letter", name))
			break
		}
	}
	return ps
}
