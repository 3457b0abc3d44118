#!/usr/bin/env bash
# Stops or starts the throwaway PostgreSQL cluster of .ci/run (used by scripts/two-nodes.sh).
# Needs PGBIN, PBM_PGDATA, PBM_PGSOCK and PBM_PGPORT in the environment.
set -euo pipefail
case "$1" in
  stop) su postgres -c "$PGBIN/pg_ctl -D $PBM_PGDATA -m fast -w stop" ;;
  start) su postgres -c "$PGBIN/pg_ctl -D $PBM_PGDATA -l $PBM_PGSOCK/pg.log -o '-p $PBM_PGPORT -k $PBM_PGSOCK -c listen_addresses=127.0.0.1' -w start" ;;
  *) echo "gebruik: $0 stop|start" >&2; exit 64 ;;
esac
