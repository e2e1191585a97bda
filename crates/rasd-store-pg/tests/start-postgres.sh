#!/usr/bin/env bash
# Installs (from Debian's packages, when missing) and starts a PostgreSQL server on
# loopback for the tests of the shared store, with a role `rasd` that may create
# databases. Prints the URL to export as RASD_TEST_POSTGRES on its last line.
# Idempotent: safe to run again.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends postgresql >/dev/null
fi
version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$version main"; then
    pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -qx online; then
    pg_ctlcluster "$version" main start
fi
port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')"
as_postgres() { runuser -u postgres -- "$@"; }
for _ in $(seq 1 30); do
    as_postgres pg_isready -q -p "$port" && break
    sleep 1
done
if [ "$(as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'rasd'")" != "1" ]; then
    as_postgres psql -p "$port" -q -c "CREATE ROLE rasd LOGIN PASSWORD 'rasd' CREATEDB"
fi
echo "postgres://rasd:rasd@127.0.0.1:$port/postgres"
