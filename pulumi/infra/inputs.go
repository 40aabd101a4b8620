package infra

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// Inputs are the stack's configuration (namespace pltv): the pltv.yaml to deploy and what only a
// deployment needs.
type Inputs struct {
	Config       string            // pltv:config, the pltv.yaml, relative to the module root; pltv.yaml by default
	Settings     map[string]string // pltv:settings, keys of pltv.yaml overridden for this stack
	AlertEmail   string            // pltv:alertEmail, where alerts go (a notification channel is created)
	AlertChannel string            // pltv:alertChannel, an existing notification channel (projects/P/notificationChannels/N)
	ModelDate    string            // pltv:modelDate, YYYYMMDD: the features and extra data are loaded as of that date
	ModelName    string            // pltv:modelName, with pltv:modelId: a metadata row names the model of ModelDate
	ModelID      string            // pltv:modelId, the Vertex AI model's id
	Firestore    string            // pltv:firestore, "create" (default) or "existing" when the project's database exists
	Root         string            // the module root (found from the working directory when empty)
}

// Firestore choices.
const (
	FirestoreCreate   = "create"
	FirestoreExisting = "existing"
)

// Read reads the stack configuration.
func Read(ctx *pulumi.Context) (Inputs, error) {
	c := config.New(ctx, "pltv")
	in := Inputs{
		Config:       c.Get("config"),
		AlertEmail:   c.Get("alertEmail"),
		AlertChannel: c.Get("alertChannel"),
		ModelDate:    c.Get("modelDate"),
		ModelName:    c.Get("modelName"),
		ModelID:      c.Get("modelId"),
		Firestore:    c.Get("firestore"),
	}
	if c.Get("settings") != "" {
		var raw map[string]any
		if err := c.TryObject("settings", &raw); err != nil {
			return Inputs{}, fmt.Errorf("stack config pltv:settings: want a map of pltv.yaml keys to values: %w", err)
		}
		in.Settings = map[string]string{}
		for k, v := range raw {
			if strings.TrimSpace(k) == "" {
				return Inputs{}, fmt.Errorf("stack config pltv:settings: an empty key (value %v)", v)
			}
			switch v := v.(type) {
			case string:
				in.Settings[k] = v
			case bool, float64, int, int64:
				in.Settings[k] = fmt.Sprint(v)
			default: // a list or a map (EXTRA_DATA, CUSTOM_VARIABLES) is taken as YAML text, as the environment gives it
				b, err := json.Marshal(v)
				if err != nil {
					return Inputs{}, fmt.Errorf("stack config pltv:settings.%s: %w", k, err)
				}
				in.Settings[k] = string(b)
			}
		}
	}
	return in, nil
}

// Program is the Pulumi program: Read, Plan, Deploy. A configuration missing what the cloud needs fails in
// Plan, before any resource.
func Program(ctx *pulumi.Context) error {
	in, err := Read(ctx)
	if err != nil {
		return err
	}
	d, err := Plan(in)
	if err != nil {
		return err
	}
	_, err = Deploy(ctx, d)
	return err
}
