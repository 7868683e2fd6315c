#!/usr/bin/env bash
# bench-central-load.sh
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# kac-central under load, the real binary over HTTPS on loopback, driven by wrk.
#
# Usage: bench-central-load.sh KAC_CENTRAL RECORDS_LUA [throughput|soak]
#
#   throughput  64 connections, 2 threads, 20 s (issue 3): requests/s, records/s, latency
#               p50/p99, errors.
#   soak        100 connections, 2 threads, 60 s (issue 7): the same figures, and the server's
#               resident memory (VmRSS) sampled every second; fails if it grows by more than
#               KAC_LOAD_RSS_BOUND_MIB (default 32) between the warm-up mark (10 s) and any later
#               sample.
#
# Every request is a batch of 50 fresh valid registrations (tests/load/records.lua). The run
# fails on any socket error, timeout, non-2xx answer or item not accepted, and unless the
# store holds exactly what was answered: every UUID answered "accepted" is stored, and the
# only other stored records are whole batches whose answers wrk abandoned when its time was
# up (a batch commits in one transaction, so those are multiples of the batch size and at
# most one batch per connection).
#
# Overrides (environment): KAC_LOAD_DURATION (s), KAC_LOAD_CONNECTIONS, KAC_LOAD_THREADS,
# KAC_LOAD_BATCH, KAC_LOAD_WARMUP (s), KAC_LOAD_RSS_BOUND_MIB, KAC_LOAD_KEEP=1 keeps the
# temporary folder, KAC_LOAD_WRAPPER runs the server under a command (e.g. "valgrind
# --tool=massif"; time limits grow with it).
#
# Needs: openssl, wrk, curl, sqlite3. Only loopback (127.0.0.1) is used; the server is
# stopped by its PID.
# shellcheck disable=SC2154 # wrk's figures are assigned with printf -v in a loop
set -euo pipefail

central=${1:?usage: bench-central-load.sh KAC_CENTRAL RECORDS_LUA [throughput|soak]}
script=${2:?usage: bench-central-load.sh KAC_CENTRAL RECORDS_LUA [throughput|soak]}
mode=${3:-throughput}

case "$mode" in
  throughput) connections=64;  duration=20 ;;
  soak)       connections=100; duration=60 ;;
  *) echo "bench-central-load: unknown mode '$mode' (throughput or soak)" >&2; exit 2 ;;
esac
connections=${KAC_LOAD_CONNECTIONS:-$connections}
duration=${KAC_LOAD_DURATION:-$duration}
threads=${KAC_LOAD_THREADS:-2}
batch=${KAC_LOAD_BATCH:-50}
warmup=${KAC_LOAD_WARMUP:-10}
rss_bound_mib=${KAC_LOAD_RSS_BOUND_MIB:-32}
wrapper=${KAC_LOAD_WRAPPER:-}

for tool in openssl wrk curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "bench-central-load: $tool is not installed" >&2; exit 77; }
done

# Absolute paths: the server and openssl run with other working folders.
central=$(realpath "$central")
script=$(realpath "$script")
work=$(mktemp -d "${TMPDIR:-/tmp}/kac-load.XXXXXX")
server_pid=""
sampler_pid=""
prober_pid=""

