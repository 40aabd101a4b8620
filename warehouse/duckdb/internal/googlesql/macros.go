package googlesql

// Macros are the DuckDB macros the translated SQL calls. They are temporary: run them on every connection.
var Macros = []string{
	// CAST(x AS INT64) rounds floating point halfway cases away from zero (DuckDB rounds them to even).
	`CREATE OR REPLACE TEMP MACRO pltv_int64(x) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT')
		THEN CAST(round(TRY_CAST(x AS DOUBLE)) AS BIGINT) ELSE CAST(x AS BIGINT) END`,
	`CREATE OR REPLACE TEMP MACRO pltv_safe_int64(x) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT')
		THEN TRY_CAST(round(TRY_CAST(x AS DOUBLE)) AS BIGINT) ELSE TRY_CAST(x AS BIGINT) END`,
	// CAST(x AS TIMESTAMP) reads a time zone or an offset written in a string.
	`CREATE OR REPLACE TEMP MACRO pltv_timestamp(x) AS CASE WHEN typeof(x) = 'VARCHAR'
		THEN CAST(CAST(CAST(x AS VARCHAR) AS TIMESTAMPTZ) AS TIMESTAMP) ELSE CAST(x AS TIMESTAMP) END`,
	`CREATE OR REPLACE TEMP MACRO pltv_safe_timestamp(x) AS CASE WHEN typeof(x) = 'VARCHAR'
		THEN CAST(TRY_CAST(CAST(x AS VARCHAR) AS TIMESTAMPTZ) AS TIMESTAMP) ELSE TRY_CAST(x AS TIMESTAMP) END`,
	// CAST(timestamp AS STRING) ends with the +00 offset.
	`CREATE OR REPLACE TEMP MACRO pltv_string(x) AS CASE WHEN typeof(x) = 'TIMESTAMP'
		THEN CAST(x AS VARCHAR) || '+00' ELSE CAST(x AS VARCHAR) END`,
	// The first day of the week holding d, for weeks starting on weekday wd (Sunday = 0).
	`CREATE OR REPLACE TEMP MACRO pltv_week_start(d, wd) AS
		CAST(d AS DATE) - CAST((dayofweek(d) - wd + 7) % 7 AS INTEGER)`,
	// The number of the week holding d, for weeks starting on weekday wd; week 0 is before the first one.
	`CREATE OR REPLACE TEMP MACRO pltv_week_number(d, wd) AS
		(dayofyear(d) - 1 - ((dayofweek(d) - wd + 7) % 7) + 7) // 7`,
}
