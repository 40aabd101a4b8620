// Package farmhash computes FarmHash's Fingerprint64, the hash behind BigQuery's FARM_FINGERPRINT.
package farmhash

import (
	"encoding/binary"
	"math/bits"
)

const (
	k0 = 0xc3a5c85c97cb3127
	k1 = 0xb492b66fbe98f273
	k2 = 0x9ae16a3b2f90404f
)

func fetch64(s []byte, i int) uint64 { return binary.LittleEndian.Uint64(s[i:]) }
func fetch32(s []byte, i int) uint64 { return uint64(binary.LittleEndian.Uint32(s[i:])) }
func rotate(v uint64, n int) uint64  { return bits.RotateLeft64(v, -n) }
func shiftMix(v uint64) uint64       { return v ^ (v >> 47) }

func hashLen16(u, v, mul uint64) uint64 {
	a := (u ^ v) * mul
	a ^= a >> 47
	b := (v ^ a) * mul
	b ^= b >> 47
	return b * mul
}

func hashLen0to16(s []byte) uint64 {
	n := uint64(len(s))
	switch {
	case n >= 8:
		mul := k2 + n*2
		a := fetch64(s, 0) + k2
		b := fetch64(s, len(s)-8)
		c := rotate(b, 37)*mul + a
		d := (rotate(a, 25) + b) * mul
		return hashLen16(c, d, mul)
	case n >= 4:
		mul := k2 + n*2
		a := fetch32(s, 0)
		return hashLen16(n+(a<<3), fetch32(s, len(s)-4), mul)
	case n > 0:
		a, b, c := uint32(s[0]), uint32(s[n>>1]), uint32(s[n-1])
		y := a + b<<8
		z := uint32(n) + c<<2
		return shiftMix(uint64(y)*k2^uint64(z)*k0) * k2
	}
	return k2
}

func hashLen17to32(s []byte) uint64 {
	n := len(s)
	mul := k2 + uint64(n)*2
	a := fetch64(s, 0) * k1
	b := fetch64(s, 8)
	c := fetch64(s, n-8) * mul
	d := fetch64(s, n-16) * k2
	return hashLen16(rotate(a+b, 43)+rotate(c, 30)+d, a+rotate(b+k2, 18)+c, mul)
}

func hashLen33to64(s []byte) uint64 {
	n := len(s)
	mul := k2 + uint64(n)*2
	a := fetch64(s, 0) * k2
	b := fetch64(s, 8)
	c := fetch64(s, n-8) * mul
	d := fetch64(s, n-16) * k2
	y := rotate(a+b, 43) + rotate(c, 30) + d
	z := hashLen16(y, a+rotate(b+k2, 18)+c, mul)
	e := fetch64(s, 16) * mul
	f := fetch64(s, 24)
	g := (y + fetch64(s, n-32)) * mul
	h := (z + fetch64(s, n-24)) * mul
	return hashLen16(rotate(e+f, 43)+rotate(g, 30)+h, e+rotate(f+a, 18)+g, mul)
}

func weakHashLen32WithSeeds(s []byte, i int, a, b uint64) (uint64, uint64) {
	w, x, y, z := fetch64(s, i), fetch64(s, i+8), fetch64(s, i+16), fetch64(s, i+24)
	a += w
	b = rotate(b+a+z, 21)
	c := a
	a += x
	a += y
	b += rotate(a, 44)
	return a + z, b + c
}

// Fingerprint64 returns the 64-bit fingerprint of s.
func Fingerprint64(s []byte) uint64 {
	n := len(s)
	switch {
	case n <= 16:
		return hashLen0to16(s)
	case n <= 32:
		return hashLen17to32(s)
	case n <= 64:
		return hashLen33to64(s)
	}
	x := uint64(81) // the seed
	y := x*k1 + 113
	z := shiftMix(y*k2+113) * k2
	var v1, v2, w1, w2 uint64
	x = x*k2 + fetch64(s, 0)
	end := ((n - 1) / 64) * 64
	last64 := end + ((n - 1) & 63) - 63
	for i := 0; i != end; i += 64 {
		x = rotate(x+y+v1+fetch64(s, i+8), 37) * k1
		y = rotate(y+v2+fetch64(s, i+48), 42) * k1
		x ^= w2
		y += v1 + fetch64(s, i+40)
		z = rotate(z+w1, 33) * k1
		v1, v2 = weakHashLen32WithSeeds(s, i, v2*k1, x+w1)
		w1, w2 = weakHashLen32WithSeeds(s, i+32, z+w2, y+fetch64(s, i+16))
		x, z = z, x
	}
	mul := k1 + ((z & 0xff) << 1)
	i := last64
	w1 += uint64((n - 1) & 63)
	v1 += w1
	w1 += v1
	x = rotate(x+y+v1+fetch64(s, i+8), 37) * mul
	y = rotate(y+v2+fetch64(s, i+48), 42) * mul
	x ^= w2 * 9
	y += v1*9 + fetch64(s, i+40)
	z = rotate(z+w1, 33) * mul
	v1, v2 = weakHashLen32WithSeeds(s, i, v2*mul, x+w1)
	w1, w2 = weakHashLen32WithSeeds(s, i+32, z+w2, y+fetch64(s, i+16))
	x, z = z, x
	return hashLen16(hashLen16(v1, w1, mul)+shiftMix(y)*k0+z, hashLen16(v2, w2, mul)+x, mul)
}
