-- load predictions (batch mode): the rows of a batch prediction's output table, each with the columns of the
-- row it scored and its predicted value as predicted_value (FLOAT64). The local model writes exactly that; a
-- Vertex AI batch job writes predicted_<target>.value, so such deployments select it AS predicted_value here.
SELECT *
FROM {{ltv .BatchOutput}}
