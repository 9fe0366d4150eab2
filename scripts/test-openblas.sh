#!/usr/bin/env bash
# Tests strand built with its optional OpenBLAS backend (-tags openblas: cgo
# and Debian's libopenblas-dev; see internal/kernel/openblas). The default
# build is pure Go and is tested by `go test ./...`; this runs the packages
# whose numbers go through matrix products again with OpenBLAS doing them.
# .ci/run calls it; it also runs by hand from anywhere in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
if ! dpkg -s libopenblas-dev >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libopenblas-dev >/dev/null
fi

export CGO_ENABLED=1
pkgs=(./internal/kernel/... ./contract/... ./linalg/... ./decomp/... ./interp/... .)
go vet -tags openblas "${pkgs[@]}"
staticcheck=$(go env GOPATH)/bin/staticcheck
if [ -x "$staticcheck" ]; then "$staticcheck" -tags openblas ./internal/kernel/...; fi
go test -tags openblas "${pkgs[@]}"