cleanup ()
{
  local status=$?
  [ -n "${work:-}" ] && touch "$work/probe.stop" 2>/dev/null
  if [ -n "$prober_pid" ] && kill -0 "$prober_pid" 2>/dev/null; then
    wait "$prober_pid" 2>/dev/null || true
  fi
  if [ -n "$sampler_pid" ] && kill -0 "$sampler_pid" 2>/dev/null; then
    kill "$sampler_pid" 2>/dev/null || true
    wait "$sampler_pid" 2>/dev/null || true
  fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  # A failed run keeps its folder (server log, wrk output, store) for a look.
  if [ "${KAC_LOAD_KEEP:-0}" = 1 ] || [ "$status" -ne 0 ]; then
    echo "# kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

fail ()
{
  echo "FAIL: $*" >&2
  exit 1
}

# Stops the server with SIGTERM and waits for its clean exit (kac-central checkpoints and
# closes its store on the way out), killing it if it does not go within @1 seconds.
stop_server ()
{
  local limit=$1 status=0
  kill -TERM "$server_pid"
  for _ in $(seq 1 $((limit * 10))); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    fail "kac-central did not stop within ${limit} s of SIGTERM"
  fi
  wait "$server_pid" || status=$?
  server_pid=""
  [ "$status" -eq 0 ] || fail "kac-central exited with status $status (see $work/serve.err)"
}

echo "# mode $mode: $connections connections, $threads threads, ${duration} s, batches of $batch"
echo "# machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# store: $work ($(stat -f -c %T "$work"))"

# Test PKI: a CA and a leaf for 127.0.0.1 signed by it (the same shape as kac_test_make_pki()).
(
  cd "$work"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
    -out ca.pem -days 2 -subj "/CN=KAC load test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout leaf.key \
    -out leaf.csr -subj "/CN=localhost"
  printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" > leaf.ext
  openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem \
    -days 2 -extfile leaf.ext
) > "$work/openssl.log" 2>&1 || { cat "$work/openssl.log" >&2; fail "openssl could not make the test PKI"; }

# The central database: an administrator, a centre and a clerk. Minimum Argon2id cost, so
# that setting up does not dominate a short run; sign-in is not what is measured.
export KAC_CENTRAL_PWHASH_COST=min
db="$work/central.db"
centre="load-1"
password="load-password-$RANDOM$RANDOM"
printf '%s\n' "admin-password-$RANDOM$RANDOM" > "$work/admin-password"
printf '%s\n' "$password" > "$work/clerk-password"
chmod 600 "$work/admin-password" "$work/clerk-password"
"$central" init --db "$db" --admin-password-file "$work/admin-password" > /dev/null
"$central" centre add --db "$db" --id "$centre" --name "Load test centre" --kind national > /dev/null
"$central" user add --db "$db" --username load --role clerk --centre "$centre" \
  --display-name "Load Test" --password-file "$work/clerk-password" > /dev/null

# shellcheck disable=SC2086 # the wrapper is a command line on purpose
$wrapper "$central" serve --db "$db" --tls-cert "$work/leaf.pem" --tls-key "$work/leaf.key" \
  --address 127.0.0.1 --port 0 > "$work/serve.out" 2> "$work/serve.err" &
server_pid=$!

# The first line is "Listening on https://127.0.0.1:PORT/".
start_limit=100
[ -n "$wrapper" ] && start_limit=600
uri=""
for _ in $(seq 1 $start_limit); do
  line=$(head -n 1 "$work/serve.out" 2>/dev/null || true)
  case "$line" in
    "Listening on "*) uri=${line#Listening on }; break ;;
  esac
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; fail "kac-central serve exited"; }
  sleep 0.1
done
[ -n "$uri" ] || fail "kac-central serve did not say where it listens"
case "$uri" in
  https://127.0.0.1:*) ;;
  *) fail "kac-central listens on $uri, not HTTPS on loopback" ;;
esac
# With a wrapper (valgrind), $server_pid is the wrapper's process: valgrind runs the program
# in its own process, so the PID is the server's either way.
echo "# server: $uri (pid $server_pid)"

# Sign in as the clerk (TLS verified against the test CA).
session=$(printf '{"username":"load","password":"%s"}' "$password" |
  curl -sS --fail-with-body --max-time 30 --cacert "$work/ca.pem" \
    -H 'Content-Type: application/json' --data-binary @- "${uri}api/v1/session") ||
  fail "sign-in failed: $session"
