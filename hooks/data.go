package hooks

import (
	"embed"
	"io/fs"

	"github.com/pltv/pltv/warehouse"
)

//go:embed data/*.csv
var data embed.FS

// FeaturesCSV is the shipped training_data_features CSV for the Online Retail data (no header; value,type):
// the countries and best-selling products the default model knows. `pltv train` writes its own.
const FeaturesCSV = "data/training_data_features.csv"

// Data returns the shipped data files.
func Data() fs.FS { return data }

// SourceSchema is the schema of the shipped default's source: the Online Retail CSV columns, one file per day.
func SourceSchema() warehouse.Schema {
	return warehouse.Schema{
		{Name: "InvoiceNo", Type: warehouse.String},
		{Name: "StockCode", Type: warehouse.String},
		{Name: "Description", Type: warehouse.String},
		{Name: "Quantity", Type: warehouse.Integer},
		{Name: "InvoiceDate", Type: warehouse.Timestamp},
		{Name: "UnitPrice", Type: warehouse.Float},
		{Name: "CustomerID", Type: warehouse.String},
		{Name: "Country", Type: warehouse.String},
	}
}
