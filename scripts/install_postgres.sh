#!/usr/bin/env bash
# Make PostgreSQL server binaries available for the store tests (tests/test_store.py
# starts its own throwaway cluster with initdb/pg_ctl; no system service is used).
# Idempotent: does nothing when initdb is already under /usr/lib/postgresql/*/bin.
# Needs root (apt-get); without root or apt it only says so and exits 0, and the
# PostgreSQL tests skip with a clear reason.
set -euo pipefail

have_initdb() { compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; }

if have_initdb; then
    echo "install_postgres: $(ls -d /usr/lib/postgresql/*/bin/initdb | head -n1) present"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_postgres: apt-get not available; PostgreSQL tests will be skipped" >&2
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install_postgres: not root; cannot apt-get install postgresql; PostgreSQL tests will be skipped" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# the server package only; the cluster the Debian package may create is not used by the tests
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
if have_initdb; then
    echo "install_postgres: installed $(ls -d /usr/lib/postgresql/*/bin/initdb | head -n1)"
else
    echo "install_postgres: postgresql installed but initdb not found under /usr/lib/postgresql/*/bin" >&2
    exit 1
fi