token=$(printf '%s' "$session" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || fail "no token in the sign-in answer: $session"

records_stored_before=$(curl -sS --fail --max-time 30 --cacert "$work/ca.pem" "${uri}healthz" |
  sed -n 's/.*"records":\([0-9]*\).*/\1/p')
[ "$records_stored_before" = 0 ] || fail "the fresh store holds ${records_stored_before:-?} records"

# The kernel's count of connections dropped because a listen queue was full (all of the
# machine's sockets: a hint, not a measure of this server alone).
listen_overflows ()
{
  awk '/^TcpExt:/ { if (!n) { for (i = 1; i <= NF; i++) if ($i == "ListenOverflows") col = i; n = 1 }
                    else print $col }' /proc/net/netstat 2>/dev/null || echo 0
}

fd_count ()
{
  find "/proc/$server_pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l
}

rss_kib ()
{
  awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status" 2>/dev/null || echo 0
}

# The server's CPU time (user + system) in clock ticks.
cpu_ticks ()
{
  # Field 2 (comm) is in parentheses and may hold spaces: count from after it.
  sed 's/^.*) //' "/proc/$server_pid/stat" 2>/dev/null | awk '{ print $12 + $13 }' || echo 0
}

# The parts of the resident set: "anon file shmem" KiB (heap against mapped files such as
# the WAL index), to tell a heap leak from a mapped file that grows.
rss_parts ()
{
  awk '/^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } /^RssShmem:/ { s = $2 }
       END { print a + 0, f + 0, s + 0 }' "/proc/$server_pid/status" 2>/dev/null || echo 0 0 0
}

# Samples the server's memory every second while wrk runs: "seconds rss anon file shmem" (KiB).
if [ "$mode" = soak ]; then
  (
    start=$(date +%s.%N)
    while kill -0 "$server_pid" 2>/dev/null; do
      now=$(date +%s.%N)
      echo "$(awk -v a="$start" -v b="$now" 'BEGIN { printf "%.1f", b - a }') $(rss_kib) $(rss_parts)"
      sleep 1
    done
  ) > "$work/rss.txt" &
  sampler_pid=$!
fi
rss_start=$(rss_kib)
fds_start=$(fd_count)
overflows_start=$(listen_overflows)

# A new client while the load runs: every 2 s a fresh connection (TLS handshake, GET /healthz,
# close), as a desk that starts syncing during a rush would. Each must be answered within
# 30 s (the desk's own I/O timeout). "handshake_s total_s http_code" lines; code 000 = failed.
rm -f "$work/probe.stop"
(
  sleep 1
  while [ ! -e "$work/probe.stop" ]; do
    curl -sS -o /dev/null --max-time 30 --cacert "$work/ca.pem" \
      -w '%{time_appconnect} %{time_total} %{http_code}\n' "${uri}healthz" 2>> "$work/probe.err" ||
      echo "0 0 000"
    sleep 2
  done
) > "$work/probes.txt" &
prober_pid=$!

# --timeout 10s: far below the desk's own 30 s I/O timeout, so a timeout here is a real fault.
server_cpu_start=$(cpu_ticks)
TIMEFORMAT='%U %S'
{ time KAC_LOAD_TOKEN="$token" KAC_LOAD_CENTRE="$centre" KAC_LOAD_BATCH="$batch" KAC_LOAD_OUT="$work" \
    wrk --threads "$threads" --connections "$connections" --duration "${duration}s" --timeout 10s \
      --latency --script "$script" "$uri" > "$work/wrk.out" 2> "$work/wrk.err" ; } 2> "$work/wrk.time" ||
  { cat "$work/wrk.out" "$work/wrk.err" >&2; fail "wrk failed"; }
server_cpu=$(( $(cpu_ticks) - server_cpu_start ))
read -r wrk_user wrk_sys < "$work/wrk.time"

if [ -n "$sampler_pid" ]; then
  kill "$sampler_pid" 2>/dev/null || true
  wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=""
fi
rss_end=$(rss_kib)
touch "$work/probe.stop"
wait "$prober_pid" || true
prober_pid=""
# Every client has gone now: what the server still holds open is connections it failed to
# close (libsoup 3.2 leaves a connection that the client closed while idle open for good).
sleep 2
fds_end=$(fd_count)
overflows=$(( $(listen_overflows) - overflows_start ))

