#!/usr/bin/python3
# check-manifest.py
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Flatpak runtimes cannot be downloaded here, so the manifest cannot be proven by a build.
# This checks it against what the build really is instead: the permissions against the libraries
# the built kac-desk links (readelf), the modules against the dependencies meson found, the
# command against meson's install plan, the runtime's GTK and libadwaita against meson.build's
# minimum versions, and every source against a checksum or the local tree.
#
# Usage: check-manifest.py SOURCE_ROOT BUILD_ROOT [--self-test]            Output: TAP.
# With --self-test it also feeds itself broken copies of the manifest (a --filesystem, a
# talk-name, no network, a missing checksum, an old runtime, an unneeded module…) and fails
# unless each of them is rejected, so that the check itself is known to be able to fail.

import json
import os
import re
import shutil
import subprocess
import sys

source_root, build_root = (os.path.realpath(p) for p in sys.argv[1:3])
self_test = "--self-test" in sys.argv[3:]
manifest_path = os.path.join(source_root, "flatpak", "lv.vpvkac.Desk.json")
results = []


def check(ok, description, diagnostics=()):
    results.append((bool(ok), description, [str(d) for d in diagnostics if d]))


def read_json(*path):
    with open(os.path.join(*path), encoding="utf-8") as json_file:
        return json.load(json_file)


def version_tuple(text):
    return tuple(int(part) for part in text.split("."))


# What the GNOME runtime provides, by pkg-config name and by shared library, as far as KAC Desk
# can use it: the freedesktop base (C library, SQLite, libnotify) and the GNOME platform on top
# (GLib, GTK, libadwaita, libsoup 3, json-glib, libsecret). Sources: the runtimes' own element
# lists (gnome-build-meta, freedesktop-sdk) as summarised in ../shared/PLATFORM-NOTES.md.
RUNTIME_PKGCONFIG = {
    "glib-2.0", "gio-2.0", "gio-unix-2.0", "gobject-2.0", "gmodule-2.0", "sqlite3",
    "json-glib-1.0", "gtk4", "libadwaita-1", "libsoup-3.0", "libsecret-1", "libnotify",
    "cairo", "pango", "pangocairo", "gdk-pixbuf-2.0",
}
RUNTIME_SONAMES = (
    "libc.so", "libm.so", "libpthread.so", "libdl.so", "librt.so", "libglib-2.0.so",
    "libgio-2.0.so", "libgobject-2.0.so", "libgmodule-2.0.so", "libsqlite3.so",
    "libjson-glib-1.0.so", "libsoup-3.0.so", "libgtk-4.so", "libadwaita-1.so", "libsecret-1.so",
    "libnotify.so", "libcairo.so", "libpango-1.0.so", "libpangocairo-1.0.so",
    "libgdk_pixbuf-2.0.so",
)

# What each module of the manifest builds. A new module must be added here, which is the point:
# nothing goes into the Flatpak that no check accounts for.
MODULE_PROVIDES = {
    "libsodium": {"pkgconfig": "libsodium", "soname": "libsodium.so"},
}

# GTK and libadwaita of each GNOME runtime (GNOME 43 shipped GTK 4.8 and libadwaita 1.2, and
# every release since has raised GTK by 0.2 and libadwaita by 0.1). A newer runtime than the
# table knows is held to the newest entry: GNOME never ships an older GTK than before.
RUNTIME_TOOLKIT = {
    43: ("4.8", "1.2"), 44: ("4.10", "1.3"), 45: ("4.12", "1.4"), 46: ("4.14", "1.5"),
    47: ("4.16", "1.6"), 48: ("4.18", "1.7"), 49: ("4.20", "1.8"),
}
# GNOME supports each runtime for about a year, two releases. At KAC Desk 0.1.0 (November 2026)
# those are 50 (March 2026) and 51 (September 2026); raise this as runtimes reach end of life.
OLDEST_SUPPORTED_RUNTIME = 50

# Permissions a shared library needs in the sandbox. libsecret and libnotify need none: inside
# Flatpak they talk to the secret and notification portals (libsecret ≥ 0.20, libnotify ≥ 0.8).
PERMISSIONS_FOR = {
    "libsoup-3.0.so": ["--share=network"],
    "libgtk-4.so": ["--socket=wayland", "--socket=fallback-x11", "--device=dri", "--share=ipc"],
}
WHY_NOT = {
    "--filesystem": "files are opened and saved through the file chooser portal",
    "--talk-name": "notifications and secrets go through portals",
    "--system-talk-name": "nothing talks to the system bus",
    "--own-name": "GApplication owns its own name without a permission",
    "--socket=x11": "X11 only as a fallback (--socket=fallback-x11)",
    "--socket=session-bus": "the portals are reachable without the whole bus",
    "--socket=system-bus": "nothing talks to the system bus",
    "--device=all": "only the GPU (--device=dri) is needed",
    "--persist": "data lives in the sandbox's own XDG data directory",
}

