-- prepare: one row per invoice of a known customer, with exactly the columns the model takes.
-- Lines without CustomerID are dropped (the "dropped" part at the end counts them for the prepare stage's log);
-- cancellation lines (InvoiceNo "C...") are not invoices of their own but count as the customer's cancellations
-- of the day. day_invoices, day_lines and day_value are the customer's totals of the date over every invoice:
-- for a new customer, the first day's. bulk_lines counts the invoice's lines of a dozen units or more, the
-- trade packs that wholesale buyers order.
-- Countries the model was not trained on (not in training_data_features_{model_date} with type 'country')
-- become 'Other'; products of type 'product' in the same table are the model's best sellers.
WITH lines AS (
  SELECT
    InvoiceNo AS invoice,
    CAST(SAFE_CAST(CustomerID AS FLOAT64) AS INT64) AS customer,
    StockCode AS product,
    Quantity AS quantity,
    UnitPrice AS unit_price,
    InvoiceDate AS ts,
    Country AS country,
    STARTS_WITH(InvoiceNo, 'C') AS cancelled
  FROM {{shard "all_daily_transactions" .Date}}
  WHERE CustomerID IS NOT NULL AND CustomerID != ''
),
features AS (
  SELECT value, type FROM {{shard "training_data_features" .ModelDate}}
),
day_totals AS (
  SELECT customer, COUNT(DISTINCT invoice) AS day_invoices, COUNT(*) AS day_lines,
    SUM(quantity * unit_price) AS day_value
  FROM lines
  WHERE NOT cancelled
  GROUP BY customer
),
cancellations AS (
  SELECT customer, COUNT(*) AS cancelled_lines, SUM(-quantity * unit_price) AS cancelled_value
  FROM lines
  WHERE cancelled
  GROUP BY customer
)
SELECT
  CAST(l.customer AS STRING) AS clientId,
  l.invoice AS orderId,
  '' AS gclid,
  '{{.Date}}' AS date,
  MIN(l.ts) AS order_ts,
  EXTRACT(HOUR FROM MIN(l.ts)) AS hour,
  EXTRACT(DAYOFWEEK FROM MIN(l.ts)) AS weekday,
  IFNULL(ANY_VALUE(c.value), 'Other') AS country,
  ROUND(SUM(l.quantity * l.unit_price), 2) AS basket_value,
  SUM(l.quantity) AS items,
  COUNT(*) AS lines,
  COUNT(DISTINCT l.product) AS distinct_products,
  ROUND(SAFE_DIVIDE(SUM(l.quantity * l.unit_price), SUM(l.quantity)), 4) AS avg_unit_price,
  MAX(l.unit_price) AS max_unit_price,
  COUNTIF(l.quantity >= 12) AS bulk_lines,
  COUNTIF(p.value IS NOT NULL) AS best_seller_lines,
  ROUND(SAFE_DIVIDE(COUNTIF(p.value IS NOT NULL), COUNT(*)), 4) AS best_seller_share,
  IFNULL(ANY_VALUE(x.cancelled_lines), 0) AS cancelled_lines,
  ROUND(IFNULL(ANY_VALUE(x.cancelled_value), 0), 2) AS cancelled_value,
  ANY_VALUE(t.day_invoices) AS day_invoices,
  ANY_VALUE(t.day_lines) AS day_lines,
  ROUND(ANY_VALUE(t.day_value), 2) AS day_value
FROM lines AS l
LEFT JOIN features AS c ON c.type = 'country' AND c.value = l.country
LEFT JOIN features AS p ON p.type = 'product' AND p.value = l.product
LEFT JOIN cancellations AS x ON x.customer = l.customer
JOIN day_totals AS t ON t.customer = l.customer
WHERE NOT l.cancelled
GROUP BY l.customer, l.invoice
{{define "dropped"}}
SELECT COUNTIF(CustomerID IS NULL OR CustomerID = '') AS dropped
FROM {{shard "all_daily_transactions" .Date}}
{{end}}