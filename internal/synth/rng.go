package synth

import "math/rand/v2"

// Every random draw comes from a PCG stream keyed by what it is about (a customer's traits, one purchase's
// basket, one day's guests…), so any event can be regenerated from its key alone and the schedule stores
// nothing but keys.

// stream names one family of keyed random streams.
type stream uint64

const (
	streamCatalogue stream = iota + 1
	streamCalendar
	streamTraits
	streamPurchase
	streamBasket
	streamCancel
	streamCancelLines
	streamDay
	streamGuest
	streamGuestBasket
	streamFavourites
)

// splitmix64 is a bijective mixer (Steele, Lea, Flood 2014) that spreads nearby keys over the whole range.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// keyedRand is a reusable generator that is reseeded for each key.
type keyedRand struct {
	seed uint64
	pcg  rand.PCG
	*rand.Rand
}

func newKeyedRand(seed uint64) *keyedRand {
	k := &keyedRand{seed: splitmix64(seed)}
	k.Rand = rand.New(&k.pcg)
	return k
}

// reset positions the generator at the start of the stream for (s, a, b).
func (k *keyedRand) reset(s stream, a, b uint64) *keyedRand {
	k.pcg.Seed(k.seed^splitmix64(uint64(s)), splitmix64(a^splitmix64(b^uint64(s)<<56)))
	return k
}

// src is the generator as a source for gonum's distributions.
func (k *keyedRand) src() rand.Source { return &k.pcg }
