// Package training trains and evaluates the local lifetime-value model (served by model/local) from the
// pipeline's own tables, so that training and serving see the same features.
//
// Train runs extract, prepare and filter for the dates it needs, builds one training row per
// new-customer row (a first purchase) of the cohort, labels it with the value the customer spent in the
// horizon after the first purchase date, fits the two-part model, and records it: the model file under
// <state>/models, its features table training_data_features_<model_date>, and a metadata row, so that
// run dates after the model date use it. Evaluate fits the same model on earlier cohorts and measures it
// against the first-purchase-value baseline on later cohorts whose horizon is fully observed, writing the
// metrics as JSON and the decile chart as PNG.
package training
