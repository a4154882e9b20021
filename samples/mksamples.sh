#!/bin/sh
# Rebuild samples/ (see samples/README.md); used by `make samples`.
exec python3 "$(dirname "$0")/mksamples.py" "$@"
