# Sourced by scripts that need a throw-away PostgreSQL server.
#   start_postgres DIR   starts a server with its data in DIR/data on a free loopback port, run as the
#                        unprivileged `postgres` user when run as root; sets PG_BIN and PG_URL.
#   stop_postgres DIR    stops it.
# Extra server settings may be passed in PG_SERVER_OPTIONS (e.g. "-c fsync=off").

find_pg_bin() {
    PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
    [ -n "$PG_BIN" ] && [ -x "$PG_BIN/postgres" ]
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
    local dir=$1
    find_pg_bin || { echo "no PostgreSQL server binaries found (set PG_BIN)" >&2; return 1; }
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    local port; port=$(free_port)
    as_postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
    as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 ${PG_SERVER_OPTIONS:-}" start >/dev/null
    PG_URL="postgresql://postgres@127.0.0.1:$port/postgres?sslmode=disable"
}

stop_postgres() {
    as_postgres "$PG_BIN/pg_ctl" -D "$1/data" -m immediate stop >/dev/null 2>&1 || true
}
