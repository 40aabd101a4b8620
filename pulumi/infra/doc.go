// Package infra is pltv's Pulumi program: from one pltv.yaml (the file the services and the CLI read) it
// plans everything a deployment needs on Google Cloud, every name derived from DEPLOYMENT_NAME and
// SOLUTION_PREFIX so that two deployments share a project:
//
//   - the APIs; one service account per role, each granted only what it needs, on the narrowest resource;
//   - the LTV dataset with its metadata table, and the features and extra data of the model date loaded;
//   - the extract as a BigQuery Data Transfer scheduled query that notifies a Pub/Sub topic;
//   - Firestore in native mode, with a TTL policy on the processed-events ledger;
//   - the Vertex AI endpoint; the source archive and one Cloud Functions (2nd gen) function per service,
//     the event functions with their Eventarc triggers;
//   - the daily and backfill workflows, the Cloud Scheduler jobs, and an alert on failures.
//
// Program is the entry point pulumi/main.go runs. Read (stack configuration) and Plan (the settings and
// their checks, before any resource) are apart from Deploy, so that tests drive each with pulumi.WithMocks.
package infra
