-- load predictions: joins the batch prediction output back to the rows it scored (batch mode only).
SELECT t.clientId, t.orderId, t.gclid, t.date, p.predicted_value
FROM {{shard "prepared_new_customers_daily_transactions" .Date}} AS t
JOIN {{ltv .BatchOutput}} AS p USING (orderId)
