#!/usr/bin/env bash
# A single-node SLURM cluster on loopback, for the cluster test: `slurm.sh up|down|status`.
# munged, MariaDB, slurmdbd, slurmctld and slurmd run from their own state directory
# ($ENERGYREPRO_SERVICES_DIR/slurm) with free loopback ports, a fresh munge key and pid files, so nothing
# in /etc is changed and several such clusters could share a machine. Clients find it through the
# SLURM_CONF that `up` writes to $ENERGYREPRO_SERVICES_DIR/slurm.env. There is no systemd here: each
# daemon is started by hand, in the order accounting needs (munge -> MariaDB -> slurmdbd -> sacctmgr ->
# slurmctld -> slurmd); `down` stops them in reverse by pid file.
SCRIPT_NAME=slurm
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need_state
D=$STATE/slurm
CLUSTER=${ENERGYREPRO_SLURM_CLUSTER:-energyrepro}
ACCOUNT=${ENERGYREPRO_SLURM_ACCOUNT:-energyrepro}      # = default-resources in workflow/profiles/slurm
PARTITION=${ENERGYREPRO_SLURM_PARTITION:-energyrepro}
NODE=ernode1
# The plugin's job step strips SLURM_* variables (SLURM_CONF too) before it calls srun inside a job, so
# srun reads the default path: it is linked to this cluster's slurm.conf while the cluster is up.
ETC_CONF=/etc/slurm/slurm.conf
READY_S=${ENERGYREPRO_READY_TIMEOUT:-90}
export SLURM_CONF=$D/etc/slurm.conf

up() {
    [[ $(id -u) == 0 ]] || die "slurm.sh up must run as root (daemons, munge and MariaDB users)"
    pid_alive "$D/run/slurmctld.pid" && die "a cluster is already running in $D; run '$0 down' first"
    for b in munged mariadbd mariadb-install-db slurmdbd slurmctld slurmd sacctmgr sbatch sacct; do
        command -v "$b" >/dev/null || [[ -x /usr/sbin/$b ]] || die "$b not found: run tools/cluster/install.sh slurm"
    done
    export PATH=$PATH:/usr/sbin
    mkdir -p "$D"/{etc,run,log,ctld,spool,tmp}
    chmod 711 "$STATE" "$D"

    local cpus mem myport dbdport ctldport slurmdport pw
    cpus=$(nproc)
    mem=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)   # half of RAM: a shared machine
    myport=$(free_port); dbdport=$(free_port); ctldport=$(free_port); slurmdport=$(free_port)
    pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')

    # --- munge: a fresh key, its own socket (the cluster's auth) ---
    mkdir -p "$D/munge"; chown munge: "$D/munge"; chmod 711 "$D/munge"  # munged: socket dir needs x for all
    runuser -u munge -- mungekey --create --keyfile "$D/munge/munge.key" --force
    runuser -u munge -- munged --socket="$D/munge/munge.socket" --key-file="$D/munge/munge.key" \
        --pid-file="$D/munge/munged.pid" --log-file="$D/munge/munged.log" --seed-file="$D/munge/munged.seed" \
        || { show_log "$D/munge/munged.log"; die "munged did not start"; }
    wait_pidfile "$READY_S" "$D/munge/munged.pid" munged || { show_log "$D/munge/munged.log"; die "munged"; }
    ln -sf "$D/munge/munged.pid" "$D/run/munged.pid"
    wait_for "$READY_S" "munge credentials" sh -c "munge -S '$D/munge/munge.socket' -n | unmunge -S '$D/munge/munge.socket'" \
        || die "munge does not round-trip a credential"

    # --- MariaDB for accounting (slurmdbd), loopback TCP only, detached ---
    mkdir -p "$D/mysql"; chown mysql: "$D/mysql"; chmod 700 "$D/mysql"
    mariadb-install-db --no-defaults --user=mysql --datadir="$D/mysql/data" --auth-root-authentication-method=socket \
        --skip-test-db >"$D/log/mariadb-install.log" 2>&1 || { show_log "$D/log/mariadb-install.log"; die "mariadb-install-db failed"; }
    touch "$D/log/mariadb.log"; chown mysql: "$D/log/mariadb.log"; chown mysql: "$D/run"
    setsid mariadbd --no-defaults --user=mysql --datadir="$D/mysql/data" --socket="$D/mysql/mysqld.sock" \
        --port="$myport" --bind-address=127.0.0.1 --skip-name-resolve --pid-file="$D/run/mariadbd.pid" \
        --log-error="$D/log/mariadb.log" --innodb-buffer-pool-size=64M --innodb-use-native-aio=0 \
        </dev/null >/dev/null 2>&1 &
    wait_for "$READY_S" "MariaDB" mariadb-admin --no-defaults --socket="$D/mysql/mysqld.sock" ping \
        || { show_log "$D/log/mariadb.log"; die "MariaDB did not start"; }
    wait_pidfile 10 "$D/run/mariadbd.pid" mariadbd || die "mariadbd wrote no pid file"
    mariadb --no-defaults --socket="$D/mysql/mysqld.sock" -u root -e "
        CREATE DATABASE slurm_acct_db;
        CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$pw';
        GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';" || die "could not create the accounting database"

    # --- configuration ---
    cat >"$D/etc/slurmdbd.conf" <<CONF
