#!/usr/bin/env bash
# Bring services up, run one command against them, and always tear them down (EXIT trap):
#   with-services.sh [--slurm] [--server] [--timeout SECONDS] -- COMMAND...
# (ENERGYREPRO_TEST_TIMEOUT, when set, replaces --timeout.)
# A fresh state directory per call (ENERGYREPRO_SERVICES_DIR, default a new /tmp/energyrepro-services.*)
# holds every pid file, log and database; the command sees SLURM_CONF (--slurm) and
# ENERGYREPRO_SERVER_URI (--server). It runs under `timeout -k`, because a Snakemake SLURM run whose
# status polling breaks waits forever and ignores SIGTERM. Set ENERGYREPRO_KEEP_SERVICES_DIR=1 to keep
# the state directory (logs) after a successful run; it is always kept after a failure.
SCRIPT_NAME=with-services
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

slurm=0 server=0 limit=600
while (( $# )); do
    case $1 in
        --slurm) slurm=1 ;;
        --server) server=1 ;;
        --timeout) limit=$2; shift ;;
        --) shift; break ;;
        *) die "unknown option $1 (usage: $0 [--slurm] [--server] [--timeout S] -- COMMAND...)" ;;
    esac
    shift
done
limit=${ENERGYREPRO_TEST_TIMEOUT:-$limit}   # the environment wins, to give a slow machine more time
(( $# )) || die "no command given (usage: $0 [--slurm] [--server] [--timeout S] -- COMMAND...)"

export ENERGYREPRO_SERVICES_DIR=${ENERGYREPRO_SERVICES_DIR:-$(mktemp -d /tmp/energyrepro-services.XXXXXX)}
rc=1
teardown() {
    local status=$?
    trap - EXIT INT TERM
    log "tearing down services in $ENERGYREPRO_SERVICES_DIR"
    (( server )) && { "$HERE/server.sh" down || log "server teardown reported an error"; }
    (( slurm )) && { "$HERE/slurm.sh" down || log "slurm teardown reported an error"; }
    if (( rc == 0 && status == 0 )) && [[ -z ${ENERGYREPRO_KEEP_SERVICES_DIR:-} ]]; then
        rm -rf "$ENERGYREPRO_SERVICES_DIR"
    else
        log "logs kept in $ENERGYREPRO_SERVICES_DIR"
    fi
    exit $(( rc ? rc : status ))
}
child=
on_signal() {
    log "interrupted: stopping the command, then the services"
    [[ -n $child ]] && { kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null || true; }
    rc=130
    exit 130
}
trap teardown EXIT
trap on_signal INT TERM

(( server )) && { "$HERE/server.sh" up; source "$ENERGYREPRO_SERVICES_DIR/server.env"; }
(( slurm )) && { "$HERE/slurm.sh" up; source "$ENERGYREPRO_SERVICES_DIR/slurm.env"; }
log "running (limit ${limit}s): $*"
# In the background and waited for, so that a signal reaches the trap at once; timeout forwards it.
timeout -k 30 "$limit" "$@" &
child=$!
set +e
wait "$child"
rc=$?
set -e
child=
(( rc == 124 || rc == 137 )) && log "ERROR: '$*' ran past ${limit}s and was killed"
exit $rc
