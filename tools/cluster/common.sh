# Shared helpers for the scale-out scripts (sourced, not run). Everything a service writes lives under
# one state directory; every daemon is started with a pid file and stopped by that pid file only.
set -euo pipefail

log() { printf '[%s %s] %s\n' "$(date +%H:%M:%S)" "${SCRIPT_NAME:-cluster}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# free_port: an unused TCP port on 127.0.0.1 (the kernel picks it; a race with another binder is
# possible but unlikely, and the service's own wait-for-ready check would then fail loudly).
PY=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.venv/bin/python
[[ -x $PY ]] || PY=$(command -v python3 || true)
free_port() {
    "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for SECONDS WHAT CMD...: poll CMD once a second until it succeeds or SECONDS pass.
wait_for() {
    local limit=$1 what=$2; shift 2
    local t0=$SECONDS
    until "$@" >/dev/null 2>&1; do
        (( SECONDS - t0 >= limit )) && { log "timed out after ${limit}s waiting for $what"; return 1; }
        sleep 1
    done
    log "$what ready after $(( SECONDS - t0 ))s"
}

# pid_alive PIDFILE: the process named in PIDFILE is running.
pid_alive() { [[ -s $1 ]] && kill -0 "$(head -n1 "$1")" 2>/dev/null; }

# pids_status RUNDIR NAME...: log whether each RUNDIR/NAME.pid process runs; fail if any does not.
pids_status() {
    local dir=$1 f rc=0
    shift
    for f in "$@"; do
        if pid_alive "$dir/$f.pid"; then log "$f running (pid $(head -n1 "$dir/$f.pid"))"; else log "$f not running"; rc=1; fi
    done
    return $rc
}

# wait_pidfile SECONDS PIDFILE WHAT: a daemon that forks writes its pid file when ready.
wait_pidfile() { wait_for "$1" "$3 (pid file $2)" pid_alive "$2"; }

# stop_pidfile PIDFILE WHAT [SIGNAL]: SIGNAL (TERM) the pid, wait up to 20 s, then KILL; remove the file.
stop_pidfile() {
    local file=$1 what=$2 sig=${3:-TERM} pid i
    [[ -s $file ]] || return 0
    pid=$(head -n1 "$file")
    if kill -0 "$pid" 2>/dev/null; then
        log "stopping $what (pid $pid)"
        kill "-$sig" "$pid" 2>/dev/null || true
        for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then
            log "$what (pid $pid) ignored SIG$sig; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$file"
}

# stop_group PIDFILE WHAT: like stop_pidfile for a process started with setsid (its whole group).
stop_group() {
    local file=$1 what=$2 pid i
    [[ -s $file ]] || return 0
    pid=$(head -n1 "$file")
    if kill -0 "$pid" 2>/dev/null; then
        log "stopping $what (process group $pid)"
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

# need_state: the state directory given by the caller (with-services.sh creates one per run).
need_state() {
    [[ -n ${ENERGYREPRO_SERVICES_DIR:-} ]] || die "set ENERGYREPRO_SERVICES_DIR to the services' state directory"
    mkdir -p "$ENERGYREPRO_SERVICES_DIR"
    STATE=$(cd "$ENERGYREPRO_SERVICES_DIR" && pwd)
}

# show_log FILE: the tail of a service log, for failure messages.
show_log() { [[ -f $1 ]] && { log "--- last lines of $1 ---"; tail -n 40 "$1" >&2; } || true; }