AuthType=auth/munge
AuthInfo=socket=$D/munge/munge.socket
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=$dbdport
CommunicationParameters=NoInAddrAny
SlurmUser=root
PidFile=$D/run/slurmdbd.pid
LogFile=$D/log/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$myport
StorageUser=slurm
StoragePass=$pw
StorageLoc=slurm_acct_db
CONF
    chmod 600 "$D/etc/slurmdbd.conf"
    cat >"$D/etc/slurm.conf" <<CONF
# Single-node test cluster on loopback (written by tools/cluster/slurm.sh).
ClusterName=$CLUSTER
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=$ctldport
SlurmdPort=$slurmdport
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$D/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$D/ctld
SlurmdSpoolDir=$D/spool
TmpFS=$D/tmp
SlurmctldPidFile=$D/run/slurmctld.pid
SlurmdPidFile=$D/run/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
PlugStackConfig=$D/etc/plugstack.conf
MailProg=/bin/true
MpiDefault=none
# No cgroups in a container: track processes by /proc, bind tasks by affinity.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
# Without a default, a job that asks for no memory would take the whole node.
DefMemPerCPU=1000
# One stand-in GPU (gres.conf) so that rules with resources gpu=1 (sbatch --gpus=1) can be scheduled;
# no real device is bound, so those jobs run on the CPU (device: auto).
GresTypes=gpu
# The executor plugin polls sacct: accounting through slurmdbd (+ MariaDB) is required.
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$dbdport
# For slurmdbd this names the munge socket that sacct/sacctmgr use (the default is /run/munge).
AccountingStoragePass=$D/munge/munge.socket
AccountingStoreFlags=job_comment
AccountingStorageTRES=gres/gpu
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MinJobAge=300
ReturnToService=2
# Bind the daemons to their configured addresses (127.0.0.1), not to every interface.
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
SlurmctldTimeout=60
SlurmdTimeout=120
InactiveLimit=0
KillWait=5
NodeName=$NODE NodeHostname=$(hostname -s) NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem Gres=gpu:1 State=UNKNOWN
PartitionName=$PARTITION Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF
    # Slurm drops a GPU without a device file; /dev/null stands in (no real device is bound).
    echo "NodeName=$NODE Name=gpu File=/dev/null Count=1" >"$D/etc/gres.conf"
    : >"$D/etc/plugstack.conf"
    cat >"$STATE/slurm.env" <<ENV
