// Package cloud wires pltv's services for Cloud Functions: the configuration and the Google Cloud drivers
// (BigQuery, Firestore, Vertex AI or AutoML, Workflows Executions, the Data Transfer Service) from the
// environment each function runs with. functions.go at the module root builds it on the first request
// (Lazy), so that a function's cold start does not fail on a transient error and deployment does not need
// credentials.
//
// The configuration is the deployment's pltv.yaml embedded in the functions at build time (Options.Config),
// or the file PLTV_CONFIG names (relative to the function's source, serverless_function_source_code/),
// which must exist; with neither, New fails rather than run on the defaults. Every setting can be
// overridden by an environment variable of its name; RUNTIME must be cloud. The rest of the environment:
// EXTRACT_TRANSFER_CONFIG, the scheduled extract's transfer config (projects/P/locations/L/transferConfigs/C),
// required only where the extract function runs (FUNCTION_TARGET extract, or unset); DAILY_WORKFLOW, the
// name of the deployed daily workflow ("daily" by default); and LOG_LEVEL (debug, info, warn or error).
package cloud
