#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Personal codes never reach a log (DOMAIN.md "Personal data"). Everything runs with
# G_MESSAGES_DEBUG=all, so every g_debug/g_info/g_message of every domain is written, and every
# byte of stdout and stderr is kept:
#   1. the desk-and-server tests given after KAC_CENTRAL (test-sync: the sync engine sending
#      records with personal codes to an in-process kac-central over HTTPS, failures, retries,
#      rejections; test-central-server: the server's own error paths with invalid codes);
#   2. a real `kac-central serve` over HTTPS, sent a batch by curl with codes in both forms
#      (with and without the hyphen), an invalid code (rejected), a resend (replay), the same
#      UUID with another body (conflict) and a record the server cannot read.
# Then every log is searched for every code used, with and without the hyphen; one hit fails.
#   test-no-personal-codes.sh KAC_CENTRAL TEST_PROGRAM…
set -u

central="${1:?usage: test-no-personal-codes.sh KAC_CENTRAL TEST_PROGRAM…}"
shift
case "$central" in /*) ;; *) central="$PWD/$central" ;; esac

for tool in openssl curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is needed"
    exit 77
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/kac-nocodes-XXXXXX") || exit 1
server_pid=
cleanup () {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/logs"

export G_MESSAGES_DEBUG=all
n=0
failed=0

# 1. The tests, each in its own folder.
for program in "$@"; do
  case "$program" in /*) ;; *) program="$PWD/$program" ;; esac
  n=$((n + 1))
  name=$(basename "$program")
  if (cd "$work" && "$program" >"$work/logs/$name.log" 2>&1); then
    echo "ok $n - $name ran with G_MESSAGES_DEBUG=all ($(wc -l <"$work/logs/$name.log") lines of output)"
  else
    tail -20 "$work/logs/$name.log" | sed 's/^/# /'
    echo "not ok $n - $name failed"
    failed=1
  fi
done

# 2. A real server.
cd "$work" || exit 1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
  -out ca.pem -days 2 -subj "/CN=KAC log test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign >/dev/null 2>&1 &&
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout leaf.key \
  -out leaf.csr -subj /CN=localhost >/dev/null 2>&1 &&
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >leaf.ext &&
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem \
  -days 2 -extfile leaf.ext >/dev/null 2>&1 || { echo "Bail out! openssl could not make the test PKI"; exit 1; }

export KAC_CENTRAL_PWHASH_COST=min
echo "anna-password" >anna.pw
{
  "$central" init --db central.db &&
  "$central" centre add --db central.db --id riga-1 --name "Rīgas VPVKAC" --kind national &&
  "$central" user add --db central.db --username anna --role clerk --centre riga-1 --password-file anna.pw
} >logs/cli.log 2>&1 || { sed 's/^/# /' logs/cli.log; echo "Bail out! kac-central set-up failed"; exit 1; }

"$central" serve --db central.db --tls-cert leaf.pem --tls-key leaf.key --port 0 \
  >logs/serve.out 2>logs/serve.err &
server_pid=$!
port=
for _ in $(seq 50); do
  port=$(sed -n 's|^Listening on https://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' logs/serve.out)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { sed 's/^/# /' logs/serve.err; echo "Bail out! kac-central serve did not start"; exit 1; }
base="https://127.0.0.1:$port"

post () {
  curl -sS --cacert ca.pem -o "$2" -w '%{http_code}' -H 'Content-Type: application/json' \
    ${token:+-H "Authorization: Bearer $token"} --data-binary "@$1" "$base$3"
}

token=
printf '{"username":"anna","password":"anna-password"}' >sign-in.json
status=$(post sign-in.json session.json /api/v1/session)
token=$(sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p' session.json)
n=$((n + 1))
if [ "$status" = 200 ] && [ -n "$token" ]; then
  echo "ok $n - signed in to kac-central serve"
else
  echo "not ok $n - sign-in answered $status"
  failed=1
fi

record () {
  # uuid, personal code, notes
  printf '{"uuid":"%s","kind":"application","service_code":"VSAA-01","institution_code":"VSAA","channel":"in-person","client":{"name":"Jānis Bērziņš","personal_code":"%s"},"notes":%s,"satisfaction":5,"created_at":"2026-03-02T09:15:07.123456Z","clerk":"anna","centre_id":"riga-1"}' "$1" "$2" "$3"
}
{
  printf '{"records":['
  record 7d444840-9dc0-11d1-b245-5ffdce74fad2 161175-19997 null; printf ','
  record 9a7b3c1d-2e4f-4a6b-8c0d-1e2f3a4b5c6d 18056505610 null; printf ','
  record 1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d 161375-19997 null; printf ','
  record 2c3d4e5f-6071-4b8c-9d0e-1f2a3b4c5d6e 32579461005 '"Klienta kods 28063819406 pierakstā"'; printf ','
  printf '{"uuid":"3d4e5f60-7182-4c9d-8e0f-2a3b4c5d6e7f","kind":"application","client":{"personal_code":29021229381},"centre_id":"riga-1"}'
  printf ']}'
} >batch.json
{
  printf '{"records":['
  record 7d444840-9dc0-11d1-b245-5ffdce74fad2 161175-19997 null; printf ','
  record 9a7b3c1d-2e4f-4a6b-8c0d-1e2f3a4b5c6d 211244-14874 null
  printf ']}'
} >resend.json

status=$(post batch.json answer1.json /api/v1/records)
status2=$(post resend.json answer2.json /api/v1/records)
n=$((n + 1))
if [ "$status" = 200 ] && [ "$status2" = 200 ] && grep -q '"rejected"' answer1.json \
   && grep -q '"replay" *: *true' answer2.json && grep -q '"conflict"' answer2.json; then
  echo "ok $n - batches with accepted, rejected, unreadable, replayed and conflicting records"
else
  echo "# $(cat answer1.json) $(cat answer2.json)"
  echo "not ok $n - the batches were answered $status and $status2"
  failed=1
fi
curl -sS --cacert ca.pem -o /dev/null -X DELETE -H "Authorization: Bearer $token" "$base/api/v1/session"

kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null
server_pid=
n=$((n + 1))
if grep -q 'DEBUG' logs/serve.err logs/*.log; then
  echo "ok $n - debug output was on ($(cat logs/* | wc -l) lines in all logs)"
else
  echo "not ok $n - no debug output at all: G_MESSAGES_DEBUG did not take"
  failed=1
fi

# 3. The search: every code of the scenario and of the tests, in both forms.
codes="161175-19997 161175-19998 180565-05610 161375-19997 280638-19406 290212-29381 211244-14874 325794-61005"
for code in $codes; do
  bare=$(printf '%s' "$code" | tr -d -)
  n=$((n + 1))
  hits=$(grep -l -e "$code" -e "$bare" logs/* 2>/dev/null)
  if [ -z "$hits" ]; then
    echo "ok $n - $code / $bare in no log"
  else
    for file in $hits; do
      grep -n -e "$code" -e "$bare" "$file" | head -3 | sed "s|^|# $(basename "$file"): |"
    done
    echo "not ok $n - $code found in $(echo $hits | xargs -n1 basename | tr '\n' ' ')"
    failed=1
  fi
done

echo "1..$n"
exit $failed
