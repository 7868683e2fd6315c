#!/bin/sh
# with-keyring.sh — a meson test wrapper: runs PROGRAM with a private D-Bus session and a real
# Secret Service (gnome-keyring-daemon) whose keyring lives in a temporary XDG_DATA_HOME, with
# a temporary XDG_RUNTIME_DIR, and removes both afterwards. Its own session bus means that two
# runs at once (English and Latvian) never share or fight over one keyring.
# Usage: with-keyring.sh PROGRAM [ARGS…]
set -u

if ! command -v gnome-keyring-daemon >/dev/null 2>&1 || ! command -v dbus-run-session >/dev/null 2>&1; then
  echo "1..0 # SKIP gnome-keyring-daemon or dbus-run-session is missing (run tools/setup-deps test)"
  exit 0
fi

if [ -z "${KAC_KEYRING_INNER:-}" ]; then
  export KAC_KEYRING_INNER=1
  exec dbus-run-session -- "$0" "$@"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kac-keyring-XXXXXX") || exit 1
mkdir -p "$tmp/data" "$tmp/runtime"
chmod 700 "$tmp/runtime"
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/runtime"

# A throwaway password: the login keyring exists for this run only. (An empty one would not
# create the login collection.)
printf '%s' "kac-test-keyring-$$" |
  gnome-keyring-daemon --foreground --unlock --components=secrets >"$tmp/keyring.log" 2>&1 &
keyring=$!
cleanup () {
  kill "$keyring" 2>/dev/null
  wait "$keyring" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# Not D-Bus activation: that would start a second daemon without the unlocked keyring.
if ! gdbus wait --session --timeout 20 org.freedesktop.secrets; then
  echo "Bail out! The Secret Service did not start: $(cat "$tmp/keyring.log")"
  exit 1
fi

"$@"
status=$?
exit "$status"