# -- what the build is ---------------------------------------------------------------------------
with open(os.path.join(source_root, "meson.build"), encoding="utf-8") as meson_file:
    meson_build = meson_file.read()
with open(os.path.join(source_root, "meson_options.txt"), encoding="utf-8") as options_file:
    known_options = set(re.findall(r"option\('([^']+)'", options_file.read()))
with open(os.path.join(source_root, "po", "LINGUAS"), encoding="utf-8") as linguas:
    languages = [w for line in linguas for w in line.split("#", 1)[0].split()]
meson_deps = [d["name"] for d in read_json(build_root, "meson-info", "intro-dependencies.json")]
targets = read_json(build_root, "meson-info", "intro-targets.json")
install_plan = read_json(build_root, "meson-info", "intro-install_plan.json")
destinations = {entry["destination"]: source
                for group in install_plan.values() for source, entry in group.items()}

# The application id of the default profile, from meson.build's profile switch.
default_id = re.search(r"\belse\s+application_id\s*=\s*'([^']+)'", meson_build)
default_id = default_id.group(1) if default_id else None


def soname_base(soname):
    return soname.split(".so", 1)[0] + ".so"


def linked_libraries(binary):
    """The shared libraries a built binary links (its DT_NEEDED entries)."""
    readelf = shutil.which("readelf")
    if not binary or not readelf or not os.path.isfile(binary):
        return []
    dynamic = subprocess.run([readelf, "-d", binary], capture_output=True, text=True)
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic.stdout)


def check_manifest(manifest, manifest_dir):
    app_id = manifest.get("id") or manifest.get("app-id")
    modules = manifest.get("modules", [])
    module_names = [m.get("name") for m in modules]
    finish_args = manifest.get("finish-args", [])

    check(app_id is not None and app_id == default_id,
          f"the manifest's id is the default profile's application id ({default_id})",
          [f"id is {app_id!r}"])
    for name in (f"{app_id}.desktop.in", f"{app_id}.metainfo.xml.in"):
        check(os.path.isfile(os.path.join(source_root, "data", name)), f"data/{name} exists")

    # The runtime, and the GTK and libadwaita it brings.
    check(manifest.get("runtime") == "org.gnome.Platform"
          and manifest.get("sdk") == "org.gnome.Sdk",
          "the runtime is GNOME's (org.gnome.Platform with org.gnome.Sdk)",
          [f"runtime {manifest.get('runtime')!r}, sdk {manifest.get('sdk')!r}"])
    runtime_version = str(manifest.get("runtime-version", ""))
    if runtime_version.isdigit():
        runtime = int(runtime_version)
        check(runtime >= OLDEST_SUPPORTED_RUNTIME,
              f"GNOME runtime {runtime} is still supported (oldest: {OLDEST_SUPPORTED_RUNTIME})")
        known = [v for v in RUNTIME_TOOLKIT if v <= runtime]
        gtk_has, adw_has = RUNTIME_TOOLKIT[max(known)] if known else ("0", "0")
        for dep, has in (("gtk4", gtk_has), ("libadwaita-1", adw_has)):
            wanted = re.search(r"dependency\('%s',\s*version:\s*'>=\s*([\d.]+)'" % re.escape(dep),
                               meson_build)
            check(wanted and version_tuple(has) >= version_tuple(wanted.group(1)),
                  f"GNOME runtime {runtime} has {dep} {has} or newer, meson.build needs "
                  f"{wanted.group(1) if wanted else '(not found)'}")
    else:
        check(False, "the runtime version is a GNOME release number", [repr(runtime_version)])

    # The command is what meson builds and installs.
    command = manifest.get("command")
    binary = destinations.get("{bindir}/%s" % command)
    check(binary is not None, f"meson installs the command {command!r} into bindir",
          sorted(d for d in destinations if d.startswith("{bindir}")))
    check([t for t in targets if t["type"] == "executable" and t["name"] == command
           and t["installed"]], f"{command!r} is an executable target of the build")

    # What the built command links, and the permissions that follow from it.
    needed = linked_libraries(binary)
    check(needed, f"the built {command} can be read for the libraries it links",
          [f"{binary} is not built yet (run ninja first)"
           if binary and not os.path.isfile(binary) else "",
           "" if shutil.which("readelf") else "readelf (binutils) is missing"])
    for soname in needed:
        base = soname_base(soname)
        providers = [m for m, p in MODULE_PROVIDES.items() if p["soname"] == base]
        check(base in RUNTIME_SONAMES or (providers and providers[0] in module_names),
              f"{soname}, which {command} links, is in the runtime or built by a module")
    required = []
    for soname in needed:
        for arg in PERMISSIONS_FOR.get(soname_base(soname), []):
            if arg not in required:
                required.append(arg)
    for arg in required:
        reason = [s for s in needed if arg in PERMISSIONS_FOR.get(soname_base(s), [])]
        check(arg in finish_args, f"finish-args has {arg} (needed by {', '.join(reason)})")
    for arg in finish_args:
        if arg not in required:
            key = arg.split("=", 1)[0] if arg.split("=", 1)[0] in WHY_NOT else arg
            check(False, f"finish-args has nothing that is not needed: {arg}",
                  [WHY_NOT.get(key, "no linked library needs it")])
    check(len(finish_args) == len(set(finish_args)), "finish-args has no duplicates")

    # Every source is checksummed or is this tree; every module is needed.
    for module in modules:
        name = module.get("name")
        for source in module.get("sources", []):
            kind = source.get("type")
            if kind == "dir":
                path = os.path.realpath(os.path.join(manifest_dir, source.get("path", "")))
                check(path == source_root, f"module {name}: its dir source is this source tree",
                      [f"{source.get('path')!r} is {path}"])
            else:
                url = source.get("url", "")
                check(url.startswith("https://")
                      and re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")),
                      f"module {name}: {kind} source {url or '(no url)'} has an https url "
                      "and a sha256")
        if name in MODULE_PROVIDES:
            pkg = MODULE_PROVIDES[name]["pkgconfig"]
            check(pkg in meson_deps, f"module {name} is needed: meson.build depends on {pkg}")
        elif name != "kac-desk":
            check(False, f"module {name} is accounted for in check-manifest.py's MODULE_PROVIDES")
    for dep in meson_deps:
        providers = [m for m, p in MODULE_PROVIDES.items() if p["pkgconfig"] == dep]
        check(dep in RUNTIME_PKGCONFIG or (providers and providers[0] in module_names),
              f"dependency {dep} of meson.build is in the runtime or built by a module")

    desk = modules[-1] if modules else {}
    check(desk.get("name") == "kac-desk" and desk.get("buildsystem") == "meson",
          "the last module builds kac-desk itself with meson")
    options = {o.split("=", 1)[0][2:]: o.split("=", 1)[1]
               for o in desk.get("config-opts", []) if o.startswith("-D") and "=" in o}
    for option in options:
        check(option in known_options, f"config-opts: -D{option} is an option of meson_options.txt")
    check(options.get("profile", "default") == "default",
          "the Flatpak builds the default profile (a clerk's, not the development one)")

    # Translations stay in a single-file bundle.
    check(manifest.get("separate-locales") is False,
          f"separate-locales is false, so a single-file bundle keeps {', '.join(languages)}")


