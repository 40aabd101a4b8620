package synth

// country is where a customer is based.
type country struct {
	name string
	// customers is the number of registered customers from this country in the real data, used as weight.
	customers float64
	// postage is the unit price of the POSTAGE line foreign orders carry; zero for the home market.
	postage float64
}

const ukCountry = 0 // index of the home market in countries

// countries lists the countries of the real data with their customer counts.
var countries = []country{
	{"United Kingdom", 3950, 0},
	{"Germany", 95, 18}, {"France", 87, 18}, {"Spain", 30, 28}, {"Belgium", 23, 15},
	{"Switzerland", 20, 40}, {"Portugal", 19, 28}, {"Italy", 15, 28}, {"Finland", 12, 40},
	{"Norway", 10, 40}, {"Netherlands", 9, 15}, {"Denmark", 9, 18}, {"Channel Islands", 9, 15},
	{"Austria", 9, 40}, {"Australia", 9, 40}, {"Sweden", 8, 40}, {"Japan", 8, 40}, {"Poland", 6, 40},
	{"Cyprus", 6, 40}, {"Unspecified", 4, 18}, {"USA", 4, 40}, {"Israel", 4, 40}, {"Greece", 4, 40},
	{"Canada", 4, 40}, {"EIRE", 3, 15}, {"United Arab Emirates", 2, 40}, {"Malta", 2, 40},
	{"Bahrain", 2, 40}, {"Singapore", 1, 40}, {"Saudi Arabia", 1, 40}, {"RSA", 1, 40},
	{"Lithuania", 1, 40}, {"Lebanon", 1, 40}, {"Iceland", 1, 40}, {"European Community", 1, 40},
	{"Czech Republic", 1, 40}, {"Brazil", 1, 40}, {"Hong Kong", 1, 40},
}

func countryWeights() []float64 {
	w := make([]float64, len(countries))
	for i, c := range countries {
		w[i] = c.customers
	}
	return w
}
