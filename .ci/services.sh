#!/usr/bin/env bash
# Starts throwaway PostgreSQL and NATS JetStream servers on loopback for the tests, as a
# non-root user (initdb refuses root), on free ports, with their data under one temp dir.
# Source it: `. .ci/services.sh`; it exports RASED_TEST_PG_URL and RASED_TEST_NATS_URL and
# registers a trap that stops both servers and removes the dir when the shell exits.
# Needs Debian's postgresql and nats-server (apt-get install -y postgresql nats-server).

rased_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

rased_services_start() {
    local pgbin
    pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    if [ -z "$pgbin" ] || ! command -v nats-server >/dev/null 2>&1; then
        echo "services: PostgreSQL or nats-server is not installed" >&2
        return 1
    fi
    # The user the servers run as: postgres (from the package) when we are root, else us.
    local as=()
    if [ "$(id -u)" = 0 ]; then
        id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        as=(runuser -u postgres --)
    fi
    RASED_SERVICES_DIR="$(mktemp -d /tmp/rased-services.XXXXXX)"
    chmod 755 "$RASED_SERVICES_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$RASED_SERVICES_DIR"
    local pg_port nats_port
    pg_port="$(rased_free_port)"
    nats_port="$(rased_free_port)"
    "${as[@]}" "$pgbin/initdb" -D "$RASED_SERVICES_DIR/pg" -U rased --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$RASED_SERVICES_DIR/initdb.log" 2>&1 \
        || { cat "$RASED_SERVICES_DIR/initdb.log" >&2; return 1; }
    "${as[@]}" "$pgbin/pg_ctl" -D "$RASED_SERVICES_DIR/pg" -l "$RASED_SERVICES_DIR/pg.log" -w \
        -o "-p $pg_port -k $RASED_SERVICES_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
        start >/dev/null || { cat "$RASED_SERVICES_DIR/pg.log" >&2; return 1; }
    "${as[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U rased rased_test
    "${as[@]}" nats-server -js -a 127.0.0.1 -p "$nats_port" -sd "$RASED_SERVICES_DIR/nats" \
        >"$RASED_SERVICES_DIR/nats.log" 2>&1 &
    RASED_NATS_PID=$!
    local i
    for i in $(seq 50); do
        grep -q "Server is ready" "$RASED_SERVICES_DIR/nats.log" 2>/dev/null && break
        sleep 0.1
    done
    export RASED_TEST_PG_URL="postgres://rased@127.0.0.1:$pg_port/rased_test"
    export RASED_TEST_NATS_URL="nats://127.0.0.1:$nats_port"
    export RASED_SERVICES_DIR RASED_NATS_PID RASED_PGBIN="$pgbin"
    trap rased_services_stop EXIT
    echo "services: PostgreSQL at $RASED_TEST_PG_URL, NATS at $RASED_TEST_NATS_URL"
}

rased_services_stop() {
    [ -n "${RASED_SERVICES_DIR:-}" ] || return 0
    local as=()
    [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
    "${as[@]}" "$RASED_PGBIN/pg_ctl" -D "$RASED_SERVICES_DIR/pg" -m fast stop >/dev/null 2>&1 || true
    [ -n "${RASED_NATS_PID:-}" ] && kill "$RASED_NATS_PID" 2>/dev/null || true
    rm -rf "$RASED_SERVICES_DIR"
    RASED_SERVICES_DIR=""
}

rased_services_start
