// Package model is the model service, the HTTP function "model" the daily workflow calls (see the HTTP
// contract): deploy the model the metadata table selects for a date, report its state, and stop it when it
// sits idle.
//
//	{"action":"deploy","date":"YYYYMMDD"}  → {"state":"deploying"|"deployed",...}
//	{"action":"state","date":"YYYYMMDD"}   → {"state":"undeployed|deploying|deployed|undeploying|failed","reason"}
//	{"action":"stop","date":"YYYYMMDD"?}   → {"stopped","state","reason","in_flight","last_activity"}
//
// Deploy is idempotent (deploying a deployed model does nothing) and counts as prediction activity, so that
// the idle time of a model starts at its deploy, not at yesterday's last prediction. Stop undeploys only when
// prediction tracking shows nothing in flight and no activity for STOP_MODEL_WAITING_MINUTES, then runs the
// post-stop hook. Without a date, stop takes the model the metadata table selects for today.
package model
