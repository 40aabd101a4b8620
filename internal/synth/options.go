package synth

import (
	"errors"
	"fmt"
	"time"
)

// DefaultStart is the first day generated when Options.Start is zero: the first day of the real data set.
var DefaultStart = time.Date(2010, 12, 1, 0, 0, 0, 0, time.UTC)

// MaxDays bounds Options.Days (ten years).
const MaxDays = 3660

// ErrInvalidOptions is wrapped by every error that Options.Validate returns.
var ErrInvalidOptions = errors.New("invalid generate options")

// Options sizes and places one generated data set. Set exactly one of Customers and Transactions.
type Options struct {
	// Out is the directory the day files are written to; it is created when missing. Files of the days
	// generated are replaced; other files are left alone.
	Out string
	// Days is the number of calendar days from Start. Days without trading (Saturdays, 25–26 December and
	// 1 January) get no file.
	Days int
	// Start is the first calendar day (its date in UTC is used); zero means DefaultStart.
	Start time.Time
	// Seed makes the output reproducible: the same options give the same bytes.
	Seed uint64
	// Customers is the number of registered customers whose first purchase falls in the period.
	Customers int
	// Transactions is an approximate target number of CSV lines (invoice lines, all kinds); the number of
	// customers is derived from it with a small pilot run.
	Transactions int
}

// Validate reports the first problem with o, wrapping ErrInvalidOptions.
func (o Options) Validate() error {
	switch {
	case o.Out == "":
		return fmt.Errorf("%w: output directory is empty", ErrInvalidOptions)
	case o.Days <= 0 || o.Days > MaxDays:
		return fmt.Errorf("%w: days must be in 1..%d, got %d", ErrInvalidOptions, MaxDays, o.Days)
	case o.Customers < 0 || o.Transactions < 0:
		return fmt.Errorf("%w: customers and transactions must not be negative", ErrInvalidOptions)
	case o.Customers > 0 && o.Transactions > 0:
		return fmt.Errorf("%w: set customers or transactions, not both", ErrInvalidOptions)
	case o.Customers == 0 && o.Transactions == 0:
		return fmt.Errorf("%w: set customers or transactions", ErrInvalidOptions)
	case o.Customers > maxCustomers:
		return fmt.Errorf("%w: at most %d customers, got %d", ErrInvalidOptions, maxCustomers, o.Customers)
	}
	return nil
}

func (o Options) start() time.Time {
	if o.Start.IsZero() {
		return DefaultStart
	}
	y, m, d := o.Start.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Summary counts what one generation wrote.
type Summary struct {
	Files           int   // day files written (trading days with at least one line)
	Lines           int64 // CSV data lines, header excluded
	Bytes           int64 // bytes written, headers included
	Invoices        int64 // invoices of all kinds, cancellations included
	Cancellations   int64 // cancellation invoices ("C" prefix)
	CancelLines     int64 // lines of cancellation invoices
	GuestLines      int64 // lines without a CustomerID
	Customers       int64 // registered customers with a first purchase in the period
	RepeatCustomers int64 // of those, customers with a second purchase in the period
	First, Last     time.Time
}
