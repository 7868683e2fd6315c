#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Validates the Flatpak manifest without building it (the runtimes cannot be downloaded here):
#   1. its structure against Flathub's JSON schema (flatpak-manifest.schema.json beside it),
#      with Ajv's command line from the npm registry, run by npx like the OpenAPI lint;
#   2. flatpak-builder --show-manifest, which parses it as flatpak-builder will and stops
#      before any build; any warning (an unknown property, a value of the wrong type) fails.
# Usage: validate-manifest.sh SOURCE_ROOT [MANIFEST]   Output: TAP. Exit 77 (skipped) only when
# neither npx nor flatpak-builder is installed.
set -u

src="${1:?usage: validate-manifest.sh SOURCE_ROOT}"
manifest="${2:-$src/flatpak/lv.vpvkac.Desk.json}"
schema="$src/flatpak/flatpak-manifest.schema.json"
status=0
ran=0

if command -v npx >/dev/null 2>&1; then
  ran=1
  # The schema is draft-07 and not written for Ajv's strict mode, hence --strict=false; ajv-cli
  # is pinned so that a new release cannot change the verdict.
  out=$(npx --yes ajv-cli@5.0.0 validate --spec=draft7 --strict=false --all-errors \
          --errors=text -s "$schema" -d "$manifest" 2>&1)
  result=$?
  printf '%s\n' "$out" | sed 's/^/# /'
  if [ "$result" -eq 0 ]; then
    echo "ok 1 - the manifest follows Flathub's manifest schema"
  else
    echo "not ok 1 - the manifest follows Flathub's manifest schema (ajv exit $result)"
    status=1
  fi
else
  echo "ok 1 - the manifest follows Flathub's manifest schema # SKIP npx is not installed"
fi

if command -v flatpak-builder >/dev/null 2>&1; then
  ran=1
  work=$(mktemp -d "${TMPDIR:-/tmp}/kac-flatpak-XXXXXX") || exit 1
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && flatpak-builder --show-manifest "$manifest") >"$work/out" 2>"$work/err"
  result=$?
  sed 's/^/# /' "$work/err"
  if [ "$result" -eq 0 ] && ! grep -q . "$work/err"; then
    echo "ok 2 - flatpak-builder --show-manifest reads it without a warning"
  else
    echo "not ok 2 - flatpak-builder --show-manifest reads it without a warning (exit $result)"
    status=1
  fi
else
  echo "ok 2 - flatpak-builder --show-manifest reads it # SKIP flatpak-builder is not installed"
fi

echo "1..2"
[ "$ran" -eq 1 ] || exit 77
exit "$status"
