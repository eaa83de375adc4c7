#!/usr/bin/env bash
# Runs the ingest benchmark against a hub that is already running (see bench/README.md).
# Every argument goes to the program; `bench/run.sh --help` lists them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# BENCH_MAIN picks another program of the module (io.tally.bench.CatalogImportBenchmark: the catalog import).
exec mvn -q -f "$here/pom.xml" compile exec:java ${BENCH_MAIN:+-Dbench.main="$BENCH_MAIN"} -Dexec.args="$*"
