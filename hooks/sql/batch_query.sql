-- batch query: the rows of one prediction batch, in a stable order so that batch N is the same on every run.
SELECT *
FROM {{shard "prepared_new_customers_daily_transactions" .Date}}
ORDER BY orderId
LIMIT {{.BatchSize}} OFFSET {{.BatchOffset}}
