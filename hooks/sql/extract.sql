-- extract: the scheduled query that copies one data day of the source into all_daily_transactions_{run_date}.
-- It is one fixed SQL text: the run date arrives as @run_date (DATE), as BigQuery Data Transfer passes it.
-- The data day is the run date minus EXTRACT_LAG_DAYS.
SELECT
  InvoiceNo,
  StockCode,
  Description,
  Quantity,
  InvoiceDate,
  UnitPrice,
  CustomerID,
  Country
FROM {{source}}
{{- if .SourceSharded}}
WHERE _TABLE_SUFFIX = FORMAT_DATE('%Y%m%d', DATE_SUB(@run_date, INTERVAL {{.LagDays}} DAY))
{{- else}}
WHERE DATE(InvoiceDate) = DATE_SUB(@run_date, INTERVAL {{.LagDays}} DAY)
{{- end}}
