#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TLS 1.2 is the least version kac-central accepts: a real `kac-central serve` with a test
# certificate, and `openssl s_client` forced to one version each time (at security level 0, so
# that the refusal is the server's and not the client's own). TLS 1.0 and 1.1 must fail, 1.2
# and 1.3 must work. Debian 12's GnuTLS accepted 1.0 and 1.1 before kac_tls_require_tls12().
#   test-central-tls.sh KAC_CENTRAL
# Exit 77 (skipped) when openssl is missing or cannot speak TLS 1.1 any more.
set -u

central="${1:?usage: test-central-tls.sh KAC_CENTRAL}"
case "$central" in /*) ;; *) central="$PWD/$central" ;; esac

if ! command -v openssl >/dev/null 2>&1 \
   || ! openssl s_client -help 2>&1 | grep -q -- '-tls1_1'; then
  echo "1..0 # SKIP openssl with s_client -tls1_1 is needed"
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kac-tls-XXXXXX") || exit 1
server_pid=
cleanup () {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cd "$work" || exit 1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
  -out ca.pem -days 2 -subj "/CN=KAC TLS test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign >/dev/null 2>&1 &&
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout leaf.key \
  -out leaf.csr -subj /CN=localhost >/dev/null 2>&1 &&
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >leaf.ext &&
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem \
  -days 2 -extfile leaf.ext >/dev/null 2>&1 || { echo "Bail out! openssl could not make the test PKI"; exit 1; }

export KAC_CENTRAL_PWHASH_COST=min
"$central" init --db central.db >init.log 2>&1 || { sed 's/^/# /' init.log; echo "Bail out! kac-central init failed"; exit 1; }
"$central" serve --db central.db --tls-cert leaf.pem --tls-key leaf.key --port 0 >serve.out 2>serve.err &
server_pid=$!

port=
for _ in $(seq 50); do
  port=$(sed -n 's|^Listening on https://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' serve.out)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { sed 's/^/# /' serve.err; echo "Bail out! kac-central serve did not start"; exit 1; }
echo "# kac-central serve on port $port"

echo "1..4"
n=0
failed=0
check () {
  version=$1 expect=$2 protocol=$3
  n=$((n + 1))
  echo | timeout 10 openssl s_client -"$version" -cipher 'DEFAULT@SECLEVEL=0' -CAfile ca.pem \
    -verify_return_error -connect "127.0.0.1:$port" >"s_client-$version.log" 2>&1
  status=$?
  got=$(sed -n 's/^New, \(TLSv[0-9.]*\),.*/\1/p' "s_client-$version.log" | head -1)
  if [ "$expect" = refused ]; then
    if [ "$status" -ne 0 ] && [ -z "$got" ]; then
      echo "ok $n - $version refused ($(grep -m1 -Eo 'alert [a-z ]+|error:[^ ]*' "s_client-$version.log"))"
    else
      echo "not ok $n - $version was accepted (protocol $got)"
      failed=1
    fi
  else
    if [ "$status" -eq 0 ] && [ "$got" = "$protocol" ]; then
      echo "ok $n - $version accepted ($got)"
    else
      sed 's/^/# /' "s_client-$version.log"
      echo "not ok $n - $version: exit $status, protocol '$got', expected $protocol"
      failed=1
    fi
  fi
}

check tls1 refused ""
check tls1_1 refused ""
check tls1_2 accepted TLSv1.2
check tls1_3 accepted TLSv1.3
exit $failed
