# shellcheck shell=bash
# ./platform images: the four apps' container images, built and run with podman on a machine that
# reaches no container registry (docs/deploy.md#images-with-podman-and-no-registry).
#
#   ./platform images base    the Dockerfiles' base image (eclipse-temurin:17-jre) from Debian
#                             packages with debootstrap: bookworm minbase, a headless Java 17, curl
#   ./platform images build   the four images from the apps' jars (it names the Maven command when
#                             a jar is missing)
#   ./platform images smoke   run the four images against a fresh Postgres database and a broker,
#                             wait until every container is healthy, create a table and commit a
#                             version through the gateway, then remove all of it again
#   ./platform images all     base, build and smoke
#
# Sourced by ./platform (its helpers: say, die, now, port_open, build_kafka, kafka_java). podman
# reads its settings from this folder (containers.conf, storage.conf), never from /etc, and never
# pulls: every image it needs is made here. Each step says how long it took; a failed step exits
# non-zero, and whatever the smoke started is removed on any exit.

IMAGES_DIR="$ROOT/tools/images"
IMAGES_STATE="$STATE/images"
IMAGES_LOGS="$IMAGES_STATE/logs"
export CONTAINERS_CONF="$IMAGES_DIR/containers.conf"
export CONTAINERS_STORAGE_CONF="$IMAGES_DIR/storage.conf"

# The name the Dockerfiles build FROM; the base step makes it, so nothing is pulled.
BASE_IMAGE=docker.io/library/eclipse-temurin:17-jre
BASE_SUITE=bookworm
BASE_PACKAGES=openjdk-17-jre-headless,curl,passwd,ca-certificates
IMAGE_VERSION=${DELTAPLANE_VERSION:-0.1.0-SNAPSHOT}
JARS_HINT="./mvnw -B -q package -DskipTests -pl metadata-service,ingest-worker,lineage-service,gateway -am"

# The smoke's own ports (the apps' usual ones + 10000), so a `./platform up` beside it is no obstacle.
declare -A SMOKE_PORT=([gateway]=18080 [metadata-service]=18081 [lineage-service]=18082 [ingest-worker]=18083)
SMOKE_KAFKA_PORT=19092
SMOKE_KAFKA_CONTROLLER_PORT=19093
SMOKE_TIMEOUT=${DELTAPLANE_IMAGES_SMOKE_TIMEOUT:-300}
SMOKE_LABEL=io.deltaplane.images.smoke

STEP_TIMES=()

# Runs one step: its name, then how long it took; a failing step stops the whole command.
step() {
    local name=$1 t0 rc
    shift
    say "== $name"
    t0=$(now)
    "$@" || {
        rc=$?
        die "images: step '$name' failed after $(($(now) - t0))s (exit $rc)"
    }
    local secs=$(($(now) - t0))
    STEP_TIMES+=("$(printf '%-24s %4ss' "$name" "$secs")")
    say "-- $name: ${secs}s"
}