export SLURM_CONF=$D/etc/slurm.conf
export PATH=\$PATH:/usr/sbin
export ENERGYREPRO_SLURM_ACCOUNT=$ACCOUNT ENERGYREPRO_SLURM_PARTITION=$PARTITION
ENV

    if [[ -e $ETC_CONF || -L $ETC_CONF ]]; then
        [[ -L $ETC_CONF && ! -e $ETC_CONF ]] && rm -f "$ETC_CONF"   # left over from a run that was killed
        [[ -e $ETC_CONF ]] && die "$ETC_CONF exists ($(readlink -f "$ETC_CONF")): another SLURM is configured on this machine"
    fi
    mkdir -p "$(dirname "$ETC_CONF")"
    ln -s "$D/etc/slurm.conf" "$ETC_CONF"

    # --- slurmdbd, then the cluster/account/user, then slurmctld and slurmd ---
    slurmdbd || { show_log "$D/log/slurmdbd.log"; die "slurmdbd did not start"; }
    wait_pidfile "$READY_S" "$D/run/slurmdbd.pid" slurmdbd || { show_log "$D/log/slurmdbd.log"; die "slurmdbd"; }
    wait_for "$READY_S" "slurmdbd" sacctmgr -n list cluster || { show_log "$D/log/slurmdbd.log"; die "slurmdbd does not answer"; }
    sacctmgr -i add cluster "$CLUSTER" >/dev/null
    sacctmgr -i add account "$ACCOUNT" Cluster="$CLUSTER" Description=energyrepro Organization=energyrepro >/dev/null
    sacctmgr -i add user root Account="$ACCOUNT" DefaultAccount="$ACCOUNT" Cluster="$CLUSTER" >/dev/null
    slurmctld || { show_log "$D/log/slurmctld.log"; die "slurmctld did not start"; }
    wait_pidfile "$READY_S" "$D/run/slurmctld.pid" slurmctld || { show_log "$D/log/slurmctld.log"; die "slurmctld"; }
    wait_for "$READY_S" "slurmctld" sh -c 'scontrol ping | grep -q UP' || { show_log "$D/log/slurmctld.log"; die "slurmctld does not answer"; }
    slurmd -N "$NODE" || { show_log "$D/log/slurmd.log"; die "slurmd did not start"; }
    wait_pidfile "$READY_S" "$D/run/slurmd.pid" slurmd || { show_log "$D/log/slurmd.log"; die "slurmd"; }
    wait_for "$READY_S" "node $NODE idle" sh -c "sinfo -h -n $NODE -o %t | grep -qx idle" \
        || { sinfo -N -l >&2 || true; show_log "$D/log/slurmd.log"; show_log "$D/log/slurmctld.log"; die "node $NODE never became idle"; }
    log "cluster $CLUSTER up: partition $PARTITION, account $ACCOUNT, node $NODE ($cpus CPUs, $mem MB); SLURM_CONF=$SLURM_CONF"
}

down() {
    export PATH=$PATH:/usr/sbin
    if pid_alive "$D/run/slurmctld.pid"; then
        # Cancel what is still queued or running so no job step outlives the cluster.
        timeout -k 5 20 scancel --quiet --user="$(id -un)" 2>/dev/null || true
        for _ in $(seq 1 20); do
            [[ -z $(timeout -k 2 10 squeue -h -o %i 2>/dev/null) ]] && break; sleep 1
        done
    fi
    stop_pidfile "$D/run/slurmd.pid" slurmd
    stop_pidfile "$D/run/slurmctld.pid" slurmctld
    stop_pidfile "$D/run/slurmdbd.pid" slurmdbd
    stop_pidfile "$D/run/mariadbd.pid" mariadbd
    stop_pidfile "$D/munge/munged.pid" munged
    rm -f "$D/run/munged.pid"
    [[ -L $ETC_CONF && $(readlink "$ETC_CONF") == "$D/etc/slurm.conf" ]] && rm -f "$ETC_CONF"
    log "cluster in $D stopped"
}

status() {
    export PATH=$PATH:/usr/sbin
    pids_status "$D/run" munged mariadbd slurmdbd slurmctld slurmd && sinfo >&2
}

case ${1:-} in
    up) up ;;
    down) down ;;
    status) status ;;
    *) die "usage: $0 up|down|status  (state in \$ENERGYREPRO_SERVICES_DIR/slurm)" ;;
esac
