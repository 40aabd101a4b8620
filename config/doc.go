// Package config loads and validates pltv's one configuration file (pltv.yaml by default).
//
// The file holds every setting of the original framework's env.sh, under the same upper-case names, plus a
// few of pltv's own. An environment variable named like a key overrides the file (CUSTOM_VARIABLES entries
// through CUSTOM_VARIABLES_<NAME>). Load reports every problem at once, each naming the key and the line
// ("pltv.yaml:12: MAX_TASKS_PER_POLL: must be positive, got 0"), so nothing runs on a half-valid
// configuration. Every setting, its default and its meaning are listed in SETTINGS.md, generated from the
// same table the loader uses.
//
// It is for the command line and the services, which call Load once at start-up, and for the local
// runtime and the Pulumi program, which read the typed Config.
package config

//go:generate go run ./internal/settingsdoc -o SETTINGS.md -readme ../README.md
