#!/usr/bin/env bash
# An MLflow tracking server backed by PostgreSQL, on loopback: `server.sh up|down|status`.
# PostgreSQL (Debian's package, run as user postgres) and `mlflow server` keep everything under
# $ENERGYREPRO_SERVICES_DIR/server: database cluster, artifact root, logs, pid files. Both listen on
# 127.0.0.1 only, on free ports (or ENERGYREPRO_PG_PORT / ENERGYREPRO_MLFLOW_PORT). `up` writes
# MLFLOW_TRACKING_URI to $ENERGYREPRO_SERVICES_DIR/server.env; `down` stops both by pid file.
SCRIPT_NAME=server
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need_state
D=$STATE/server
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MLFLOW=${MLFLOW_BIN:-$REPO/.venv/bin/mlflow}
READY_S=${ENERGYREPRO_READY_TIMEOUT:-120}
WORKERS=${ENERGYREPRO_MLFLOW_WORKERS:-2}

pg_bin() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
    [[ -x $d/postgres ]] || die "PostgreSQL not found under /usr/lib/postgresql: run tools/cluster/install.sh server"
    echo "$d"
}

up() {
    pid_alive "$D/run/mlflow.pid" && die "a server is already running from $D; run '$0 down' first"
    [[ -x $MLFLOW ]] || die "$MLFLOW not found: make setup, then pip install -e '.[server]'"
    "${MLFLOW%/mlflow}/python" -c "import psycopg2" 2>/dev/null || die "psycopg2 missing: .venv/bin/pip install -e '.[server]'"
    local pgbin pgport mlport pw as_pg=()
    pgbin=$(pg_bin)
    pgport=${ENERGYREPRO_PG_PORT:-$(free_port)}
    mlport=${ENERGYREPRO_MLFLOW_PORT:-$(free_port)}
    pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    mkdir -p "$D"/{run,log,artifacts}
    chmod 711 "$STATE" "$D"
    # PostgreSQL refuses to run as root: the database cluster belongs to user postgres.
    [[ $(id -u) == 0 ]] && as_pg=(runuser -u postgres --)
    mkdir -p "$D/pg"; [[ $(id -u) == 0 ]] && chown postgres: "$D/pg"; chmod 700 "$D/pg"
    ( umask 077; echo "$pw" >"$D/pg/.pw" ); [[ $(id -u) == 0 ]] && chown postgres: "$D/pg/.pw"

    # --- PostgreSQL: password auth over loopback TCP, its socket inside the state directory ---
    "${as_pg[@]}" "$pgbin/initdb" -D "$D/pg/data" -U mlflow --pwfile="$D/pg/.pw" -E UTF8 --locale=C \
        --auth-local=scram-sha-256 --auth-host=scram-sha-256 >"$D/log/initdb.log" 2>&1 \
        || { show_log "$D/log/initdb.log"; die "initdb failed"; }
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$D/pg/data" -l "$D/pg/postgres.log" -w -t "$READY_S" start \
        -o "-c listen_addresses=127.0.0.1 -p $pgport -k $D/pg -c max_connections=200 -c fsync=off" \
        >"$D/log/pg_ctl.log" 2>&1 || { show_log "$D/pg/postgres.log"; die "PostgreSQL did not start (port $pgport)"; }
    head -n1 "$D/pg/data/postmaster.pid" >"$D/run/postgres.pid"
    export PGPASSWORD=$pw
    wait_for "$READY_S" "PostgreSQL" "$pgbin/pg_isready" -h 127.0.0.1 -p "$pgport" -U mlflow -d postgres \
        || { show_log "$D/pg/postgres.log"; die "PostgreSQL does not answer"; }
    "$pgbin/psql" -q -h 127.0.0.1 -p "$pgport" -U mlflow -d postgres -c "CREATE DATABASE mlflow" \
        || die "could not create database mlflow"

    # --- mlflow server: PostgreSQL backend store, artifacts proxied to a local artifact root ---
    # The password goes in a pgpass file (libpq reads PGPASSFILE), not in the URI on the command line.
    ( umask 077; echo "127.0.0.1:$pgport:mlflow:mlflow:$pw" >"$D/run/pgpass" )
    local backend="postgresql://mlflow@127.0.0.1:$pgport/mlflow"
    unset PGPASSWORD
    # No server-side job runner (huey workers for GenAI jobs): run tracking needs none, and it
    # starts seven more processes on a shared machine.
    # Each worker's SQLAlchemy pool defaults to 5 (+10 overflow) connections with a 30 s wait: with 16+
    # concurrent writers on a busy machine that runs out, and MLflow answers 400 (not retried). Size it
    # above the number of concurrent jobs (workers x (size + overflow) < max_connections=200).
    PGPASSFILE=$D/run/pgpass MLFLOW_SERVER_ENABLE_JOB_EXECUTION=${MLFLOW_SERVER_ENABLE_JOB_EXECUTION:-false} \
        MLFLOW_SQLALCHEMYSTORE_POOL_SIZE=${MLFLOW_SQLALCHEMYSTORE_POOL_SIZE:-32} \
        MLFLOW_SQLALCHEMYSTORE_MAX_OVERFLOW=${MLFLOW_SQLALCHEMYSTORE_MAX_OVERFLOW:-32} \
        setsid "$MLFLOW" server --backend-store-uri "$backend" --artifacts-destination "file://$D/artifacts" \
        --serve-artifacts --host 127.0.0.1 --port "$mlport" --workers "$WORKERS" \
        </dev/null >"$D/log/mlflow.log" 2>&1 &
    echo $! >"$D/run/mlflow.pid"
    local uri="http://127.0.0.1:$mlport"
    wait_for "$READY_S" "mlflow server at $uri" sh -c "kill -0 \$(cat '$D/run/mlflow.pid') && '$PY' -c \
        'import urllib.request; urllib.request.urlopen(\"$uri/health\", timeout=5).read()'" \
        || { show_log "$D/log/mlflow.log"; die "mlflow server did not come up at $uri"; }
    cat >"$STATE/server.env" <<ENV
export ENERGYREPRO_SERVER_URI=$uri
export ENERGYREPRO_ARTIFACT_ROOT=$D/artifacts
ENV
    log "mlflow server $uri (backend PostgreSQL 127.0.0.1:$pgport/mlflow, artifacts $D/artifacts)"
}

down() {
    stop_group "$D/run/mlflow.pid" "mlflow server"
    # SIGINT is PostgreSQL's fast shutdown (disconnect clients, checkpoint, exit).
    stop_pidfile "$D/run/postgres.pid" PostgreSQL INT
    log "server in $D stopped"
}

status() { pids_status "$D/run" postgres mlflow; }

case ${1:-} in
    up) up ;;
    down) down ;;
    status) status ;;
    *) die "usage: $0 up|down|status  (state in \$ENERGYREPRO_SERVICES_DIR/server)" ;;
esac