step_summary() {
    ((${#STEP_TIMES[@]} > 0)) || return 0
    say ""
    say "steps:"
    printf '  %s\n' "${STEP_TIMES[@]}"
}

image_name() { printf 'localhost/deltaplane/%s:%s' "$1" "$IMAGE_VERSION"; }

need_tool() {
    command -v "$1" >/dev/null 2>&1 || die "images: $1 not found: apt-get install -y $2"
}

need_podman() {
    need_tool podman podman
    command -v runc >/dev/null 2>&1 || [[ -x /usr/sbin/runc ]] || die "images: runc not found: apt-get install -y runc"
    mkdir -p "$IMAGES_LOGS"
}

need_base() {
    podman image exists "$BASE_IMAGE" || die "images: no base image $BASE_IMAGE in the store: ./platform images base"
}

# --------------------------------------------------------------------------------------------
# base

# The Debian mirror apt uses on this machine (DELTAPLANE_DEBIAN_MIRROR wins); empty: debootstrap's own.
debian_mirror() {
    if [[ -n ${DELTAPLANE_DEBIAN_MIRROR:-} ]]; then
        printf '%s' "$DELTAPLANE_DEBIAN_MIRROR"
        return 0
    fi
    local f url
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        url=$(awk -v suite="$BASE_SUITE" '/^URIs:/ {u=$2} /^Suites:/ && u !~ /security/ { for (i = 2; i <= NF; i++) if ($i == suite) { print u; exit } } /^$/ {u=""}' "$f")
        [[ -n $url ]] && {
            printf '%s' "$url"
            return 0
        }
    done
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        awk -v suite="$BASE_SUITE" '$1 == "deb" && $3 == suite { print $2; exit }'
}

# Unmounts whatever is still mounted under a root file system (a debootstrap that was interrupted).
unmount_under() {
    local mnt
    while read -r mnt; do
        umount -l "$mnt" 2>/dev/null || true
    done < <(awk -v root="$1/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r)
}

base_debootstrap() {
    local rootfs=$1 mirror log="$IMAGES_LOGS/debootstrap.log"
    mirror=$(debian_mirror)
    say "debootstrap $BASE_SUITE (minbase + $BASE_PACKAGES) from ${mirror:-the default mirror of debootstrap}; log: ${log#"$ROOT"/}"
    if ! debootstrap --variant=minbase --include="$BASE_PACKAGES" "$BASE_SUITE" "$rootfs" ${mirror:+"$mirror"} >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        unmount_under "$rootfs"
        return 1
    fi
    unmount_under "$rootfs"
}

# What an image does not need: apt's lists and downloads, documentation, manuals, translations, logs.
base_trim() {
    local rootfs=$1
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* \
        "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*/ \
        "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/debootstrap
    du -sh "$rootfs" | awk '{ print "root file system: " $1 }'
}

base_import() {
    local rootfs=$1 java_home
    java_home=$(cd "$rootfs" && ls -d usr/lib/jvm/java-17-openjdk-* 2>/dev/null | head -n 1)
    [[ -n $java_home ]] || {
        warn "images: no Java 17 under $rootfs/usr/lib/jvm"
        return 1
    }
    podman rmi --force "$BASE_IMAGE" >/dev/null 2>&1 || true
    tar --numeric-owner -C "$rootfs" -cf - . | podman import \
        --change "ENV JAVA_HOME=/$java_home" \
        --change "ENV PATH=/$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        --change "ENV LANG=C.UTF-8" \
        --change 'CMD ["/bin/bash"]' \
        --change "LABEL io.deltaplane.base=debootstrap-$BASE_SUITE" \
        --quiet --message "Debian $BASE_SUITE minbase + $BASE_PACKAGES (./platform images base)" \
        - "$BASE_IMAGE" >/dev/null
}

# What the Dockerfiles run in it: java, groupadd/useradd, curl (the HEALTHCHECK).
base_check() {
    podman run --rm --pull=never --network none "$BASE_IMAGE" \
        sh -ec 'java -version 2>&1 | head -n 1; command -v groupadd useradd >/dev/null; curl --version | head -n 1' || {
        warn "images: the base image lacks java, groupadd/useradd or curl"
        return 1
    }
    podman image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' "$BASE_IMAGE"
}

cmd_images_base() {
    need_podman
    [[ $(id -u) == 0 ]] || die "images base: debootstrap needs root"
    need_tool debootstrap debootstrap
    local rootfs="$IMAGES_STATE/rootfs"
    unmount_under "$rootfs"
    rm -rf "$rootfs"
    mkdir -p "$rootfs"
    step "base: debootstrap" base_debootstrap "$rootfs"
    step "base: trim" base_trim "$rootfs"
    step "base: import" base_import "$rootfs"
    rm -rf "$rootfs"
    step "base: check" base_check
}

# --------------------------------------------------------------------------------------------
# build

# The jar a Dockerfile copies (its ARG JAR_FILE default), relative to the app's folder.
dockerfile_jar() {
    sed -n -E 's/^ARG JAR_FILE=(.*)$/\1/p' "$1/Dockerfile" | head -n 1
}

build_image() {
    local app=$1 dir=${APP_DIR[$1]} log="$IMAGES_LOGS/build-$1.log"
    if ! podman build --pull=never --format docker --layers -t "$(image_name "$app")" "$dir" >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        warn "images: podman build of $app failed (${log#"$ROOT"/})"
        return 1
    fi
    # --format docker keeps the HEALTHCHECK (the OCI format has no place for it)
    local health
    health=$(podman image inspect --format '{{json .HealthCheck}}' "$(image_name "$app")" 2>/dev/null || true)
    [[ $health == *readiness* ]] || {
        warn "images: $app was built without its HEALTHCHECK ($health)"
        return 1
    }
    podman image ls --format "{{.Repository}}:{{.Tag}}  {{.Size}}" "$(image_name "$app")"
}

cmd_images_build() {
    need_podman
    need_base
    local app jar missing=()
    for app in "${APPS[@]}"; do
        jar=$(dockerfile_jar "${APP_DIR[$app]}")
        [[ -n $jar ]] || die "images: ${APP_DIR[$app]}/Dockerfile names no JAR_FILE"
        [[ -f ${APP_DIR[$app]}/$jar ]] || missing+=("${APP_DIR[$app]}/$jar")
    done
    if ((${#missing[@]} > 0)); then
        die "images: no jar to build from: ${missing[*]}
  build the four jars first:
    $JARS_HINT"
    fi
    for app in metadata-service lineage-service ingest-worker gateway; do
        step "build: $app" build_image "$app"
    done
    # the first stages' images (a jar and its extracted layers each) are of no use once built
    podman image prune --force >/dev/null
}

# --------------------------------------------------------------------------------------------
# smoke

SMOKE_RUN=""
SMOKE_DIR=""
SMOKE_DB=""
SMOKE_KAFKA_PID=""

smoke_container() { printf 'dp-smoke-%s-%s' "$SMOKE_RUN" "$1"; }

# On any exit: everything the smoke started (containers, the broker, the database, files), then
# the steps' times.
images_exit() {
    local rc=$? ids
    trap - EXIT INT TERM
    if [[ -n $SMOKE_RUN ]]; then
        ids=$(podman ps -a -q --filter "label=$SMOKE_LABEL=$SMOKE_RUN" 2>/dev/null || true)
        if [[ -n $ids ]]; then
            say "cleanup: removing containers $(podman ps -a --format '{{.Names}}' --filter "label=$SMOKE_LABEL=$SMOKE_RUN" | tr '\n' ' ')"
            # shellcheck disable=SC2086
            podman rm --force --time 10 $ids >/dev/null 2>&1 || warn "images: could not remove containers $ids"
        fi
    fi
    if [[ -n $SMOKE_KAFKA_PID ]] && kill -0 "$SMOKE_KAFKA_PID" 2>/dev/null; then
        say "cleanup: stopping the broker (pid $SMOKE_KAFKA_PID)"
        signal_group TERM "$SMOKE_KAFKA_PID"
        wait_gone 20 "$SMOKE_KAFKA_PID"
    fi
    if [[ -n $SMOKE_DB ]]; then
        say "cleanup: dropping database $SMOKE_DB"
        psql -q -h localhost -U postgres -d postgres -v ON_ERROR_STOP=1 \
            -c "DROP DATABASE IF EXISTS \"$SMOKE_DB\" WITH (FORCE)" >/dev/null ||
            warn "images: could not drop database $SMOKE_DB"
    fi
    if [[ -n $SMOKE_DIR && -d $SMOKE_DIR ]]; then
        ((rc == 0)) || say "cleanup: the logs stay in ${IMAGES_LOGS#"$ROOT"/} (smoke-*.log)"
        rm -rf "$SMOKE_DIR"
    fi
    step_summary
    exit "$rc"
}

smoke_prepare() {
    local app port
    need_tool psql postgresql-client
    for app in "${APPS[@]}"; do
        podman image exists "$(image_name "$app")" || die "images: no image $(image_name "$app"): ./platform images build"
    done
    port_open localhost 5432 || die "images: Postgres is not reachable at localhost:5432 (pg_ctlcluster 15 main start)"
    for port in "${SMOKE_PORT[@]}" "$SMOKE_KAFKA_PORT" "$SMOKE_KAFKA_CONTROLLER_PORT"; do
        port_open localhost "$port" && die "images: port $port is taken; the smoke needs ${SMOKE_PORT[*]} $SMOKE_KAFKA_PORT $SMOKE_KAFKA_CONTROLLER_PORT"
    done
    # the broker's jars, fetched as ./platform up does (nothing to do when they are there; never
    # while this checkout's platform runs from them)
    live_pid kafka >/dev/null || build_kafka
    mkdir -p "$SMOKE_DIR/warehouse" "$SMOKE_DIR/artifacts" "$SMOKE_DIR/ingest" "$SMOKE_DIR/kafka/data" &&
        # the images run as uid 10001
        chown 10001:10001 "$SMOKE_DIR/warehouse" "$SMOKE_DIR/artifacts" "$SMOKE_DIR/ingest" || return 1
    SMOKE_DB="deltaplane_images_smoke_$SMOKE_RUN"
    psql -q -h localhost -U postgres -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$SMOKE_DB\"" >/dev/null ||
        die "images: could not create database $SMOKE_DB as user postgres"
    say "database $SMOKE_DB, state in ${SMOKE_DIR#"$ROOT"/}"
}

smoke_kafka() {
    local home="$SMOKE_DIR/kafka" java_cmd cluster_id
    mapfile -t java_cmd < <(kafka_java)
    cat >"$home/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$SMOKE_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://localhost:$SMOKE_KAFKA_PORT,CONTROLLER://localhost:$SMOKE_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$SMOKE_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$home/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
    cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    "${java_cmd[@]}" kafka.tools.StorageTool format --cluster-id="$cluster_id" -c "$home/server.properties" \
        >"$IMAGES_LOGS/smoke-kafka-format.log" 2>&1 || {
        tail -n 20 "$IMAGES_LOGS/smoke-kafka-format.log" >&2
        return 1
    }
    setsid "${java_cmd[@]}" -Ddeltaplane.images.smoke="$SMOKE_RUN" kafka.Kafka "$home/server.properties" \
        >"$IMAGES_LOGS/smoke-kafka.log" 2>&1 </dev/null 9>&- &
    SMOKE_KAFKA_PID=$!
    local deadline=$(($(now) + 60))
    until port_open localhost "$SMOKE_KAFKA_PORT"; do
        kill -0 "$SMOKE_KAFKA_PID" 2>/dev/null || {
            tail -n 20 "$IMAGES_LOGS/smoke-kafka.log" >&2
            warn "images: the broker exited"
            return 1
        }
        (($(now) < deadline)) || {
            warn "images: the broker did not listen on :$SMOKE_KAFKA_PORT within 60s"
            return 1
        }
        sleep 1
    done
    say "broker on localhost:$SMOKE_KAFKA_PORT (pid $SMOKE_KAFKA_PID)"
}

# The image's own HEALTHCHECK as podman run options, with no timer: podman would make each timer a
# systemd unit, and there is no systemd here, so the checks are run by smoke_wait_healthy instead.
health_options() {
    local image=$1 form test timeout start retries
    # the command last: it may hold '|' itself, and read gives the last name the rest of the line
    IFS='|' read -r timeout start retries form test < <(podman image inspect \
        --format '{{.HealthCheck.Timeout}}|{{.HealthCheck.StartPeriod}}|{{.HealthCheck.Retries}}|{{index .HealthCheck.Test 0}}|{{index .HealthCheck.Test 1}}' "$image")
    [[ $form == CMD-SHELL && -n $test ]] || {
        warn "images: $image has no HEALTHCHECK CMD (found: ${form:-none})"
        return 1
    }
    printf '%s\n' --health-cmd "$test" --health-interval disable --health-timeout "$timeout" \
        --health-start-period "$start" --health-retries "$retries"
}

# One app's container: host networking (the apps reach Postgres, the broker and each other on
# localhost), each on loopback only, with the settings ./platform up gives the same app.
smoke_run_app() {
    local app=$1 key=$2 port=${SMOKE_PORT[$1]} args=() health=()
    mapfile -t health < <(health_options "$(image_name "$app")")
    ((${#health[@]} > 0)) || return 1
    args=(--detach --pull=never --network host --memory 1g "${health[@]}"
        --name "$(smoke_container "$app")" --label "$SMOKE_LABEL=$SMOKE_RUN"
        -e PORT="$port" -e SERVER_ADDRESS=127.0.0.1
        -e DELTAPLANE_DB_URL="jdbc:postgresql://localhost:5432/$SMOKE_DB" -e DELTAPLANE_DB_USER=postgres
        -e DELTAPLANE_ADMIN_API_KEY="$key" -e DELTAPLANE_SERVICE_API_KEY="$key"
        -e DELTAPLANE_METADATA_URL="http://localhost:${SMOKE_PORT[metadata-service]}"
        -e DELTAPLANE_LINEAGE_URL="http://localhost:${SMOKE_PORT[lineage-service]}"
        -e DELTAPLANE_INGEST_URL="http://localhost:${SMOKE_PORT[ingest-worker]}")
    # the gateway names the client to the services from loopback; they trust it there (as in ./platform up)
    [[ $app == gateway ]] || args+=(-e "DELTAPLANE_TRUSTED_PROXIES=127.0.0.1,::1")
    case "$app" in
        metadata-service)
            args+=(-e DELTAPLANE_WAREHOUSE_DIR=/var/lib/deltaplane/warehouse
                -v "$SMOKE_DIR/warehouse:/var/lib/deltaplane/warehouse")
            ;;
        lineage-service)
            args+=(-e DELTAPLANE_ARTIFACTS_DIR=/var/lib/deltaplane/artifacts
                -v "$SMOKE_DIR/artifacts:/var/lib/deltaplane/artifacts")
            ;;
        ingest-worker)
            args+=(-e DELTAPLANE_KAFKA_BOOTSTRAP="localhost:$SMOKE_KAFKA_PORT"
                -e DELTAPLANE_INGEST_ALLOWED_HOSTS="localhost:$SMOKE_KAFKA_PORT"
                -e DELTAPLANE_WAREHOUSE_DIR=/var/lib/deltaplane/warehouse
                -e DELTAPLANE_WAREHOUSE_DUCKDB=/var/lib/deltaplane/ingest/warehouse.duckdb
                -e DELTAPLANE_INGEST_STAGING_DIR=/var/lib/deltaplane/ingest/staging
                -v "$SMOKE_DIR/warehouse:/var/lib/deltaplane/warehouse"
                -v "$SMOKE_DIR/ingest:/var/lib/deltaplane/ingest")
            ;;
    esac
    podman run "${args[@]}" "$(image_name "$app")" >/dev/null || {
        warn "images: podman run of $app failed"
        return 1
    }
    say "$app: container $(smoke_container "$app") on 127.0.0.1:$port"
}

smoke_start() {
    local key=$1 app
    for app in lineage-service metadata-service ingest-worker gateway; do
        smoke_run_app "$app" "$key" || return 1
    done
}

# The containers' output, kept after the run in .platform/images/logs/smoke-<app>.log.
smoke_logs() {
    local app
    for app in "${APPS[@]}"; do
        podman logs "$(smoke_container "$app")" >"$IMAGES_LOGS/smoke-$app.log" 2>&1 || true
    done
}

# Until every container is healthy by its own HEALTHCHECK. Without systemd podman runs no health
# timers, so each check is run here (podman healthcheck run), as an orchestrator would.
smoke_wait_healthy() {
    local t0 deadline pending=("${APPS[@]}") still app name state
    t0=$(now)
    deadline=$((t0 + SMOKE_TIMEOUT))
    while ((${#pending[@]} > 0)); do
        still=()
        for app in "${pending[@]}"; do
            name=$(smoke_container "$app")
            state=$(podman inspect --format '{{.State.Status}}' "$name" 2>/dev/null || echo gone)
            if [[ $state != running ]]; then
                smoke_logs
                tail -n 40 "$IMAGES_LOGS/smoke-$app.log" >&2
                warn "images: $app's container is $state (log: ${IMAGES_LOGS#"$ROOT"/}/smoke-$app.log)"
                return 1
            fi
            if podman healthcheck run "$name" >/dev/null 2>&1; then
                say "  $app healthy after $(($(now) - t0))s"
            else
                still+=("$app")
            fi
        done
        pending=("${still[@]+"${still[@]}"}")
        ((${#pending[@]} == 0)) && break
        if (($(now) >= deadline)); then
            smoke_logs
            for app in "${pending[@]}"; do tail -n 30 "$IMAGES_LOGS/smoke-$app.log" >&2; done
            warn "images: not healthy within ${SMOKE_TIMEOUT}s: ${pending[*]} (logs: ${IMAGES_LOGS#"$ROOT"/}/smoke-*.log)"
            return 1
        fi
        sleep 3
    done
    for app in "${APPS[@]}"; do
        printf '  %-17s %s\n' "$app" "$(podman inspect --format '{{.State.Health.Status}}' "$(smoke_container "$app")")"
    done
}

# One REST call through the gateway; prints the body, fails on a status other than 2xx.
smoke_call() {
    local key=$1 method=$2 path=$3 body=${4:-} out status
    out=$(mktemp)
    status=$(curl -sS -m 30 -o "$out" -w '%{http_code}' -X "$method" \
        -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
        ${body:+--data "$body"} "http://localhost:${SMOKE_PORT[gateway]}$path") || status=000
    if [[ $status != 2?? ]]; then
        warn "images: $method $path answered $status: $(head -c 600 "$out")"
        rm -f "$out"
        return 1
    fi
    cat "$out"
    rm -f "$out"
}

# Through the gateway only, as a client would: a catalog, a schema, a Delta table, one commit with a
# data file; then the table's state read back, its Delta log on the warehouse volume, and the
# commit's snapshot in lineage (metadata-service's outbox relay to lineage-service).
smoke_commit() {
    local key=$1 version files log
    local table=smoke.sales.orders
    smoke_call "$key" POST /api/v1/catalogs '{"name":"smoke"}' >/dev/null || return 1
    smoke_call "$key" POST /api/v1/schemas '{"catalog_name":"smoke","name":"sales"}' >/dev/null || return 1
    smoke_call "$key" POST /api/v1/tables '{"catalog_name":"smoke","schema_name":"sales","name":"orders",
        "schema":{"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{}},
        {"name":"amount","type":"double","nullable":true,"metadata":{}}]}}' >/dev/null || return 1
    smoke_call "$key" POST "/api/v1/tables/$table/commits" '{"expected_version":0,"operation":"WRITE",
        "actions":[{"add":{"path":"part-00000.parquet","partitionValues":{},"size":1024,
        "modificationTime":1767225600000,"dataChange":true,"stats":"{\"numRecords\": 3}"}}]}' >/dev/null || return 1
    read -r version files < <(smoke_call "$key" GET "/api/v1/tables/$table/snapshot" | jq -r '"\(.version) \(.num_files)"') || return 1
    [[ $version == 1 && $files == 1 ]] || {
        warn "images: after the commit $table is at version $version with $files files (expected 1 and 1)"
        return 1
    }
    say "committed: $table at version $version, $files data file"
    log="$SMOKE_DIR/warehouse/smoke/sales/orders/_delta_log/00000000000000000001.json"
    [[ -s $log ]] || {
        warn "images: no ${log#"$SMOKE_DIR"/} on the warehouse volume"
        ls -R "$SMOKE_DIR/warehouse" >&2
        return 1
    }
    say "Delta log on the volume: ${log#"$SMOKE_DIR"/}"
    local deadline=$(($(now) + 30)) seen=""
    while :; do
        seen=$(smoke_call "$key" GET "/api/v1/tables/$table/snapshots" | jq -r '[.snapshots[].version] | map(tostring) | join(",")') || return 1
        [[ ,$seen, == *,1,* ]] && break
        (($(now) < deadline)) || {
            warn "images: lineage has no snapshot of version 1 of $table after 30s (it has: ${seen:-none})"
            return 1
        }
        sleep 1
    done
    say "lineage has the snapshots of versions $seen"
}

smoke_stop() {
    local app name
    for app in gateway ingest-worker metadata-service lineage-service; do
        name=$(smoke_container "$app")
        podman stop --time 20 "$name" >/dev/null || return 1
        say "$app: stopped ($(podman inspect --format 'exit {{.State.ExitCode}}' "$name"))"
    done
    smoke_logs
    podman rm "$(smoke_container gateway)" "$(smoke_container ingest-worker)" \
        "$(smoke_container metadata-service)" "$(smoke_container lineage-service)" >/dev/null
}

cmd_images_smoke() {
    need_podman
    need_tool jq jq
    local key
    SMOKE_RUN=$(date +%Y%m%d%H%M%S)
    SMOKE_DIR="$IMAGES_STATE/smoke-$SMOKE_RUN"
    key="key_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    step "smoke: prepare" smoke_prepare
    step "smoke: broker" smoke_kafka
    step "smoke: start containers" smoke_start "$key"
    step "smoke: healthy" smoke_wait_healthy
    step "smoke: commit via gateway" smoke_commit "$key"
    step "smoke: stop containers" smoke_stop
}

cmd_images() {
    local sub=${1:-}
    trap images_exit EXIT
    trap 'exit 130' INT TERM
    case "$sub" in
        base) cmd_images_base ;;
        build) cmd_images_build ;;
        smoke) cmd_images_smoke ;;
        all)
            cmd_images_base
            cmd_images_build
            cmd_images_smoke
            ;;
        *)
            [[ -z $sub ]] || warn "images: unknown subcommand '$sub'"
            sed -n '4,13p' "$IMAGES_DIR/images.sh" | sed 's/^# \{0,1\}//' >&2
            exit 2
            ;;
    esac
}
