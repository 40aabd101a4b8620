package synth

// event is one pending happening of a registered customer, packed in 64 bits so the schedule stays
// compact: kind in the top byte, purchase number in the next 24 bits, customer number in the low 32.
type event uint64

type eventKind uint8

const (
	eventPurchase eventKind = iota
	eventCancel
)

// maxPurchases bounds the purchase number a customer can reach (24 bits).
const maxPurchases = 1<<24 - 1

// maxCustomers bounds the number of customers (32-bit numbers, and a little room).
const maxCustomers = 1 << 31

func makeEvent(kind eventKind, id, k uint32) event {
	return event(uint64(kind)<<56 | uint64(k&maxPurchases)<<32 | uint64(id))
}

func (e event) kind() eventKind { return eventKind(e >> 56) }
func (e event) id() uint32      { return uint32(e) }
func (e event) k() uint32       { return uint32(e>>32) & maxPurchases }

// schedule holds the pending events of each day of the period; a day's list is dropped once processed.
type schedule [][]event

func (s schedule) add(day int, e event) { s[day] = append(s[day], e) }
