#!/usr/bin/env bash
#
# formation.sh - bring up / tear down a throw-away pg_auto_failover formation
# (1 monitor + 2 Postgres nodes, synchronous replication) on this machine.
#
# Usage:
#   formation.sh up         <workdir> <monitorPort> <nodeAPort> <nodeBPort>
#   formation.sh down       <workdir>
#   formation.sh status     <workdir>             # monitor's view of the nodes
#   formation.sh primary    <workdir>             # prints the port of the current primary
#   formation.sh kill-node  <workdir> <nodePort>  # SIGKILL keeper + postgres of one node (host crash)
#   formation.sh start-node <workdir> <nodePort>  # restart a killed node's keeper; waits until it
#                                                 # is back as secondary (sync replication again)
#
# Everything lives under <workdir>: data directories, unix sockets (<workdir>/sock),
# pg_autoctl config/state/pid files (XDG_* dirs), and logs (<workdir>/logs/*.log).
# Postgres listens on 127.0.0.1 only; the system cluster (port 5432,
# /var/run/postgresql) is never touched.
#
# When run as root, pg_autoctl/postgres run as the OS user $PGAF_OS_USER (default
# "postgres") via runuser; when run as a non-root user they run as that user.
#
# Output of `up` (stdout, one KEY=VALUE per line, after "FORMATION READY"):
#   PRIMARY_PORT, STANDBY_PORT, MONITOR_PORT, JDBC_URL, PSQL_URL, SETUP_SECONDS
#
# Environment knobs (all optional):
#   PG_BINDIR            Postgres binaries      (default /usr/lib/postgresql/15/bin)
#   PG_AUTOCTL           pg_autoctl binary      (default: from PATH, else /usr/bin/pg_autoctl)
#   PGAF_OS_USER         OS user when root      (default postgres)
#   PGAF_UP_TIMEOUT      seconds for `up`       (default 180)
#   PGAF_NODE_TIMEOUT    seconds for start-node (default 120)
#   PGAF_STOP_TIMEOUT    seconds for graceful stop in `down` before SIGKILL (default 15)
#   PGAF_DB              database created on the primary (default deltaplane)
#   PGAF_KEEP_ON_FAILURE if 1, a failed `up` leaves processes running for debugging
#   PGAF_UNHEALTHY_TIMEOUT_MS, PGAF_DEMOTE_TIMEOUT_MS, PGAF_HEALTH_CHECK_*  monitor tuning
#                        (see MONITOR_SETTINGS below)
#
set -euo pipefail

PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
if [[ -z ${PG_AUTOCTL:-} ]]; then
    PG_AUTOCTL=$(command -v pg_autoctl 2>/dev/null || true)
    [[ -n $PG_AUTOCTL ]] || PG_AUTOCTL=/usr/bin/pg_autoctl
fi
PGAF_OS_USER=${PGAF_OS_USER:-postgres}
UP_TIMEOUT=${PGAF_UP_TIMEOUT:-180}
NODE_TIMEOUT=${PGAF_NODE_TIMEOUT:-120}
STOP_TIMEOUT=${PGAF_STOP_TIMEOUT:-15}
DB_NAME=${PGAF_DB:-deltaplane}
MARKER=.pgaf-formation

# Monitor failure-detection settings, applied with ALTER SYSTEM + reload on the monitor
# (pg_auto_failover defaults in parentheses). Failover time after a primary crash is
# roughly unhealthy_timeout + max(demote_timeout, ~1 s keeper round trip) + ~0.5 s.
# A failover needs BOTH a failed health check (connection to Postgres fails) AND no
# keeper report for unhealthy_timeout, so a slow CI box alone does not trigger one.
MONITOR_SETTINGS=(
    "pgautofailover.health_check_period=${PGAF_HEALTH_CHECK_PERIOD_MS:-1000}"        # (5000) ms between checks
    "pgautofailover.health_check_timeout=${PGAF_HEALTH_CHECK_TIMEOUT_MS:-1000}"      # (5000) ms connect timeout
    "pgautofailover.health_check_max_retries=${PGAF_HEALTH_CHECK_MAX_RETRIES:-1}"    # (2) retries before "bad"
    "pgautofailover.health_check_retry_delay=${PGAF_HEALTH_CHECK_RETRY_DELAY_MS:-500}"  # (2000) ms
    "pgautofailover.node_considered_unhealthy_timeout=${PGAF_UNHEALTHY_TIMEOUT_MS:-3000}"  # (20000) ms w/o report
    "pgautofailover.primary_demote_timeout=${PGAF_DEMOTE_TIMEOUT_MS:-1000}"           # (30000) ms drain wait
    "pgautofailover.startup_grace_period=${PGAF_STARTUP_GRACE_MS:-1000}"              # (10000) ms after monitor start
)

