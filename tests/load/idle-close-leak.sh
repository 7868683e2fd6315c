#!/usr/bin/env bash
# idle-close-leak.sh
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Does kac-central keep connections that clients closed? Runs N fresh clients, one request
# each, against each server below and reports the file descriptors and resident memory the
# server still holds afterwards, per client:
#
#   kac-central HTTPS, client closes   the desk's case: SoupSession closes an idle
#                                      keep-alive connection after its idle timeout
#   kac-central HTTPS, "Connection: close"   the server closes after its answer (control)
#   kac-central plain HTTP, client closes
#   bare libsoup server, client closes  tests/load/bare-soup-server.c, built on the fly: if
#                                      it leaks the same way, the leak is libsoup's
#
# Usage: idle-close-leak.sh KAC_CENTRAL [N]      (N defaults to 300)
# Environment: KAC_LOAD_VALGRIND=1 also runs kac-central under valgrind --leak-check=full
# with N/10 clients and prints where the lost blocks were allocated. KAC_LOAD_STRICT=1
# exits 1 when kac-central (HTTPS, client closes) holds more than one descriptor per ten
# clients afterwards (today, with Debian 12's libsoup 3.2.3, it holds one per client).
#
# Needs openssl, curl, and for the bare server gcc and libsoup-3.0-dev. Loopback only;
# every server is stopped by its PID.
set -euo pipefail

central=$(realpath "${1:?usage: idle-close-leak.sh KAC_CENTRAL [N]}")
n=${2:-300}
here=$(dirname "$(realpath "$0")")
work=$(mktemp -d "${TMPDIR:-/tmp}/kac-idle.XXXXXX")
pid=""

cleanup ()
{
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A self-signed certificate for 127.0.0.1 that curl can trust directly.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/key.pem" \
  -out "$work/cert.pem" -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  > "$work/openssl.log" 2>&1
export KAC_CENTRAL_PWHASH_COST=min
"$central" init --db "$work/central.db" > /dev/null 2>&1

# Starts "$@" in the background; sets $pid and $uri from its "Listening on URI" line.
start ()
{
  "$@" > "$work/server.out" 2> "$work/server.err" &
  pid=$!
  uri=""
  for _ in $(seq 1 600); do
    uri=$(sed -n 's/^Listening on //p' "$work/server.out" 2>/dev/null || true)
    [ -n "$uri" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/server.err" >&2
  echo "idle-close-leak: the server did not start: $*" >&2
  exit 1
}

stop ()
{
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
}

fds () { find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 | wc -l; }
rss () { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }

# Runs $1 clients with the curl options after it; prints what the server kept per client.
measure ()
{
  local count=$1 label=$2 fd0 rss0 fd1 rss1
  shift 2
  # One request first, so that one-off allocations (TLS set-up, the first answer) are not
  # counted as growth.
  curl -sS -o /dev/null --max-time 30 "$@" "${uri}healthz"
  sleep 0.5
  fd0=$(fds)
  rss0=$(rss)
  for _ in $(seq 1 "$count"); do
    curl -sS -o /dev/null --max-time 30 "$@" "${uri}healthz"
  done
  sleep 1
  fd1=$(fds)
  rss1=$(rss)
  awk -v l="$label" -v n="$count" -v f0="$fd0" -v f1="$fd1" -v r0="$rss0" -v r1="$rss1" 'BEGIN {
    printf "%-46s %4d clients: +%d fds (%.2f each), RSS %+.1f MiB (%.1f KiB each)\n",
           l, n, f1 - f0, (f1 - f0) / n, (r1 - r0) / 1024, (r1 - r0) / n }'
  last_fd_growth=$((fd1 - fd0))
}

tls=(--cacert "$work/cert.pem")

start "$central" serve --db "$work/central.db" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" --port 0
measure "$n" "kac-central HTTPS, client closes" "${tls[@]}"
central_growth=$last_fd_growth
measure "$n" "kac-central HTTPS, Connection: close" "${tls[@]}" -H "Connection: close"
stop

start "$central" serve --db "$work/central.db" --insecure-http --port 0
measure "$n" "kac-central HTTP, client closes"
stop

if command -v gcc >/dev/null && pkg-config --exists libsoup-3.0; then
  # shellcheck disable=SC2046 # pkg-config's words are separate arguments
  gcc -o "$work/bare-soup-server" "$here/bare-soup-server.c" $(pkg-config --cflags --libs libsoup-3.0)
  start "$work/bare-soup-server"
  measure "$n" "bare libsoup $(pkg-config --modversion libsoup-3.0) server, client closes"
  stop
else
  echo "(bare libsoup server skipped: needs gcc and libsoup-3.0-dev)"
fi

if [ "${KAC_LOAD_VALGRIND:-0}" = 1 ] && command -v valgrind >/dev/null; then
  start valgrind --leak-check=full --show-leak-kinds=definite,indirect --num-callers=25 \
    --log-file="$work/valgrind.log" "$central" serve --db "$work/central.db" \
    --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" --port 0
  measure $((n / 10)) "kac-central HTTPS under valgrind, client closes" "${tls[@]}"
  stop
  echo "valgrind, after SIGTERM:"
  sed -n 's/^==[0-9]*== //p' "$work/valgrind.log" | grep -A5 "LEAK SUMMARY" | sed 's/^/  /'
  echo "  lost blocks, each with its first frame in libsoup, GIO's accept or our code:"
  sed -n 's/^==[0-9]*== //p' "$work/valgrind.log" |
    awk '/are (definitely|indirectly) lost/ { rec = $0; sub(/ in loss record.*/, "", rec); shown = 0; next }
         rec != "" && !shown && /by 0x/ && /soup|socket_accept|kac_/ {
           sub(/^ *by 0x[0-9A-F]*: /, ""); print "    " rec "\n      from " $0; shown = 1 }' | head -16
fi

if [ "${KAC_LOAD_STRICT:-0}" = 1 ] && [ "$central_growth" -gt $((n / 10)) ]; then
  echo "FAIL: kac-central kept $central_growth of $n closed connections open" >&2
  exit 1
fi
