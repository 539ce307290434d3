#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL server: the shop's server for the tests and the
# benchmarks. The cluster of the Debian `postgresql` package is made in a temporary folder
# (initdb as a non-root user: as root it belongs to nobody), listens on 127.0.0.1 and a socket
# in that folder, and is stopped and removed when the command ends, whatever it returns.
#
# The superuser "saldo" may log in without a password from this machine's loopback; every other
# role's password is checked (scram-sha-256), as a shop's server checks them. The command sees
# the server's address in SALDO_TEST_POSTGRES and SALDO_BENCH_POSTGRES.
#
#   scripts/with-postgres.sh cargo bench --bench history -- 1000000
set -euo pipefail

if (($# == 0)); then
  echo "usage: scripts/with-postgres.sh COMMAND [ARGS…]" >&2
  exit 2
fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [[ -z $pg_bin ]]; then
  echo "with-postgres.sh: PostgreSQL is not installed (sudo apt-get install postgresql)" >&2
  exit 1
fi
pg_dir=$(mktemp -d -t saldo-pg.XXXXXX)
as_cluster=()
if [[ $(id -u) -eq 0 ]]; then
  chown nobody:nogroup "$pg_dir"
  as_cluster=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
stop_cluster() {
  "${as_cluster[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_cluster EXIT

"${as_cluster[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U saldo --auth=trust -E UTF8 --no-locale \
  >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log" >&2; exit 1; }
printf '%s\n' "local all all trust" "host all saldo 127.0.0.1/32 trust" \
  "host all all 127.0.0.1/32 scram-sha-256" >"$pg_dir/data/pg_hba.conf"
pg_port=""
for port in $(seq 55432 55462); do
  if "${as_cluster[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 30 \
      -o "-k $pg_dir -c listen_addresses=127.0.0.1 -p $port -c fsync=off -c max_connections=200" \
      start >/dev/null 2>&1; then
    pg_port=$port
    break
  fi
done
if [[ -z $pg_port ]]; then
  echo "with-postgres.sh: the throw-away PostgreSQL did not start:" >&2
  cat "$pg_dir/server.log" >&2
  exit 1
fi
export SALDO_TEST_POSTGRES="postgres://saldo@127.0.0.1:$pg_port/postgres?sslmode=disable"
export SALDO_BENCH_POSTGRES="$SALDO_TEST_POSTGRES"
echo "PostgreSQL for the tests: $SALDO_TEST_POSTGRES"
"$@"
