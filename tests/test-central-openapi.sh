#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Lints data/openapi.yaml with Redocly's CLI (from the npm registry through npx). Errors and
# warnings both fail. Exit 77 (skipped) only when npx is not installed.
set -u

src="${1:?usage: test-central-openapi.sh SOURCE_ROOT}"

if ! command -v npx >/dev/null 2>&1; then
  echo "1..0 # SKIP npx is not installed"
  exit 77
fi

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
