#!/usr/bin/python3
# check-desktop-integration.py
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks what desktop-file-validate and appstreamcli do not: that the icons are drawn the way
# GNOME can use them, and that the desktop file, the metainfo and the icons are built and
# installed under the application id of the profile, pointing at each other.
#
# Usage: check-desktop-integration.py SOURCE_ROOT BUILD_ROOT APPLICATION_ID
# Output: TAP.

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"

source_root, build_root, app_id = sys.argv[1:4]
results = []


def check(ok, description, diagnostics=(), todo=None, skip=None):
    results.append((bool(ok), description, list(diagnostics), todo, skip))


def local(tag):
    return tag.rsplit("}", 1)[-1]


def check_svg(path, size, symbolic):
    name = os.path.relpath(path, source_root)
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as error:
        check(False, f"{name} is well-formed SVG", [str(error)])
        return
    check(root.tag == SVG + "svg", f"{name} is an SVG document")
    view_box = [float(v) for v in root.get("viewBox", "").replace(",", " ").split()]
    check(view_box == [0, 0, size, size], f"{name} is drawn on a {size}×{size} grid",
          [f"viewBox is {root.get('viewBox')!r}"])
    check(root.get("width") == str(size) and root.get("height") == str(size),
          f"{name} has a {size}×{size} size")

    # Nothing that a desktop or GTK may refuse to load.
    external = [e.get("{http://www.w3.org/1999/xlink}href") or e.get("href")
                for e in root.iter() if local(e.tag) in ("image", "use", "script", "foreignObject")]
    check(not external, f"{name} has no images, scripts or references", external)

    if symbolic:
        # GTK recolours a symbolic icon by overriding the fill of every shape: a mask, a
        # gradient, a stroke or a second colour would come out wrong.
        forbidden = sorted({local(e.tag) for e in root.iter()
                            if local(e.tag) in ("mask", "clipPath", "linearGradient",
                                                "radialGradient", "pattern", "filter", "text")})
        check(not forbidden, f"{name} uses only plain shapes", forbidden)
        strokes = [local(e.tag) for e in root.iter()
                   if e.get("stroke") not in (None, "none") or "stroke:" in (e.get("style") or "")]
        check(not strokes, f"{name} has no strokes (GTK recolours fills only)", strokes)
        colours = {e.get("fill") for e in root.iter() if e.get("fill") not in (None, "none")}
        check(len(colours) == 1, f"{name} is drawn in one colour", sorted(colours))

    renderer = shutil.which("rsvg-convert")
    if not renderer:
        check(True, f"{name} renders", skip="rsvg-convert (librsvg2-bin) is not installed")
        return
    with tempfile.TemporaryDirectory(prefix="kac-icon-") as work:
        png = os.path.join(work, "icon.png")
        run = subprocess.run([renderer, "-w", str(size * 2), "-h", str(size * 2), path, "-o", png],
                             capture_output=True, text=True)
        rendered = run.returncode == 0 and os.path.getsize(png) > 100
        check(rendered, f"{name} renders at {size * 2}×{size * 2}", run.stderr.splitlines())


icons = os.path.join(source_root, "data", "icons", "hicolor")
check_svg(os.path.join(icons, "scalable", "apps", "lv.vpvkac.Desk.svg"), 128, False)
check_svg(os.path.join(icons, "symbolic", "apps", "lv.vpvkac.Desk-symbolic.svg"), 16, True)

# The built desktop file names the icon of this profile.
desktop_path = os.path.join(build_root, "data", app_id + ".desktop")
desktop = configparser.ConfigParser(interpolation=None, strict=False)
desktop.optionxform = str
try:
    desktop.read(desktop_path, encoding="utf-8")
    entry = desktop["Desktop Entry"]
except (OSError, KeyError, configparser.Error) as error:
    check(False, f"{app_id}.desktop was built", [str(error)])
    entry = {}
check(entry.get("Icon") == app_id, f"the desktop file's Icon is {app_id}",
      [f"Icon={entry.get('Icon')}"])
check(entry.get("Exec", "").split()[:1] == ["kac-desk"], "the desktop file starts kac-desk")
translated = [key for key in entry if key.startswith("Name[") or key.startswith("Comment[")]
check(any(key.endswith("[lv]") for key in translated),
      "the desktop file carries the Latvian name and comment", translated)

