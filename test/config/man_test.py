#!/usr/bin/env python3
"""The cfg(5) page documents every key of the key table in both syntaxes, gives ranges that work, renders
without warnings, and carries the same date as fixed-layout-build(1).

usage: man_test.py SOURCE_DIR BINARY
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.path.abspath(sys.argv[1])
BINARY = os.path.abspath(sys.argv[2])
KEYS_C = os.path.join(SRC, "lib", "core", "config_keys.c")
PAGE = os.path.join(SRC, "man", "fixed-layout-build.cfg.5")
PAGE1 = os.path.join(SRC, "man", "fixed-layout-build.1")
BASE = 'name = "g"\nkernel = "/k"\nmemory = 256\n'
# What a key's range needs around it to mean anything: the foreign region exists only in the fixed layout.
CONTEXT = {"foreign_region_mib": ["fixed_mem_layout=1"]}


def entry(page, key):
    """The text of key's entry in the KEYS section, up to the next entry."""
    m = re.search(r'^\.BI "%s = .*?(?=^\.(TP|TQ|SH)\b)' % key, page, re.M | re.S)
    return m.group(0) if m else ""


def dry_run(tmp, args):
    p = subprocess.run([BINARY, "-n", "-q", os.path.join(tmp, "base.cfg")] + args, capture_output=True, timeout=60)
    return p.returncode, p.stderr.decode(errors="replace").strip()


def check_ranges(page, keys, failures):
    """Each "Range A to B" the page gives: A and B work, A - 1 and B + 1 are refused. Returns how many."""
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "base.cfg"), "w") as f:
            f.write(BASE)
        for key in keys:
            m = re.search(r"[Rr]ange (\d+) to (\d+)", entry(page, key))
            if not m:
                continue
            checked += 1
            low, high = int(m.group(1)), int(m.group(2))
            context = CONTEXT.get(key, [])
            for value, want in ((low, 0), (high, 0), (low - 1, 2), (high + 1, 2)):
                if value < 0:
                    continue
                rc, err = dry_run(tmp, context + ["%s=%d" % (key, value)])
                if rc != want:
                    failures.append("%s=%d (documented range %d to %d): exit %d, not %d: %s"
                                    % (key, value, low, high, rc, want, err))
    return checked


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
    # Ranges: memory, vcpus, maxvcpus, the two frame counts, mmio_hole and the foreign region give one.
    ranges = check_ranges(page, keys, failures)
    if ranges < 7:
        failures.append("only %d keys give a range in the page" % ranges)
    # One date on both pages.
    with open(PAGE1) as f:
        page1 = f.read()
    dates = [re.search(r'^\.TH \S+ \d+ "?([0-9-]+)"?', p, re.M) for p in (page, page1)]
    if not all(dates) or dates[0].group(1) != dates[1].group(1):
        failures.append("the pages' dates differ: %s" % [d.group(1) if d else None for d in dates])
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
    print("%d keys, %d ranges, %d failures" % (len(keys), ranges, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
