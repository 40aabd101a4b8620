package synth

import "cmp"

// invoiceKind tells what an invoice of the day is.
type invoiceKind uint8

const (
	invoicePurchase invoiceKind = iota
	invoiceCancel
	invoiceGuest
)

// invoice is one invoice of the day, before its lines are drawn: the day's invoices are sorted by time and
// numbered in that order.
type invoice struct {
	minute int
	kind   invoiceKind
	guest  guestKind
	id     uint32 // customer number, or the guest invoice's index in the day
	k      uint32 // purchase number
	t      traits // the customer's, for purchases and cancellations; Country only for guests
}

func compareInvoices(a, b invoice) int {
	return cmp.Or(cmp.Compare(a.minute, b.minute), cmp.Compare(a.kind, b.kind), cmp.Compare(a.id, b.id),
		cmp.Compare(a.k, b.k))
}