try:
    manifest = read_json(manifest_path)
except (OSError, ValueError) as error:
    print(f"Bail out! {manifest_path}: {error}")
    sys.exit(1)
check_manifest(manifest, os.path.dirname(manifest_path))


def broken(change):
    copy = json.loads(json.dumps(manifest))
    change(copy)
    return copy


# Each broken copy must make at least one check fail: the check can tell a bad manifest.
BROKEN = {
    "a --filesystem": lambda m: m["finish-args"].append("--filesystem=home"),
    "a talk-name for notifications":
        lambda m: m["finish-args"].append("--talk-name=org.freedesktop.Notifications"),
    "no network": lambda m: m["finish-args"].remove("--share=network"),
    "X11 instead of Wayland": lambda m: m["finish-args"].__setitem__(
        m["finish-args"].index("--socket=wayland"), "--socket=x11"),
    "a source without checksum": lambda m: m["modules"][0]["sources"][0].pop("sha256"),
    "a plain-http source": lambda m: m["modules"][0]["sources"][0].__setitem__(
        "url", m["modules"][0]["sources"][0]["url"].replace("https:", "http:")),
    "no libsodium module": lambda m: m["modules"].pop(0),
    "an unaccounted module": lambda m: m["modules"].insert(0, {"name": "extra", "sources": []}),
    "an end-of-life runtime": lambda m: m.__setitem__("runtime-version", "43"),
    "the freedesktop runtime": lambda m: m.__setitem__("runtime", "org.freedesktop.Platform"),
    "a command meson does not build": lambda m: m.__setitem__("command", "kac-dsk"),
    "another application id": lambda m: m.__setitem__("id", "lv.vpvkac.Desk.Devel"),
    "the development profile": lambda m: m["modules"][-1].__setitem__(
        "config-opts", ["-Dprofile=development"]),
    "an unknown meson option":
        lambda m: m["modules"][-1]["config-opts"].append("-Dno-such-option=true"),
    "a dir source elsewhere": lambda m: m["modules"][-1]["sources"][0].__setitem__("path", "."),
    "separate locales": lambda m: m.pop("separate-locales"),
}
if self_test:
    real_results, results = results, []
    for what, change in BROKEN.items():
        results.clear()
        check_manifest(broken(change), os.path.dirname(manifest_path))
        failed = [description for ok, description, _ in results if not ok]
        real_results.append((bool(failed), f"self-test: a manifest with {what} is rejected",
                             failed[:2]))
    results = real_results

for number, (ok, description, diagnostics) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {number} - {description}")
    # A failure says why; a passing self-test says which checks caught the broken manifest.
    for line in diagnostics if not ok or description.startswith("self-test") else ():
        print(f"# {line}")
print(f"1..{len(results)}")
sys.exit(0 if all(ok for ok, _, _ in results) else 1)
