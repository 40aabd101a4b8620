#!/usr/bin/env bash
# The tests: go test ./..., listing every top-level test's result (PASS, SKIP, FAIL) and each package's line,
# so that a log shows which suites ran (the Firestore suite on the emulator, say) and which were skipped; never
# from the test cache, so that the log is of this run.
set -euo pipefail
cd "$(dirname "$0")"
go test -count=1 -v "${@:-./...}" 2>&1 | grep -E --line-buffered '^(--- |ok |FAIL|panic: )|^\s+\S+\.go:[0-9]+: .*(emulator|shared data)'
