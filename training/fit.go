package training

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"github.com/pltv/pltv/model/local"
)

// FitOptions tunes the fit.
type FitOptions struct {
	// Features are the columns the model takes; nil means DefaultFeatures.
	Features []FeatureSpec
	// MinLevelRows is how many training rows a category needs for a column of its own; 0 means 10.
	MinLevelRows int
	// L2Return and L2Value are the ridge penalties (per row) of the return and value parts; 0 means
	// DefaultL2Return and DefaultL2Value.
	L2Return, L2Value float64
	// CalibrationDays is how many of the latest cohort dates the calibration is fitted on; 0 means
	// DefaultCalibrationDays, a negative number no calibration.
	CalibrationDays int
}

// The default penalties.
const (
	DefaultL2Return = 0.3
	DefaultL2Value  = 30
	// DefaultCalibrationDays: the calibration follows the latest month of closed cohorts.
	DefaultCalibrationDays = 30
)

func (o FitOptions) withDefaults() FitOptions {
	if o.Features == nil {
		o.Features = DefaultFeatures
	}
	if o.MinLevelRows <= 0 {
		o.MinLevelRows = 10
	}
	if o.L2Return <= 0 {
		o.L2Return = DefaultL2Return
	}
	if o.L2Value <= 0 {
		o.L2Value = DefaultL2Value
	}
	if o.CalibrationDays == 0 {
		o.CalibrationDays = DefaultCalibrationDays
	}
	return o
}

// Fit fits the two-part model to the dataset: a logistic regression of returning (label > 0), fitted by
// L-BFGS with an L2 penalty, and a ridge regression of the log of the label over the rows that returned,
// with Duan's smearing factor. Each row weighs one over the number of rows of its customer's first date,
// so that a customer counts once. The file it returns has no name or window yet.
func Fit(ds *Dataset, opts FitOptions) (*local.File, error) {
	opts = opts.withDefaults()
	if ds.Len() == 0 {
		return nil, errors.New("fit: no training rows")
	}
	w := customerWeights(ds)
	features, err := learnFeatures(opts.Features, ds.Schema, ds.Rows, w, opts.MinLevelRows)
	if err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	enc, err := local.NewEncoder(features, ds.Schema)
	if err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	x := make([][]float64, ds.Len())
	returned := make([]bool, ds.Len())
	nReturned := 0
	for i, r := range ds.Rows {
		x[i] = make([]float64, enc.Width())
		if err := enc.Encode(r, x[i]); err != nil {
			return nil, fmt.Errorf("fit: row %d: %w", i, err)
		}
		returned[i] = ds.Label[i] > 0
		if returned[i] {
			nReturned++
		}
	}
	if nReturned == 0 {
		return nil, errors.New("fit: no customer of the cohort bought again within the horizon")
	}
	ret, err := fitLogistic(x, returned, w, opts.L2Return)
	if err != nil {
		return nil, fmt.Errorf("fit the return part: %w", err)
	}
	val, err := fitLogValue(x, ds.Label, returned, w, opts.L2Value)
	if err != nil {
		return nil, fmt.Errorf("fit the value part: %w", err)
	}
	f := &local.File{
		FormatVersion: local.FormatVersion,
		Kind:          local.KindTwoPart,
		Features:      features,
		Columns:       local.Columns(features),
		Return:        ret,
		Value:         val,
	}
	if opts.CalibrationDays > 0 {
		if f.Calibration, err = calibrate(f, ds, opts.CalibrationDays); err != nil {
			return nil, fmt.Errorf("fit: %w", err)
		}
	}
	return f, nil
}

// customerWeights weighs each row by one over the number of rows of its customer on its first date, so
// that every customer counts once however many invoices the first day had (they share one label).
func customerWeights(ds *Dataset) []float64 {
	count := map[[2]string]int{}
	for i := range ds.Rows {
		count[[2]string{ds.Client[i], ds.FirstDate[i]}]++
	}
	w := make([]float64, ds.Len())
	for i := range w {
		w[i] = 1 / float64(count[[2]string{ds.Client[i], ds.FirstDate[i]}])
	}
	return w
}