# The built metainfo describes this profile's component and launches its desktop file.
metainfo_path = os.path.join(build_root, "data", app_id + ".metainfo.xml")
try:
    component = ET.parse(metainfo_path).getroot()
except (OSError, ET.ParseError) as error:
    check(False, f"{app_id}.metainfo.xml was built", [str(error)])
    component = ET.Element("component")
check(component.findtext("id") == app_id, f"the metainfo's id is {app_id}",
      [f"id is {component.findtext('id')!r}"])
check(component.findtext("launchable") == app_id + ".desktop",
      "the metainfo launches the desktop file of this profile",
      [f"launchable is {component.findtext('launchable')!r}"])
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
for tag in ("name", "summary"):
    check(any(e.get(LANG) == "lv" for e in component.findall(tag)),
          f"the metainfo's {tag} is translated into Latvian")
# Every paragraph, list item and caption has its Latvian twin (msgfmt leaves one out when
# po/lv.po has no translation for it).
for tag in ("p", "li", "caption"):
    english = [e for e in component.iter(tag) if e.get(LANG) is None]
    latvian = [e for e in component.iter(tag) if e.get(LANG) == "lv"]
    check(english and len(latvian) == len(english),
          f"every {tag} of the metainfo is translated into Latvian",
          [f"{len(latvian)} of {len(english)} (po/lv.po lacks the metainfo strings?)"])
screenshots_dir = os.path.join(source_root, "data", "screenshots")
for screenshot in component.iter("screenshot"):
    images = screenshot.findall("image")
    languages = sorted(e.get(LANG, "en") for e in images)
    check(languages == ["en", "lv"], f"screenshot {screenshot.findtext('caption')!r} has an "
          "English and a Latvian image", languages)
    for image in images:
        url = (image.text or "").strip()
        file_name = url.rsplit("/", 1)[-1]
        # The screenshot script (demo data under Xvfb) is a later step: until data/screenshots/
        # exists the files are a known gap, after that a missing one is a failure.
        todo = None if os.path.isdir(screenshots_dir) else "the screenshot script does not exist yet"
        check(os.path.isfile(os.path.join(screenshots_dir, file_name)),
              f"data/screenshots/{file_name} exists", todo=todo)
        host = re.match(r"https://([^/]+)/", url)
        public = host and not host.group(1).endswith((".example", ".invalid", ".test"))
        check(public, f"{url} is on the project's public web home",
              todo=None if public else "the project has no public web home yet (data/meson.build)")
# The newest release in the metainfo is the version meson builds.
try:
    with open(os.path.join(build_root, "meson-info", "intro-projectinfo.json")) as info_file:
        version = json.load(info_file)["version"]
except (OSError, ValueError, KeyError) as error:
    version = None
release = component.find("releases/release")
check(release is not None and release.get("version") == version,
      f"the metainfo's newest release is the project's version {version}",
      [f"release is {None if release is None else release.get('version')!r}"])

# Everything is installed under this profile's names (meson's install plan).
try:
    with open(os.path.join(build_root, "meson-info", "intro-install_plan.json")) as plan_file:
        plan = json.load(plan_file)
    destinations = {entry["destination"] for group in plan.values() for entry in group.values()}
except (OSError, ValueError, KeyError) as error:
    check(False, "meson's install plan is readable", [str(error)])
    destinations = set()
for wanted in (f"{{prefix}}/share/applications/{app_id}.desktop",
               f"{{prefix}}/share/metainfo/{app_id}.metainfo.xml",
               f"{{prefix}}/share/icons/hicolor/scalable/apps/{app_id}.svg",
               f"{{prefix}}/share/icons/hicolor/symbolic/apps/{app_id}-symbolic.svg"):
    check(wanted in destinations, f"installs {wanted}",
          sorted(d for d in destinations if "/share/" in d))

for number, (ok, description, diagnostics, todo, skip) in enumerate(results, 1):
    directive = f" # TODO {todo}" if todo else f" # SKIP {skip}" if skip else ""
    print(f"{'ok' if ok else 'not ok'} {number} - {description}{directive}")
    for line in diagnostics if not ok else ():
        print(f"# {line}")
print(f"1..{len(results)}")
# A TODO is a known gap that the output shows; it does not fail the test.
sys.exit(0 if all(ok or todo for ok, _, _, todo, _ in results) else 1)
