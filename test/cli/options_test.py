#!/usr/bin/env python3
"""Command-line tests: usage errors (exit status and exact stderr), --help and -V, the
dry-run's JSON shape, and that --help and the man page list the same options."""
import json
import os
import re
import subprocess
import sys

BINARY, SOURCE = sys.argv[1], sys.argv[2]
CONF = os.path.join(SOURCE, "conf")
MINIMAL = os.path.join(CONF, "minimal.cfg")
P = "fixed-layout-build: "

# args, exit status, exact stderr (stdout must be empty)
USAGE_ERRORS = [
    ([], P + "no config file given (see --help)"),
    (["--bogus", MINIMAL], P + "unknown option '--bogus' (see --help)"),
    (["-x", MINIMAL], P + "unknown option '-x' (see --help)"),
    (["--format"], P + "option '--format' needs a value (see --help)"),
    (["--format", "xml", MINIMAL], P + "--format: 'xml' is not text or json (see --help)"),
    (["--config-format", "toml", MINIMAL], P + "--config-format: 'toml' is not xl or yaml (see --help)"),
    (["--timeout", "0", MINIMAL], P + "--timeout: '0' is not a whole number of seconds above 0 (see --help)"),
    (["--timeout", "-5", MINIMAL], P + "--timeout: '-5' is not a whole number of seconds above 0 (see --help)"),
    (["--timeout", "10s", MINIMAL], P + "--timeout: '10s' is not a whole number of seconds above 0 (see --help)"),
    (["-n", "-p", MINIMAL],
     P + "--dry-run builds nothing: it cannot be combined with -p, -F, --timeout or -c (see --help)"),
    (["-n", "--timeout", "5", MINIMAL],
     P + "--dry-run builds nothing: it cannot be combined with -p, -F, --timeout or -c (see --help)"),
    (["-n", MINIMAL, "memory"], P + "override 'memory': expected KEY=VALUE"),
]

failures = 0
passed = 0


def check(ok, what):
    global failures, passed
    if ok:
        passed += 1
    else:
        failures += 1
        print("FAIL: " + what, file=sys.stderr)


def run(args, stdout=subprocess.PIPE):
    p = subprocess.run([BINARY] + args, stdout=stdout, stderr=subprocess.PIPE, timeout=60)
    return p.returncode, (p.stdout or b"").decode(), p.stderr.decode()


for args, want in USAGE_ERRORS:
    rc, out, err = run(args)
    check(rc == 2 and out == "" and err == want + "\n",
          "%s: got status %d, stdout %r, stderr %r" % (args, rc, out, err))

rc, out, err = run(["--help"])
check(rc == 0 and out.startswith("usage: fixed-layout-build") and err == "", "--help: %d %r" % (rc, err))
help_options = set(re.findall(r"--[a-z][a-z-]+", out))
rc, version, err = run(["-V"])
check(rc == 0 and re.fullmatch(r"fixed-layout-build \d+\.\d+\.\d+\n", version) is not None, "-V: %r" % version)

# The man page documents exactly the options --help lists.
with open(os.path.join(SOURCE, "man", "fixed-layout-build.1")) as f:
    man = f.read()
man_options = set(o.replace("\\-", "-") for o in re.findall(r"^\.B[IR]? (\\-\\-[a-z\\-]+)", man, re.M))
man_options |= set(o.replace("\\-", "-") for o in re.findall(r'^\.BR \\-[a-zA-Z] ", " (\\-\\-[a-z\\-]+)', man, re.M))
check(help_options == man_options, "--help and the man page differ: only in --help %s, only in the man page %s"
      % (sorted(help_options - man_options), sorted(man_options - help_options)))

# The JSON dry-run: the documented shape, integers as JSON numbers.
for name in sorted(os.listdir(CONF)):
    rc, out, err = run(["--dry-run", "--format", "json", "-q", os.path.join(CONF, name)])
    check(rc == 0 and err == "", "%s: status %d, stderr %r" % (name, rc, err))
    doc = json.loads(out)
    check(isinstance(doc["name"], str), name + ": name")
    check(all(isinstance(e[k], int) for e in doc["e820"] for k in ("addr", "size", "type")), name + ": e820 ints")
    check(all(isinstance(e["type_name"], str) for e in doc["e820"]), name + ": type_name")
    si = doc["start_info"]
    check(si["magic"] == 0x336EC578 and si["version"] == 1 and si["memmap_entries"] == len(doc["e820"]),
          name + ": start_info %r" % si)
    rc, text, err = run(["--dry-run", "-q", os.path.join(CONF, name)])
    check(rc == 0 and "E820 (%d entries)" % len(doc["e820"]) in text, name + ": text table")

# -q silences warnings, not errors; a failed write of the output is status 1.
rc, out, err = run(["--dry-run", "-q", MINIMAL])
check(rc == 0 and err == "", "-q: %r" % err)
if os.path.exists("/dev/full"):
    with open("/dev/full", "w") as full:
        rc, _, err = run(["--dry-run", MINIMAL], stdout=full)
    check(rc == 1 and err.endswith(P + "writing the output failed\n"), "/dev/full: %d %r" % (rc, err))

print("%d passed, %d failed" % (passed, failures))
sys.exit(1 if failures else 0)
