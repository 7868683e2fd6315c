#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Keeps data/openapi.yaml true, with tools from the npm registry:
#   test-central-openapi.sh lint SOURCE_ROOT
#     Redocly's CLI lints the document; errors and warnings both fail.
#   test-central-openapi.sh responses SOURCE_ROOT TEST_PROGRAM [SCHEMAS]
#     Runs a server test (test-central-server, test-central-stats), which writes every answer it
#     checked (and the batches it sent), then validates each against its schema in the document
#     (Ajv, JSON Schema 2020-12). SCHEMAS (comma-separated) must each have been checked at least
#     once; the default is the list test-central-server produces.
# Exit 77 (skipped) only when npx or npm is not installed.
set -u

mode="${1:?usage: test-central-openapi.sh lint|responses SOURCE_ROOT [TEST_CENTRAL_SERVER]}"
src="${2:?source root missing}"

if ! command -v npx >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "1..0 # SKIP npx and npm are needed"
  exit 77
fi

case "$mode" in
lint)
  out=$(cd "$src" && npx --yes @redocly/cli lint --config data/redocly.yaml data/openapi.yaml 2>&1)
  status=$?
  printf '%s\n' "$out" | sed 's/^/# /'
  if [ "$status" -ne 0 ]; then
    echo "not ok 1 - redocly lint data/openapi.yaml (exit $status)"
    exit 1
  fi
  if printf '%s\n' "$out" | grep -Eq 'You have [0-9]+ warning'; then
    echo "not ok 1 - redocly lint data/openapi.yaml has warnings"
    exit 1
  fi
  echo "ok 1 - redocly lint data/openapi.yaml"
  echo "1..1"
  ;;
responses)
  server_test="${3:?test-central-server missing}"
  work=$(mktemp -d "${TMPDIR:-/tmp}/kac-openapi-XXXXXX") || exit 1
  trap 'rm -rf "$work"' EXIT
  mkdir "$work/responses" "$work/modules"

  if ! KAC_CENTRAL_RESPONSES_DIR="$work/responses" "$server_test" >"$work/server.log" 2>&1; then
    sed 's/^/# /' "$work/server.log"
    echo "Bail out! $(basename "$server_test") failed"
    exit 1
  fi

  if ! npm install --prefix "$work/modules" --no-audit --no-fund --silent \
       yaml@2 ajv@8 ajv-formats@3 >"$work/npm.log" 2>&1; then
    sed 's/^/# /' "$work/npm.log"
    echo "Bail out! npm install failed"
    exit 1
  fi

  node "$src/tests/test-central-openapi.mjs" "$src/data/openapi.yaml" "$work/responses" "$work/modules" ${4:+"$4"}
  ;;
*)
  echo "Bail out! unknown mode $mode"
  exit 1
  ;;
esac