figure ()
{
  awk -v key="$1" '$1 == key { print $2; found = 1 } END { if (!found) print "?" }' "$work/wrk.out"
}

for key in requests_per_s records_per_s latency_p50_ms latency_p99_ms latency_max_ms requests \
           errors_connect errors_read errors_write errors_timeout errors_status non_2xx \
           items_accepted items_other answered sent; do
  printf -v "$key" '%s' "$(figure "$key")"
done
if [ -s "$work/wrk.err" ]; then
  echo "# wrk said:" >&2
  sed 's/^/#   /' "$work/wrk.err" | head -20 >&2
fi

echo "requests/s        $requests_per_s"
echo "records/s         $records_per_s"
echo "latency p50       $latency_p50_ms ms"
echo "latency p99       $latency_p99_ms ms"
echo "latency max       $latency_max_ms ms"
echo "requests          $requests (sent $sent, answered $answered)"
echo "errors            connect $errors_connect, read $errors_read, write $errors_write, timeout $errors_timeout, HTTP $errors_status, non-2xx $non_2xx, items not accepted $items_other"
awk -v t="$server_cpu" -v hz="$(getconf CLK_TCK)" -v u="$wrk_user" -v s="$wrk_sys" -v d="$duration" \
  'BEGIN { printf "cpu               server %.1f s, wrk %.1f s in %d s of load\n", t / hz, u + s, d }'
echo "rss               start $((rss_start / 1024)) MiB, after the run $((rss_end / 1024)) MiB"

