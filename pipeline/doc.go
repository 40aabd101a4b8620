// Package pipeline holds the stages of the daily flow as plain functions over the ports: extract, prepare and
// filter over the warehouse, then predict over the model. Services call them when an event says a date is ready;
// `pltv run` calls them directly. Every stage is idempotent: re-running it for a date replaces that date's table.
package pipeline
