#!/usr/bin/env bash
# Install the Debian packages of the scale-out tests (as root): `install.sh slurm server`.
# Packages already installed are not touched; `apt-get update` runs only when something is missing.
SCRIPT_NAME=install
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

declare -A PKGS=(
    [slurm]="slurmctld slurmd slurm-client slurmdbd munge mariadb-server"
    [server]="postgresql"
)
(( $# )) || die "usage: $0 slurm|server ..."
missing=()
for group in "$@"; do
    [[ -n ${PKGS[$group]:-} ]] || die "unknown package group '$group' (known: ${!PKGS[*]})"
    for p in ${PKGS[$group]}; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
done
if (( ${#missing[@]} == 0 )); then
    log "already installed: $*"
    exit 0
fi
[[ $(id -u) == 0 ]] || die "missing Debian packages (${missing[*]}); run as root or install them first"
export DEBIAN_FRONTEND=noninteractive
log "apt-get install ${missing[*]}"
timeout -k 10 300 apt-get update -q >/dev/null
# policy-rc.d keeps the packages' init scripts from starting system-wide daemons: ours run on loopback
# with their own state directory, started by slurm.sh / server.sh.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created_policy=1
fi
trap '(( created_policy )) && rm -f "$policy"' EXIT
timeout -k 10 480 apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
log "installed ${missing[*]}"
