#!/usr/bin/env bash
# The tests: go test ./..., listing every top-level test's result (PASS, SKIP, FAIL) and each package's line,
# so that a log shows which suites ran (the Firestore suite on the emulator, say) and which were skipped.
set -euo pipefail
cd "$(dirname "$0")"
go test -v "${@:-./...}" 2>&1 | grep -E --line-buffered '^(--- |ok |FAIL|panic: )|^\s+\S+\.go:[0-9]+: .*(emulator|shared data)'
