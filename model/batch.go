package model

import "github.com/pltv/pltv/warehouse"

// BatchJob predicts every row of one table.
type BatchJob struct {
	// Source is the table of rows, its columns the model's features (plus any the model ignores).
	Source warehouse.Ref
	// Destination is the dataset the output table is created in. Neither Vertex AI nor AutoML lets the
	// caller name the table itself; AutoML Tables even creates a dataset of its own in Destination's
	// project. BatchResult names the table that was written.
	Destination warehouse.Dataset
	// Labels are set on the job, like on every job pltv starts.
	Labels warehouse.Labels
}

// BatchResult describes a finished batch prediction.
type BatchResult struct {
	// Predictions is the table the predictions were written to.
	Predictions warehouse.Ref
	// Succeeded and Failed count the rows, when the service reports them (-1 when it does not).
	Succeeded, Failed int64
}