// fitLogistic minimises the weighted mean log loss plus l2/2 times the squared weights (not the
// intercept).
func fitLogistic(x [][]float64, y []bool, w []float64, l2 float64) (local.Linear, error) {
	k := len(x[0])
	var pos, n float64
	for i, yi := range y {
		n += w[i]
		if yi {
			pos += w[i]
		}
	}
	rate := min(max(pos/n, 1e-6), 1-1e-6)
	init := make([]float64, k+1)
	init[0] = math.Log(rate / (1 - rate))
	// Func and Grad share the predictions of the last point evaluated.
	p := make([]float64, len(x))
	eval := func(beta []float64) float64 {
		loss := 0.0
		for i, xi := range x {
			z := beta[0]
			for j, v := range xi {
				z += beta[j+1] * v
			}
			p[i] = sigmoid(z)
			// log(1 + e^z) - y z, computed without overflow.
			l := math.Max(z, 0) + math.Log1p(math.Exp(-math.Abs(z)))
			if y[i] {
				l -= z
			}
			loss += w[i] * l
		}
		pen := 0.0
		for _, b := range beta[1:] {
			pen += b * b
		}
		return loss/n + l2/2*pen
	}
	problem := optimize.Problem{
		Func: eval,
		Grad: func(grad, beta []float64) {
			eval(beta)
			clear(grad)
			for i, xi := range x {
				r := p[i]
				if y[i] {
					r--
				}
				r *= w[i]
				grad[0] += r
				for j, v := range xi {
					grad[j+1] += r * v
				}
			}
			for j := range grad {
				grad[j] /= n
				if j > 0 {
					grad[j] += l2 * beta[j]
				}
			}
		},
	}
	res, err := optimize.Minimize(problem, init, &optimize.Settings{GradientThreshold: 1e-7, MajorIterations: 1000}, &optimize.LBFGS{})
	if err != nil {
		return local.Linear{}, err
	}
	if res.Status != optimize.GradientThreshold && res.Status != optimize.FunctionConvergence {
		return local.Linear{}, fmt.Errorf("L-BFGS stopped without converging: %v", res.Status)
	}
	return local.Linear{Intercept: res.X[0], Weights: res.X[1:]}, nil
}

// fitLogValue solves the weighted ridge regression of ln(label) over the rows that returned:
// (AᵀWA + Λ) β = AᵀWt, A the encoded columns after an intercept column, W the row weights, Λ = l2·ΣW on
// the diagonal but for the intercept.
func fitLogValue(x [][]float64, label []float64, returned []bool, w []float64, l2 float64) (local.LogLinear, error) {
	k := len(x[0]) + 1
	var m float64
	ata := mat.NewSymDense(k, nil)
	atb := mat.NewVecDense(k, nil)
	row := make([]float64, k)
	row[0] = 1
	for i, xi := range x {
		if !returned[i] {
			continue
		}
		m += w[i]
		copy(row[1:], xi)
		t := math.Log(label[i])
		for a := range k {
			atb.SetVec(a, atb.AtVec(a)+w[i]*row[a]*t)
			for b := a; b < k; b++ {
				ata.SetSym(a, b, ata.At(a, b)+w[i]*row[a]*row[b])
			}
		}
	}
	for a := 1; a < k; a++ {
		ata.SetSym(a, a, ata.At(a, a)+l2*m)
	}
	var chol mat.Cholesky
	if ok := chol.Factorize(ata); !ok {
		return local.LogLinear{}, errors.New("the normal equations are not positive definite")
	}
	beta := mat.NewVecDense(k, nil)
	if err := chol.SolveVecTo(beta, atb); err != nil {
		return local.LogLinear{}, err
	}
	b := beta.RawVector().Data
	out := local.LogLinear{Linear: local.Linear{Intercept: b[0], Weights: append([]float64(nil), b[1:]...)}}
	// Duan's smearing: the mean of the exponentiated residuals.
	var smear float64
	for i, xi := range x {
		if !returned[i] {
			continue
		}
		mu := b[0]
		for j, v := range xi {
			mu += b[j+1] * v
		}
		smear += w[i] * math.Exp(math.Log(label[i])-mu)
	}
	out.Smearing = smear / m
	return out, nil
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}
