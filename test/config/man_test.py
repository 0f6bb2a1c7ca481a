#!/usr/bin/env python3
"""The cfg(5) page documents every key of the key table in both syntaxes, and renders without warnings.

usage: man_test.py SOURCE_DIR
"""
import os
import re
import shutil
import subprocess
import sys

SRC = os.path.abspath(sys.argv[1])
KEYS_C = os.path.join(SRC, "lib", "core", "config_keys.c")
PAGE = os.path.join(SRC, "man", "fixed-layout-build.cfg.5")


def main():
    with open(KEYS_C) as f:
        keys = re.findall(r'\[FLB_KEY_[A-Z_]+\] = \{"([a-z_]+)"', f.read())
    with open(PAGE) as f:
        page = f.read()
    failures = []
    if len(keys) < 17:
        failures.append("found only %d keys in %s" % (len(keys), KEYS_C))
    for key in keys:
        # Each entry's tag shows the xl form, then the YAML form.
        if not re.search(r'^\.BI "%s = .*\\fP%s: ' % (key, key), page, re.M):
            failures.append("%s: no '.BI \"%s = ...\\fP%s: ...' entry" % (key, key, key))
    # man-db is one of test/install-deps' packages: without it the page's rendering would go unchecked.
    man = shutil.which("man")
    if not man:
        failures.append("man is not installed (test/install-deps installs man-db)")
    else:
        p = subprocess.run([man, "--warnings", "-l", PAGE], capture_output=True, timeout=60,
                           env=dict(os.environ, MANWIDTH="80", MAN_DISABLE_SECCOMP="1"))
        if p.returncode != 0 or p.stderr.strip():
            failures.append("man -l: exit %d, %s" % (p.returncode, p.stderr.decode(errors="replace").strip()))
    for f in failures:
        print("FAIL " + f)
    print("%d keys, %d failures" % (len(keys), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
