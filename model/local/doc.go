// Package local is the model driver for the lifetime-value model trained in Go (package training): the
// model is a versioned JSON file under the state directory (<state>/models/<name>.json), and it is served
// in-process.
//
// The model is two-part: the probability that a new customer buys again within the horizon (logistic
// regression) times the expected value of those later purchases given that they happen (a linear
// regression on the log of the value, corrected by Duan's smearing factor). Predict gives that product as
// the value, with "p_return" and "value_if_return" as the prediction's fields. The features are the columns
// of the prepare hook, found by name: numbers are transformed (a signed log1p for amounts and counts) and
// standardised with the training set's centre and scale, categories are one-hot encoded over the levels
// seen in training.
//
// Deploying is simulated so that the deploy-and-stop logic of the daily workflow runs for real: a
// deployment takes DeployTime (2 minutes by default) and an undeployment UndeployTime (30 seconds), as
// measured by the injected Clock; the state is derived from the time the last change started. The state
// lives in the memory of the process: every driver opened in one process on the same model file shares
// it, and a new process finds every model undeployed.
//
// Batch prediction reads a warehouse table and writes its rows, with predicted_value, p_return,
// value_if_return and prediction_error columns, to a new table.
package local
