package hooks

import (
	"embed"
	"io/fs"
)

//go:embed data/*.csv
var data embed.FS

// FeaturesCSV is the shipped training_data_features CSV for the Online Retail data (no header; value,type):
// the countries and best-selling products the default model knows. `pltv train` writes its own.
const FeaturesCSV = "data/training_data_features.csv"

// Data returns the shipped data files.
func Data() fs.FS { return data }
