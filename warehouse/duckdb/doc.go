// Package duckdb is the embedded warehouse: the warehouse port on one DuckDB file (or a database in memory),
// for running pltv on one machine, in demos and in tests, with the SQL written for BigQuery.
//
//	w, err := duckdb.Open(filepath.Join(state, "warehouse.duckdb"), duckdb.WithLogger(log), duckdb.WithClock(clock.Now))
//
// # Names
//
// A dataset is a DuckDB schema, created on the first write into it. SQL names tables as BigQuery does,
// `project.dataset.table` (or dataset.table): the project part is accepted and ignored, so SQL written for
// BigQuery runs unchanged. `project.dataset.name_*` is a wildcard table with the _TABLE_SUFFIX pseudo column.
//
// # Date shards
//
// A date shard name_YYYYMMDD that a job, Insert or Copy writes is stored with the other shards of its
// family, as the rows of one table name__shards whose _shard column holds the date, and is seen under its own
// name through a view of its rows; the table _pltv.shards lists them. SQL reads a shard by its name as any
// table, and a wildcard table over a family is one scan of its table, where DuckDB's zone maps skip the rows
// of the shards that the filters on _TABLE_SUFFIX leave out. Writing a shard replaces (or appends to) its rows
// in one transaction; Drop deletes them, and the family's table with its last shard. A family has the columns
// of its first shard: a shard written with other columns is a table of its own (or, when it is the family's
// only shard, re-creates the family). So is a shard written with 122,880 rows (a DuckDB row group) or more,
// which gains nothing from sharing a table and is cheaper to replace as a table. Statements of a script that
// name a shard (DML, DROP, CREATE OR REPLACE) first turn it into a table of its own. Names ending in __shards
// are the driver's.
//
// The warehouse keeps its own record of the tables (their columns and row counts), read from DuckDB's
// catalog when first needed and kept up to date by its writes, so that Table, Tables and wildcards do not
// scan DuckDB's catalog; a script makes it read the catalog again. This is why the file must have one writer.
//
// # Jobs
//
// Query, Load and Copy are jobs: each gets a unique id, its labels are checked with BigQuery's rules, and it
// is recorded, failed or not, in a job log kept in the database (the newest 10000 by default; see Jobs), then
// handed to the hooks of WithJobHook. A job that writes runs in one transaction, which records it in the log
// too: a failure leaves the destination as it was. Writers are serialised; readers run alongside them. The
// query of a query job, and the CSV of a load job, are run before the job waits for the writers, into a
// temporary table that the job then moves into place: a job reads the tables as they were when it started, as
// in BigQuery, and one job's query runs while another job commits.
//
// Each job commits once, and DuckDB syncs its write-ahead log to disk at every commit: a job that returned is
// durable, and a crash (of the process or of the machine) leaves the file as of the last committed job, which
// DuckDB replays when the file is opened again. The sync costs about a millisecond per job on an SSD; DuckDB's
// default checkpointing (the log is folded into the file past 16 MB, and on Close) is kept.
//
// # GoogleSQL
//
// The SQL is translated to DuckDB's dialect (package internal/googlesql), keeping its lines, so that the line
// of an error is the line of the GoogleSQL. A construct the translation does not handle fails with a
// *warehouse.UnsupportedError naming it and its line; any other error of DuckDB is a *warehouse.SQLError, and
// a missing table wraps warehouse.ErrNotFound and names the table.
//
// # Known differences from BigQuery
//
// Names and types:
//   - DuckDB names are case-insensitive: tables T and t are one table (BigQuery's table names are
//     case-sensitive). Wildcard prefixes match case-sensitively, as in BigQuery.
//   - INT64 is BIGINT, FLOAT64 DOUBLE, NUMERIC and BIGNUMERIC are DECIMAL(38,9) (BIGNUMERIC loses precision),
//     BYTES is BLOB. DATETIME and TIMESTAMP are both a TIMESTAMP without zone holding UTC.
//   - Integer literals are 32-bit in DuckDB: arithmetic on literals alone past ±2^31 overflows
//     (SELECT 2147483647 + 1 fails); cast one operand to INT64.
//   - STRUCT values and types, SELECT AS STRUCT/VALUE and UNNEST ... WITH OFFSET are not supported. Arrays
//     are DuckDB lists; ARRAY_AGG keeps NULL elements (BigQuery refuses them unless IGNORE NULLS).
//   - Unnamed result columns are named f0_, f1_, ... as in BigQuery; results are stored with BigQuery's types
//     (a SUM of integers, a HUGEINT in DuckDB, is stored as an INT64).
//
// Functions and operators:
//   - Functions the translation does not list run as DuckDB's function of the same name, when there is one;
//     a function DuckDB lacks is a SQLError. ML.*, NET.*, KEYS.*, AEAD.* and HLL_COUNT.* are refused, and so
//     is the SAFE. prefix except on PARSE_DATE, PARSE_DATETIME, PARSE_TIMESTAMP, CAST and DIVIDE.
//     FARM_FINGERPRINT is FarmHash's Fingerprint64 computed in Go (STRING arguments only, not BYTES).
//   - x / 0 is Infinity or NaN instead of an error; SAFE_ADD, SAFE_SUBTRACT, SAFE_MULTIPLY and SAFE_NEGATE
//     fail on overflow instead of returning NULL. The bitwise XOR operator ^ is refused.
//   - CAST of a FLOAT64 to STRING prints the shortest exact form, and 1.0 as "1.0" (BigQuery prints "1").
//     CAST(string AS INT64) accepts what DuckDB accepts.
//   - FORMAT_* and PARSE_* need their format as a string literal. %Z prints UTC and %z +0000 (every TIMESTAMP is
//     UTC); parsing does not take %C, %g, %J, %P, %Q or %s. FORMAT is DuckDB's printf: %t, %T and %P are
//     refused.
//   - DATE_TRUNC returns a DATE (use TIMESTAMP_TRUNC or DATETIME_TRUNC on timestamps); DATE_DIFF casts its
//     arguments to DATE.
//   - Time zones are supported in TIMESTAMP(x, zone), DATE(timestamp, zone), DATETIME(timestamp, zone),
//     FORMAT_TIMESTAMP(f, t, zone) without %Z or %z, PARSE_TIMESTAMP(f, s, zone) and time zone names or offsets
//     in TIMESTAMP literals and strings; not in TIMESTAMP_TRUNC, EXTRACT ... AT TIME ZONE or CURRENT_DATE(zone).
//   - CURRENT_DATE, CURRENT_DATETIME and CURRENT_TIMESTAMP read the warehouse's clock (WithClock).
//   - APPROX_QUANTILES is exact (DuckDB's quantile_disc) and needs a constant number of quantiles;
//     STRING_AGG ... LIMIT and REGEXP_EXTRACT with a position or an occurrence are refused.
//   - Scripting (DECLARE, SET, BEGIN ... END, IF, loops, CALL, EXECUTE IMMEDIATE), CREATE FUNCTION, MODEL
//     and PROCEDURE, FOR SYSTEM_TIME AS OF, INFORMATION_SCHEMA and @@ system variables are refused. A query job
//     without a destination may hold several statements (DDL, DML, queries): they run in one transaction.
//   - CREATE TABLE ignores PARTITION BY, CLUSTER BY and OPTIONS.
//
// Tables and jobs:
//   - A wildcard table is the union, by column name, of the tables and shards whose name starts with the
//     prefix (views created by scripts are not matched); columns of different types are unified by DuckDB's
//     rules, where BigQuery uses the newest table's schema. The conjuncts of the WHERE clause that test
//     _TABLE_SUFFIX with constants, parameters and functions only are evaluated first, so that only the
//     matching tables and shards are read (BigQuery prunes the same way). SELECT * leaves _TABLE_SUFFIX out,
//     as in BigQuery.
//   - WRITE_APPEND matches a query's columns to the table's by name. Insert creates a missing table from the
//     schema (BigQuery's insertAll needs the table) and writes all its rows or none.
//   - Loads read CSV only: an empty field is NULL, quoted or not; quoted newlines are accepted; a BYTES field
//     is loaded as its text (BigQuery expects base64); no bad record is tolerated.
//   - Read converts and hands over one batch at a time, but DuckDB computes a query's whole result (in its
//     buffer pool, which spills to disk) before the first row is read.
//   - The file is used by one process at a time (DuckDB locks it), and by one Warehouse in that process: two
//     would share the database but not the lock that serialises writers.
package duckdb
