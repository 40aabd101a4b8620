package warehouse

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// Job ids. Every job pltv starts has an id of the form
//
//	pltv_<deployment>_<solution>_<stage>_<date>_<suffix>
//
// so that the audit-log entries of its jobs, whose resourceName is projects/P/jobs/<id>, can be told apart
// from every other job of the project before anything is decoded or recorded, and an Eventarc trigger can
// narrow its delivery with a path pattern on resourceName (JobPathPattern). The suffix is derived from the
// job's attempt key (WithAttempt) and what the job does, so that a handler retried for the same event asks
// for the same job id again, and BigQuery answers 409 Already Exists instead of running the job twice; without
// an attempt key the suffix is random. BigQuery job ids hold letters, digits, '_' and '-', at most 1,024
// characters.

// MaxJobID is the longest job id BigQuery accepts.
const MaxJobID = 1024

// JobPrefix returns the prefix of every job id of a deployment: pltv_<deployment>_<solution>. The two names
// are the configuration's DEPLOYMENT_NAME and SOLUTION_PREFIX.
func JobPrefix(deployment, solution string) string {
	return "pltv_" + jobIDPart(deployment) + "_" + jobIDPart(solution)
}

// StageJobPrefix returns the prefix of the job ids of one stage of a deployment: <prefix>_<stage>_, the
// trailing '_' keeping one stage's ids apart from those of a stage whose name starts the same.
func StageJobPrefix(prefix, stage string) string { return prefix + "_" + jobIDPart(stage) + "_" }

// JobPathPattern returns the Eventarc path pattern on resourceName that matches the audit-log entries of the
// jobs of one stage of a deployment in a project: projects/<project>/jobs/<prefix>_<stage>_*. The '*'
// matches the rest of the job id (it does not cross a '/').
func JobPathPattern(project, prefix, stage string) string {
	return "projects/" + project + "/jobs/" + StageJobPrefix(prefix, stage) + "*"
}

// IsStageJob reports whether a job id is one of the stage's jobs of the deployment whose prefix is given.
func IsStageJob(jobID, prefix, stage string) bool {
	return strings.HasPrefix(jobID, StageJobPrefix(prefix, stage))
}

// JobIDOfResource returns the job id of a job's resource name, projects/P/jobs/ID (with an optional
// leading '/'); ok is false for the resource name of anything else, such as a table.
func JobIDOfResource(resource string) (id string, ok bool) {
	parts := strings.Split(strings.TrimPrefix(resource, "/"), "/")
	if len(parts) != 4 || parts[0] != "projects" || parts[2] != "jobs" || parts[3] == "" {
		return "", false
	}
	return parts[3], true
}

// NewJobID returns the id of a job: the prefix, the stage and the run date of its labels (stage "job" for a
// job without one), and a suffix. With an attempt key in ctx the suffix is a digest of the key and of what
// identifies the job within the attempt (its kind, destination, SQL, ...: parts), so the same attempt of the
// same job always gets the same id; without one it is random. An empty prefix is JobPrefix of the labels'
// deployment without a solution part.
func NewJobID(ctx context.Context, prefix string, labels Labels, parts ...string) string {
	if prefix == "" {
		prefix = "pltv"
		if d := labels[LabelDeployment]; d != "" {
			prefix += "_" + jobIDPart(d)
		}
	}
	stage := labels[LabelStage]
	if stage == "" {
		stage = "job"
	}
	id := StageJobPrefix(prefix, stage)
	if d := labels[LabelDate]; d != "" {
		id += jobIDPart(d) + "_"
	}
	suffix := randomSuffix()
	if key, ok := AttemptOf(ctx); ok {
		h := sha256.New()
		h.Write([]byte(key))
		for _, p := range parts {
			h.Write([]byte{0})
			h.Write([]byte(p))
		}
		suffix = hex.EncodeToString(h.Sum(nil))[:suffixLen]
	}
	if len(id)+len(suffix) > MaxJobID {
		id = id[:MaxJobID-len(suffix)]
	}
	return id + suffix
}

// RetryJobID returns the id of the n-th (n ≥ 2) attempt at a job whose earlier attempt, of id id, failed:
// id_rN, cut so that it stays within MaxJobID.
func RetryJobID(id string, n int) string {
	s := "_r" + strconv.Itoa(n)
	if len(id)+len(s) > MaxJobID {
		id = id[:MaxJobID-len(s)]
	}
	return id + s
}

// suffixLen is the length of a job id's suffix: 80 bits in hex.
const suffixLen = 20

func randomSuffix() string {
	b := make([]byte, suffixLen/2)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// jobIDPart replaces what a job id cannot hold by '_'.
func jobIDPart(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, s)
}

type attemptKey struct{}

// WithAttempt returns ctx carrying the attempt key of the jobs started under it: what identifies the one
// piece of work a handler does, and that every retry of it shares (the event's transfer run, the upstream
// job). Drivers derive the job ids from it (NewJobID).
func WithAttempt(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, attemptKey{}, key)
}

// AttemptOf returns the attempt key of ctx.
func AttemptOf(ctx context.Context) (string, bool) {
	k, ok := ctx.Value(attemptKey{}).(string)
	return k, ok && k != ""
}