read -r n_probes probes_failed probe_p50 probe_max probe_total_max < <(
  sort -n "$work/probes.txt" | awk '
    { n++; if ($3 != "200") failed++; else { ok[++m] = $1; if ($2 > tmax) tmax = $2 } }
    END { printf "%d %d %.3f %.3f %.3f\n", n, failed, m ? ok[int((m + 1) / 2)] : 0, m ? ok[m] : 0, tmax }')
echo "new clients       $n_probes connections during the load: TLS handshake p50 ${probe_p50} s, max ${probe_max} s; answer max ${probe_total_max} s; failed $probes_failed"
echo "listen overflows  $overflows connection attempts dropped by full listen queues during the run (whole machine)"
echo "server fds        $fds_start before the load, $fds_end after every client left (+$((fds_end - fds_start)) held open)"

errors=0
for n in "$errors_connect" "$errors_read" "$errors_write" "$errors_timeout" "$errors_status" \
         "$non_2xx" "$items_other"; do
  [[ "$n" =~ ^[0-9]+$ ]] || fail "wrk's report is incomplete (see $work/wrk.out)"
  errors=$((errors + n))
done

failures=()
[ "$errors" -eq 0 ] || failures+=("$errors errors under load")
[ "$items_accepted" -gt 0 ] || failures+=("no record was accepted")
[ "$probes_failed" -eq 0 ] || failures+=("$probes_failed of $n_probes new clients got no answer (see $work/probe.err)")
[ "$n_probes" -gt 0 ] || failures+=("no new-client probe ran")

# Memory: the first sample at or after the warm-up mark against every later one.
if [ "$mode" = soak ]; then
  echo "rss over time (seconds: MiB):"
  awk '{ printf "%s%6.1f: %4.1f", (NR % 8 == 1 ? "   " : "  "), $1, $2 / 1024; if (NR % 8 == 0) printf "\n" }
       END { if (NR % 8 != 0) printf "\n" }' "$work/rss.txt"
  read -r rss_warm rss_peak rss_last anon_growth file_growth shmem_growth < <(awk -v w="$warmup" '
    $1 + 0 >= w && base == "" { base = $2; a0 = $3; f0 = $4; s0 = $5 }
    base != "" { if ($2 > peak) peak = $2; last = $2; a1 = $3; f1 = $4; s1 = $5 }
    END { print (base == "" ? 0 : base), peak + 0, last + 0, a1 - a0, f1 - f0, s1 - s0 }' "$work/rss.txt")
  [ "$rss_warm" -gt 0 ] || fail "no RSS sample after the ${warmup} s warm-up (run longer)"
  # The bound as a leak it would catch: spread over the requests after warm-up.
  awk -v w="$rss_warm" -v p="$rss_peak" -v l="$rss_last" -v b="$rss_bound_mib" -v wu="$warmup" \
      -v req="$requests" -v d="$duration" -v batch="$batch" 'BEGIN {
    after = req * (d - wu) / d
    printf "rss growth        from %d s (%.1f MiB): peak %+.1f MiB, end %+.1f MiB; bound +%d MiB", wu, w / 1024, (p - w) / 1024, (l - w) / 1024, b
    if (after > 0)
      printf " (= a leak of %.0f bytes a request, %.0f a record, over the %.0f requests after warm-up)", b * 1048576 / after, b * 1048576 / (after * batch), after
    printf "\n" }'
  echo "                  of which heap (RssAnon) $((anon_growth)) KiB, mapped files $((file_growth)) KiB, shared memory $((shmem_growth)) KiB"
  [ $((rss_peak - rss_warm)) -le $((rss_bound_mib * 1024)) ] ||
    failures+=("the server's memory grew by $(( (rss_peak - rss_warm) / 1024 )) MiB after warm-up (bound ${rss_bound_mib} MiB)")
fi

stored_live=$(curl -sS --fail --max-time 30 --cacert "$work/ca.pem" "${uri}healthz" |
  sed -n 's/.*"records":\([0-9]*\).*/\1/p')

stop_server 30

# What the store holds against what the server answered.
cat "$work"/accepted-*.txt > "$work/accepted.txt"
read -r stored stored_centre n_accepted n_distinct n_found < <(
  sqlite3 -batch -separator ' ' "$work/check.db" <<EOF
CREATE TABLE accepted (uuid TEXT);
.import $work/accepted.txt accepted
ATTACH '$db' AS central;
SELECT (SELECT count(*) FROM central.records),
       (SELECT count(*) FROM central.records WHERE centre_id = '$centre'),
       (SELECT count(*) FROM accepted),
       (SELECT count(DISTINCT uuid) FROM accepted),
       (SELECT count(*) FROM accepted JOIN central.records USING (uuid));
EOF
)
quick_check=$(sqlite3 -batch "$db" 'PRAGMA quick_check;' | paste -sd' ')
unanswered=$((sent - answered))
extra=$((stored - n_accepted))
echo "stored            $stored records (${stored_live:-?} by /healthz before the stop); accepted $n_accepted, all found: $([ "$n_found" = "$n_accepted" ] && echo yes || echo no)"
echo "in flight at stop $unanswered requests unanswered by the deadline; stored without an answer: $extra records"

[ "$stored" = "$stored_centre" ] || failures+=("records of another centre in the store")
[ "$n_accepted" = "$items_accepted" ] || failures+=("wrk counted $items_accepted accepted items, the files hold $n_accepted")
[ "$n_distinct" = "$n_accepted" ] || failures+=("an accepted UUID was answered twice")
[ "$n_found" = "$n_accepted" ] || failures+=("$((n_accepted - n_found)) accepted records are not in the store")
[ "$quick_check" = ok ] || failures+=("the store's quick_check says: $quick_check")
if [ "$extra" -lt 0 ] || [ $((extra % batch)) -ne 0 ] || [ $((extra / batch)) -gt "$unanswered" ]; then
  failures+=("the store holds $extra records more than accepted, which is not whole batches of the $unanswered unanswered requests")
fi

if [ ${#failures[@]} -gt 0 ]; then
  for f in "${failures[@]}"; do echo "FAIL: $f" >&2; done
  exit 1
fi
echo "ok"
