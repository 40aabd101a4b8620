// Package faults is the fault-injection suite of the local runtime: each case runs a backfill through the
// pltv command while something goes wrong (events delivered twice or out of order, services answering 503,
// the process killed with SIGKILL and the backfill rerun, ranges run in the wrong order, overlapping
// backfills, a date's prepare failing for good), and compares every table with a clean run of the same range
// by row count and content checksum. The tests build the pltv binary once and run it as child processes, so
// that killing one is a real SIGKILL of a real process.
//
//	go test ./internal/faults/                         # every case, a few kill points
//	PLTV_KILL_TRIALS=40 go test -run KillAndRerun ./internal/faults/ -v   # many more kill points
package faults