W=""            # workdir (absolute)
START_TS=$(date +%s)

log()  { printf '[formation %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------------------
# diagnostics
# ---------------------------------------------------------------------------
DIAG=1         # 0 while `up` has not started any process yet (nothing to diagnose)
diagnostics() {
    (( DIAG )) || return 0
    [[ -n $W && -d $W ]] || return 0
    {
        echo "----- formation diagnostics ($W) -----"
        if [[ -f $W/formation.env ]]; then
            echo "--- monitor view of the nodes:"
            monitor_nodes_verbose 2>&1 || echo "(monitor not reachable)"
            echo "--- last monitor events:"
            monitor_sql "SELECT eventtime::time(0), nodename, reportedstate, goalstate, description
                           FROM pgautofailover.event ORDER BY eventid DESC LIMIT 15" 2>&1 \
                || echo "(monitor not reachable)"
        fi
        local f
        for f in "$W"/logs/*.log; do
            [[ -f $f ]] || continue
            echo "--- tail -n 40 $f"
            tail -n 40 "$f" 2>&1 || true
        done
        for f in "$W"/monitor "$W"/node_a "$W"/node_b; do
            [[ -d $f ]] || continue
            if [[ -f $f/startup.log ]]; then
                echo "--- tail -n 15 $f/startup.log"
                tail -n 15 "$f/startup.log" 2>&1 || true
            fi
            local pglog
            pglog=$(ls -1t "$f"/log/*.log 2>/dev/null | head -n 1 || true)
            if [[ -n $pglog ]]; then
                echo "--- tail -n 25 $pglog"
                tail -n 25 "$pglog" 2>&1 || true
            fi
        done
        echo "----- end of diagnostics -----"
    } >&2
}

die() {
    log "ERROR: $*"
    diagnostics
    DIAG_DONE=1
    exit 1
}

# up-specific failure: diagnostics, then stop what we started (workdir is kept for logs;
# `down` removes it).
fail_up() {
    FAIL_HANDLED=1
    log "ERROR: $*"
    diagnostics
    if [[ ${PGAF_KEEP_ON_FAILURE:-0} != 1 ]]; then
        log "stopping the partially started formation (workdir kept: $W)"
        stop_all || true
    fi
    exit 1
}

# EXIT trap of `up`: a die()/set -e exit after processes were started
on_up_exit() {
    local rc=$?
    (( rc != 0 )) || return 0
    (( DIAG )) || return 0
    [[ -z ${FAIL_HANDLED:-} ]] || return 0
    FAIL_HANDLED=1
    [[ -n ${DIAG_DONE:-} ]] || { log "ERROR: unexpected exit (status $rc)"; diagnostics; }
    if [[ ${PGAF_KEEP_ON_FAILURE:-0} != 1 ]]; then
        log "stopping the partially started formation (workdir kept: $W)"
        stop_all || true
    fi
}

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
is_port() { [[ $1 =~ ^[0-9]+$ ]] && (( $1 > 0 && $1 < 65536 )); }

port_in_use() {
    # true when something accepts TCP connections on 127.0.0.1:$1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

abs_workdir() {
    local d=$1
    [[ -n $d ]] || die "workdir must not be empty"
    [[ $d == /* ]] || d="$PWD/$d"
    d=$(realpath -m -- "$d")
    [[ $d != / ]] || die "refusing to use / as workdir"
    # unix socket paths are limited to 107 bytes: "$W/sock/.s.PGSQL.65535.lock"
    (( ${#d} <= 80 )) || die "workdir path too long for unix sockets (${#d} > 80 chars): $d"
    W=$d
}

# locale for initdb: C.UTF-8 if the system has it, otherwise C
pick_locale() {
    local all
    all=$(locale -a 2>/dev/null || true)
    if [[ $'\n'${all,,}$'\n' == *$'\n'c.utf8$'\n'* || $'\n'${all,,}$'\n' == *$'\n'c.utf-8$'\n'* ]]; then
        echo C.UTF-8
    else
        echo C
    fi
}

PG_ENV=()
setup_env() {
    local loc
    loc=$(pick_locale)
    # env -i: nothing from the caller's environment (PGPORT, PGDATA, PGUSER, ...) leaks in.
    PG_ENV=(
        "PATH=$PG_BINDIR:/usr/local/bin:/usr/bin:/bin"
        "HOME=$W"
        "LANG=$loc" "LC_ALL=$loc" "TZ=UTC"
        "XDG_CONFIG_HOME=$W/xdg/config"
        "XDG_DATA_HOME=$W/xdg/data"
        "XDG_RUNTIME_DIR=$W/xdg/run"
        # -k <dir> for every postmaster started by pg_autoctl, and local connections use it
        "PG_REGRESS_SOCK_DIR=$W/sock"
        "PGHOST=$W/sock"
        # pg_autoctl's "test mode": skips the RAM-based tuning (which would give every
        # instance shared_buffers = 25% of RAM) and keeps Postgres defaults instead.
        "PG_AUTOCTL_DEBUG=1"
    )
}

as_pg() {
    if (( EUID == 0 )); then
        runuser -u "$PGAF_OS_USER" -- env -i "${PG_ENV[@]}" "$@"
    else
        env -i "${PG_ENV[@]}" "$@"
    fi
}

# psql on a local instance through the workdir socket, as the postgres superuser
psql_local() {  # port db sql
    (cd "$W" && as_pg "$PG_BINDIR/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
        -h "$W/sock" -p "$1" -U postgres -d "$2" -c "$3")
}

load_env() {
    [[ -f $W/formation.env ]] || die "$W is not a formation workdir (no formation.env)"
    # shellcheck disable=SC1091
    source "$W/formation.env"
    setup_env
}

monitor_sql() { psql_local "$MONITOR_PORT" pg_auto_failover "$1"; }

monitor_nodes_verbose() {
    monitor_sql "SELECT nodename||' port='||nodeport||' reported='||reportedstate||' goal='||goalstate
                        ||' pg_running='||reportedpgisrunning||' health='||health
                        ||' repstate='||reportedrepstate||' lsn='||reportedlsn
                   FROM pgautofailover.node ORDER BY nodeport"
}

# "port:reported:goal" per node
monitor_nodes() {
    monitor_sql "SELECT nodeport||':'||reportedstate||':'||goalstate FROM pgautofailover.node ORDER BY nodeport" 2>/dev/null || true
}

node_name_for_port() {
    case $1 in
        "$NODE_A_PORT") echo node_a ;;
        "$NODE_B_PORT") echo node_b ;;
        *) die "port $1 is not a node of this formation (nodes: $NODE_A_PORT, $NODE_B_PORT)" ;;
    esac
}

# Start a long-running command in its own session, detached from our stdio (so a
# JUnit ProcessBuilder waiting for our output does not hang on it). The session id
# is recorded in $W/run/<name>.sid; `down`/`kill-node` kill whole sessions.
start_bg() {  # name cmd...
    local name=$1; shift
    local prefix=()
    (( EUID == 0 )) && prefix=(runuser -u "$PGAF_OS_USER" --)
    (
        cd "$W"
        # bash records its own pid (= session id after setsid) and execs the command
        exec setsid bash -c 'echo $$ >> "$0"; shift; exec "$@"' "$W/run/$name.sid" _ \
            "${prefix[@]}" env -i "${PG_ENV[@]}" "$@"
    ) </dev/null >>"$W/logs/$name.log" 2>&1 &
    disown $! 2>/dev/null || true
    # wait until the session id is recorded
    for _ in $(seq 1 50); do [[ -s $W/run/$name.sid ]] && return 0; sleep 0.1; done
    return 0
}

# process table as "pid ppid sid state" lines (one pass over /proc; comm may contain spaces)
proc_table() {
    cat /proc/[0-9]*/stat 2>/dev/null | awk '{ pid = $1; sub(/^.*\) /, ""); print pid, $2, $4, $1 }' || true
}

# pids of all live processes in session $1 (zombies ignored: PID 1 of a container may
# never reap the orphans we kill)
session_pids() { proc_table | awk -v s="$1" '$3 == s && $4 != "Z" { print $1 }'; }

# direct children of process $1
child_pids() { proc_table | awk -v p="$1" '$2 == p { print $1 }'; }

# SIGKILL (like a host crash) every process of node $1: its pg_autoctl sessions, its
# postmaster and the postmaster's children (Postgres children call setsid(), so they
# are not in the pg_autoctl session).
kill_node_hard() {  # name
    local name=$1 sid pid pgdata="$W/$1" pids=() pm=()
    if [[ -f $W/run/$name.sid ]]; then
        while read -r sid; do
            [[ $sid =~ ^[0-9]+$ ]] || continue
            for pid in $(session_pids "$sid"); do pids+=("$pid"); done
        done <"$W/run/$name.sid"
    fi
    # postmaster(s) of this data directory: from postmaster.pid and from the process table
    if [[ -f $pgdata/postmaster.pid ]]; then
        pid=$(head -n 1 "$pgdata/postmaster.pid" 2>/dev/null || true)
        [[ $pid =~ ^[0-9]+$ ]] && pm+=("$pid")
    fi
    for pid in "${pids[@]}"; do
        [[ $(cat "/proc/$pid/comm" 2>/dev/null) == postgres ]] && pm+=("$pid")
    done
    for pid in "${pm[@]}"; do
        [[ $(cmdline_of "$pid") == *"-D $pgdata "* || $(cmdline_of "$pid") == *"-D $pgdata" ]] || continue
        pids+=("$pid")
        # stop the postmaster first so it cannot fork while we collect its children
        kill -STOP "$pid" 2>/dev/null || true
        for sid in $(child_pids "$pid"); do pids+=("$sid"); done
    done
    (( ${#pids[@]} )) && kill -KILL "${pids[@]}" 2>/dev/null || true
    return 0
}

# any process still alive in the recorded sessions of $1?
node_alive() {  # name
    local sid
    [[ -f $W/run/$1.sid ]] || return 1
    while read -r sid; do
        [[ $sid =~ ^[0-9]+$ ]] || continue
        [[ -n $(session_pids "$sid") ]] && return 0
    done <"$W/run/$1.sid"
    return 1
}

cmdline_of() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

# processes whose command line mentions the workdir (postmasters: "postgres -D $W/...")
workdir_pids() {
    local f pid
    for f in /proc/[0-9]*/cmdline; do
        pid=${f#/proc/}; pid=${pid%/cmdline}
        [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
        if [[ $(cmdline_of "$pid") == *"$W/"* ]]; then
            # only our own kinds of processes
            case $(cat "/proc/$pid/comm" 2>/dev/null) in
                pg_autoctl|postgres|postmaster|runuser|setsid|bash) echo "$pid" ;;
            esac
        fi
    done 2>/dev/null
}

stop_all() {
    local n
    # 1. polite: pg_autoctl stop (nodes first, then the monitor)
    for n in node_a node_b monitor; do
        if [[ -d $W/$n ]] && node_alive "$n"; then
            (cd "$W" && as_pg "$PG_AUTOCTL" stop --pgdata "$W/$n" --fast) >>"$W/logs/stop.log" 2>&1 || true
        fi
    done
    local deadline=$(( $(date +%s) + STOP_TIMEOUT ))
    while (( $(date +%s) < deadline )); do
        local alive=0
        for n in node_a node_b monitor; do node_alive "$n" && alive=1; done
        (( alive == 0 )) && break
        sleep 0.5
    done
    # 2. kill leftovers
    for n in node_a node_b monitor; do kill_node_hard "$n"; done
    local pid
    for pid in $(workdir_pids); do kill -KILL "$pid" 2>/dev/null || true; done
    sleep 0.3
    for n in node_a node_b monitor; do
        node_alive "$n" && log "WARNING: processes of $n still alive after SIGKILL"
    done
    return 0
}

# wait_for <timeout-seconds> <description> <command...>; the command is retried every
# 0.5 s until it succeeds. Fails fast when a "must be alive" node died (WATCH_NODES).
WATCH_NODES=()
wait_for() {
    local timeout=$1 desc=$2; shift 2
    local deadline=$(( $(date +%s) + timeout )) n
    log "waiting (max ${timeout}s) for: $desc"
    while true; do
        if "$@"; then return 0; fi
        for n in "${WATCH_NODES[@]}"; do
            node_alive "$n" || fail_up "pg_autoctl for $n exited while waiting for: $desc"
        done
        if (( $(date +%s) >= deadline )); then
            fail_up "timed out after ${timeout}s waiting for: $desc"
        fi
        sleep 0.5
    done
}

remaining() {  # seconds left of the global up budget (min 5)
    local r=$(( START_TS + UP_TIMEOUT - $(date +%s) ))
    (( r < 5 )) && r=5
    echo "$r"
}

# ---------------------------------------------------------------------------
# state checks
# ---------------------------------------------------------------------------
monitor_ready() {
    [[ $(monitor_sql "SELECT count(*) FROM pg_extension WHERE extname = 'pgautofailover'" 2>/dev/null) == 1 ]]
}

node_in_state() {  # port state  (reported == goal == state)
    local l
    for l in $(monitor_nodes); do
        [[ $l == "$1:$2:$2" ]] && return 0
    done
    return 1
}

# PRIMARY_PORT / STANDBY_PORT from the monitor; true when primary+secondary converged
formation_converged() {
    local l p=() s=()
    for l in $(monitor_nodes); do
        case $l in
            *:primary:primary)     p+=("${l%%:*}") ;;
            *:secondary:secondary) s+=("${l%%:*}") ;;
        esac
    done
    (( ${#p[@]} == 1 && ${#s[@]} == 1 )) || return 1
    PRIMARY_PORT=${p[0]}; STANDBY_PORT=${s[0]}
}

# formation_converged, and meanwhile: pg_basebackup of a joining standby ($1) starts with
# a *spread* checkpoint on the primary ($2), which takes several seconds on an idle
# instance. An explicit CHECKPOINT (immediate) makes the running one finish at once.
converged_or_nudge_checkpoint() {  # joining-node-name primary-port
    formation_converged && return 0
    local f="$W/logs/$1.log" waiting done_
    if [[ -f $f ]]; then
        waiting=$(grep -c 'waiting for checkpoint to complete' "$f" || true)
        done_=$(grep -c 'pg_basebackup: checkpoint completed' "$f" || true)
        if (( waiting > done_ )); then
            psql_local "$2" postgres "CHECKPOINT" >/dev/null 2>&1 || true
        fi
    fi
    return 1
}

sync_replication_on() {  # primary port
    local r
    r=$(psql_local "$1" postgres "SELECT current_setting('synchronous_standby_names') <> ''
                                      AND current_setting('synchronous_commit') IN ('on','remote_apply','remote_write')
                                      AND EXISTS (SELECT 1 FROM pg_stat_replication
                                                   WHERE state = 'streaming' AND sync_state IN ('sync','quorum'))" 2>/dev/null) || return 1
    [[ $r == t ]]
}

tcp_trust_ok() {  # port
    # as whatever OS user we are, over TCP, user postgres, no password
    PGCONNECT_TIMEOUT=3 "$PG_BINDIR/psql" -X -q -A -t -w -h 127.0.0.1 -p "$1" -U postgres -d postgres \
        -c "SELECT 1" >/dev/null 2>&1 </dev/null
}

db_exists() {  # port
    [[ $(psql_local "$1" postgres "SELECT count(*) FROM pg_database WHERE datname = '$DB_NAME'" 2>/dev/null) == 1 ]]
}

HBA_BEGIN="# BEGIN formation.sh (test formation: trust on loopback)"
ensure_hba() {  # name  -- prepend loopback trust rules (first match wins)
    local f="$W/$1/pg_hba.conf"
    [[ -f $f ]] || return 0
    grep -qF "$HBA_BEGIN" "$f" && return 0
    local tmp="$f.formation.tmp"
    {
        echo "$HBA_BEGIN"
        echo "local   all          all                     trust"
        echo "host    all          all       127.0.0.1/32  trust"
        echo "host    replication  all       127.0.0.1/32  trust"
        echo "# END formation.sh"
        cat "$f"
    } >"$tmp"
    chown --reference="$f" "$tmp" 2>/dev/null || true
    chmod --reference="$f" "$tmp" 2>/dev/null || true
    mv -f "$tmp" "$f"
}

reload_pg() {  # name
    (cd "$W" && as_pg "$PG_BINDIR/pg_ctl" reload -s -D "$W/$1") >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------
cmd_up() {
    [[ $# -eq 4 ]] || usage
    DIAG=0
    abs_workdir "$1"
    local mp=$2 ap=$3 bp=$4 p
    for p in "$mp" "$ap" "$bp"; do is_port "$p" || die "invalid port: $p"; done
    [[ $mp != "$ap" && $mp != "$bp" && $ap != "$bp" ]] || die "ports must be distinct: $mp $ap $bp"

    # prerequisites
    [[ -x $PG_AUTOCTL ]] || die "pg_autoctl not found ($PG_AUTOCTL); apt-get install postgresql-15-auto-failover"
    [[ -x $PG_BINDIR/pg_ctl && -x $PG_BINDIR/postgres && -x $PG_BINDIR/psql ]] \
        || die "Postgres binaries not found in PG_BINDIR=$PG_BINDIR"
    local sharedir
    sharedir=$("$PG_BINDIR/pg_config" --sharedir 2>/dev/null || echo /usr/share/postgresql/15)
    [[ -f $sharedir/extension/pgautofailover.control ]] \
        || die "pgautofailover extension not installed in $sharedir (apt-get install postgresql-15-auto-failover)"
    command -v setsid >/dev/null || die "setsid not found (util-linux)"
    if (( EUID == 0 )); then
        command -v runuser >/dev/null || die "runuser not found (util-linux)"
        id -u "$PGAF_OS_USER" >/dev/null 2>&1 || die "OS user $PGAF_OS_USER does not exist"
    fi
    for p in "$mp" "$ap" "$bp"; do
        port_in_use "$p" && die "port $p already in use on 127.0.0.1"
    done

    if [[ -e $W ]]; then
        [[ -d $W ]] || die "$W exists and is not a directory"
        [[ -z $(ls -A "$W") ]] || die "workdir $W is not empty (run 'formation.sh down $W' first)"
    fi
    mkdir -p "$W"/{logs,sock,run,xdg/config,xdg/data,xdg/run}
    : >"$W/$MARKER"
    cat >"$W/formation.env" <<EOF
MONITOR_PORT=$mp
NODE_A_PORT=$ap
NODE_B_PORT=$bp
EOF
    chmod 700 "$W/xdg/run" "$W/sock"
    if (( EUID == 0 )); then
        chown -R "$PGAF_OS_USER": "$W"
    fi
    source "$W/formation.env"
    setup_env
    # any unexpected exit (set -e) still produces diagnostics and stops the processes
    trap on_up_exit EXIT

    # the postgres OS user must be able to reach the workdir (JUnit @TempDir is 0700 root!)
    if ! as_pg test -w "$W" -a -x "$W"; then
        local d=$W parents=""
        while [[ $d != / ]]; do d=$(dirname "$d"); parents+=" $(stat -c '%A %U %n' "$d")"$'\n'; done
        die "OS user $PGAF_OS_USER cannot access $W; every parent directory needs o+x:"$'\n'"$parents"
    fi

    log "pg_autoctl: $PG_AUTOCTL ($("$PG_AUTOCTL" --version 2>/dev/null | head -n 1))"
    log "workdir=$W monitor=$mp nodeA=$ap nodeB=$bp"

    # ---- monitor -------------------------------------------------------------
    DIAG=1
    (cd "$W" && as_pg "$PG_AUTOCTL" create monitor \
        --pgdata "$W/monitor" --pgport "$mp" --pgctl "$PG_BINDIR/pg_ctl" \
        --hostname 127.0.0.1 --auth trust --no-ssl) >>"$W/logs/monitor.log" 2>&1 \
        || fail_up "pg_autoctl create monitor failed"
    # the monitor defaults to listen_addresses='*': keep it on loopback
    (cd "$W" && as_pg "$PG_AUTOCTL" config set --pgdata "$W/monitor" \
        postgresql.listen_addresses 127.0.0.1) >>"$W/logs/monitor.log" 2>&1 \
        || fail_up "pg_autoctl config set postgresql.listen_addresses failed (monitor)"
    start_bg monitor "$PG_AUTOCTL" run --pgdata "$W/monitor"
    WATCH_NODES=(monitor)
    wait_for "$(remaining)" "monitor on port $mp" monitor_ready

    local s name value
    for s in "${MONITOR_SETTINGS[@]}"; do
        name=${s%%=*}; value=${s#*=}
        psql_local "$mp" pg_auto_failover "ALTER SYSTEM SET $name = '$value'" >/dev/null \
            || fail_up "could not ALTER SYSTEM SET $name on the monitor"
    done
    psql_local "$mp" pg_auto_failover "SELECT pg_reload_conf()" >/dev/null
    log "monitor failure detection: ${MONITOR_SETTINGS[*]}"

    # ---- nodes ---------------------------------------------------------------
    local monitor_uri="postgres://autoctl_node@127.0.0.1:$mp/pg_auto_failover?sslmode=disable"
    local node port
    for node in node_a node_b; do
        [[ $node == node_a ]] && port=$ap || port=$bp
        start_bg "$node" "$PG_AUTOCTL" create postgres \
            --pgdata "$W/$node" --pgport "$port" --pgctl "$PG_BINDIR/pg_ctl" \
            --pghost "$W/sock" --listen 127.0.0.1 --hostname 127.0.0.1 \
            --name "$node" --username postgres --dbname postgres \
            --monitor "$monitor_uri" --auth trust --no-ssl \
            --candidate-priority 50 --replication-quorum true \
            --run
        WATCH_NODES+=("$node")
        if [[ $node == node_a ]]; then
            wait_for "$(remaining)" "node_a (port $ap) registered as single" node_in_state "$ap" single
            # flush what pg_autoctl wrote so far: the base backup's checkpoint has less to do
            psql_local "$ap" postgres "CHECKPOINT" >/dev/null 2>&1 || true
        fi
    done
    wait_for "$(remaining)" "one primary + one secondary" converged_or_nudge_checkpoint node_b "$ap"
    log "primary=$PRIMARY_PORT standby=$STANDBY_PORT"
    wait_for "$(remaining)" "synchronous replication on primary $PRIMARY_PORT" sync_replication_on "$PRIMARY_PORT"

    # ---- access: postgres over TCP 127.0.0.1 with trust, any database ------------
    for node in node_a node_b; do ensure_hba "$node"; reload_pg "$node"; done
    wait_for 20 "TCP trust login on $ap" tcp_trust_ok "$ap"
    wait_for 20 "TCP trust login on $bp" tcp_trust_ok "$bp"

    # ---- application database ------------------------------------------------
    if ! db_exists "$PRIMARY_PORT"; then
        psql_local "$PRIMARY_PORT" postgres "CREATE DATABASE \"$DB_NAME\"" >/dev/null \
            || fail_up "CREATE DATABASE $DB_NAME failed"
    fi
    wait_for 30 "database $DB_NAME visible on standby $STANDBY_PORT" db_exists "$STANDBY_PORT"

    trap - EXIT
    local elapsed=$(( $(date +%s) - START_TS ))
    log "formation ready in ${elapsed}s"
    echo "FORMATION READY"
    echo "PRIMARY_PORT=$PRIMARY_PORT"
    echo "STANDBY_PORT=$STANDBY_PORT"
    echo "MONITOR_PORT=$mp"
    echo "JDBC_URL=jdbc:postgresql://127.0.0.1:$ap,127.0.0.1:$bp/$DB_NAME?user=postgres&targetServerType=primary"
    echo "PSQL_URL=postgresql://postgres@127.0.0.1:$ap,127.0.0.1:$bp/$DB_NAME?target_session_attrs=read-write"
    echo "SETUP_SECONDS=$elapsed"
}

cmd_down() {
    [[ $# -eq 1 ]] || usage
    abs_workdir "$1"
    if [[ ! -e $W ]]; then
        log "$W does not exist, nothing to do"
        return 0
    fi
    if [[ ! -f $W/$MARKER ]]; then
        if [[ -d $W && -z $(ls -A "$W") ]]; then rmdir "$W"; return 0; fi
        die "$W does not look like a formation workdir (no $MARKER); refusing to delete it"
    fi
    if [[ -f $W/formation.env ]]; then
        source "$W/formation.env"
    fi
    setup_env
    stop_all
    rm -rf -- "$W"
    log "formation in $W stopped and removed"
}

cmd_status() {
    [[ $# -eq 1 ]] || usage
    abs_workdir "$1"; load_env
    monitor_nodes_verbose || die "monitor not reachable"
}

cmd_primary() {
    [[ $# -eq 1 ]] || usage
    abs_workdir "$1"; load_env
    local l
    for l in $(monitor_nodes); do
        case $l in *:primary:primary|*:wait_primary:wait_primary) echo "${l%%:*}"; return 0 ;; esac
    done
    log "no primary right now: $(monitor_nodes | tr '\n' ' ')"
    return 1
}

cmd_kill_node() {
    [[ $# -eq 2 ]] || usage
    abs_workdir "$1"; load_env
    local name; name=$(node_name_for_port "$2")
    kill_node_hard "$name"
    for _ in $(seq 1 20); do node_alive "$name" || break; sleep 0.1; done
    node_alive "$name" && die "could not kill $name"
    log "killed $name (port $2): keeper and postgres SIGKILLed"
}

cmd_start_node() {
    [[ $# -eq 2 ]] || usage
    abs_workdir "$1"; load_env
    local name; name=$(node_name_for_port "$2")
    node_alive "$name" && die "$name is still running"
    [[ -d $W/$name ]] || die "no data directory $W/$name"
    START_TS=$(date +%s); UP_TIMEOUT=$NODE_TIMEOUT
    # fail_up would stop the whole formation: use a plain die for this command
    fail_up() { die "$@"; }
    start_bg "$name" "$PG_AUTOCTL" run --pgdata "$W/$name"
    WATCH_NODES=("$name")
    wait_for "$(remaining)" "$name back as secondary and formation converged" formation_converged
    wait_for "$(remaining)" "synchronous replication on primary $PRIMARY_PORT" sync_replication_on "$PRIMARY_PORT"
    echo "PRIMARY_PORT=$PRIMARY_PORT"
    echo "STANDBY_PORT=$STANDBY_PORT"
    log "$name rejoined in $(( $(date +%s) - START_TS ))s"
}

usage() {
    sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

main() {
    [[ $# -ge 1 ]] || usage
    local cmd=$1; shift
    case $cmd in
        up)         cmd_up "$@" ;;
        down)       cmd_down "$@" ;;
        status)     cmd_status "$@" ;;
        primary)    cmd_primary "$@" ;;
        kill-node)  cmd_kill_node "$@" ;;
        start-node) cmd_start_node "$@" ;;
        -h|--help|help) usage ;;
        *) usage ;;
    esac
}

main "$@"
