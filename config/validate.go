package config

import "fmt"

// Validate reports every problem of the configuration at once (errors.Join of Problems), each located at
// the key that holds it when the configuration came from Load. Load has already called it.
func (c Config) Validate() error {
	ps := c.problems()
	sortProblems(ps)
	return joinProblems(ps)
}

func (c Config) problems() []Problem {
	var ps []Problem
	report := func(key, reason string) { ps = append(ps, c.origin(key).problem(key, reason)) }
	for _, s := range settings {
		s.kind.check(&c, s.Key, report)
	}
	c.checkCloud(report)
	c.checkModel(report)
	c.checkExtractSchedule(report)
	c.checkCollectionLength(report)
	return ps
}

// origin returns where key was set; a key the file does not hold is located at the file as a whole.
func (c Config) origin(key string) origin {
	if o, ok := c.src[key]; ok {
		return o
	}
	return origin{file: c.file}
}

// where says where a key's value came from, for a reason that depends on it.
func (c Config) where(key string) string {
	o, ok := c.src[key]
	switch {
	case !ok:
		return "by default"
	case o.env:
		return "in the environment"
	}
	return "at " + o.String()
}

// unitaryCollection is the longest tracking collection: one per predictions table, named after it.
const unitaryCollection = "unitary_prediction_tracking_"

// checkCollectionLength keeps the longest collection id within Firestore's limit.
func (c Config) checkCollectionLength(report func(key, reason string)) {
	id := c.CollectionName(unitaryCollection + c.LTVDataset().Shard("predictions", "YYYYMMDD").String())
	if len(id) > maxCollectionID {
		report("DEPLOYMENT_NAME", fmt.Sprintf("Firestore collection id rule: at most %d bytes, but the longest "+
			"collection id (<DEPLOYMENT_NAME>_<SOLUTION_PREFIX>_%s<predictions table>) would be %d",
			maxCollectionID, unitaryCollection, len(id)))
	}
}
