// Package training trains and evaluates the local lifetime-value model (served by model/local) from the
// pipeline's own tables, so that training and serving see the same features.
//
// Train runs extract, prepare and filter for the dates that lack their tables, builds one training row
// per new-customer row (an invoice of a customer on the run date the filter stage found them new) of the
// cohort, labels it, fits the two-part model, and records it: the model file under <state>/models, its
// features table training_data_features_<model_date>, and a metadata row, so that the run dates after the
// model date use it. Training leaves out the burn-in: the run dates whose new-customer window the data
// covers for fewer than MODEL_BURN_IN_DAYS days, whose "new" customers are often existing ones who bought
// before the data begins (see History). By default the cohort is the DefaultCohortDays run dates from the
// first one out of the burn-in, the horizon 60 days, and the model date the cohort's end plus the horizon
// (20110530 on the Online Retail data).
//
// The label is the value the customer spends in the horizon: the sum of basket_value of the customer's
// prepared rows of the HorizonDays run dates after the first purchase date. Other invoices of the first
// purchase date do not count: each is a new-customer row of its own, predicted from its own basket, so
// counting it as future value would predict what the upload already carries. Each row weighs one over the
// number of its customer's first-date rows in the fit, so that every customer counts once.
//
// The fit is a logistic regression of returning (L-BFGS from gonum/optimize, L2 penalty) and a ridge
// regression of the log of the value of those who return, with Duan's smearing factor. The default
// penalties (DefaultL2Return, DefaultL2Value) are strong: with under a thousand first purchases and a
// heavy-tailed value they rank the Online Retail time splits better than weak ones do. They squeeze the
// predictions towards the mean, which the calibration undoes: Fit ends with a power law from the raw
// prediction to the mean label, fitted on the latest closed cohorts (FitOptions.CalibrationDays), so that
// the predicted level follows them.
//
// Evaluate measures the deployed model (the one the metadata table selects), or with a refit a model
// fitted for each split on the cohorts before it, against the first-purchase-value baseline on consecutive
// time splits of the later cohorts whose horizon the data covers, with the metrics of Wang, Liu and Miao
// (2019): normalized Gini, Spearman's rank correlation, decile MAPE, the AUC of returning and the
// top-decile value share, each with a bootstrap interval. It computes the pipeline tables it reads afresh,
// and writes metrics.json and each split's decile, calibration and gain charts as PNG under EvalDir.
package training
