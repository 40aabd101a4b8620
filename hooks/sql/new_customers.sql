-- new customers: the prepared rows of {run_date} whose customer bought nothing in the
-- MODEL_NEW_CLIENT_DAYS run dates before it.
SELECT t.*
FROM {{shard "prepared_daily_transactions" .Date}} AS t
WHERE t.clientId NOT IN (
  SELECT clientId
  FROM {{wildcard "prepared_daily_transactions"}}
  WHERE _TABLE_SUFFIX BETWEEN '{{.WindowStart}}' AND '{{.WindowEnd}}'
)
