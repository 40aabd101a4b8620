// Package cloud wires pltv's services for Cloud Functions: the configuration and the Google Cloud drivers
// (BigQuery, Firestore, Vertex AI or AutoML, Workflows Executions, the Data Transfer Service) from the
// environment each function runs with. functions.go at the module root builds it on the first request
// (Lazy), so that a function's cold start does not fail on a transient error and deployment does not need
// credentials.
//
// The environment: the configuration file PLTV_CONFIG (pltv.yaml in the function's source by default) with
// every setting overridable by a variable of its name (RUNTIME must be cloud), EXTRACT_TRANSFER_CONFIG the
// scheduled extract's transfer config (projects/P/locations/L/transferConfigs/C), DAILY_WORKFLOW the name
// of the deployed daily workflow ("daily" by default), and LOG_LEVEL (debug, info, warn or error).
package cloud
