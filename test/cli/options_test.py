#!/usr/bin/env python3
"""Command-line tests: usage errors (exit status and exact stderr), --help and -V, the
dry-run's JSON shape, and that --help and the man page list the same options.

The usage errors are the command's own messages, so their exact text is checked here; messages the library
composes (bad overrides, config errors) have their text checked in test_config.c and only their shape here."""
import json
import os
import re
import subprocess
import sys

BINARY, SOURCE = sys.argv[1], sys.argv[2]
CONF = os.path.join(SOURCE, "conf")
MINIMAL = os.path.join(CONF, "minimal.cfg")
P = "fixed-layout-build: "

# The shipped examples, each with its guest name and number of memory map entries (the ACPI tables' page
# among them); a new example is added here.
EXAMPLES = {
    "grant-v2.cfg": ("grant-v2", 7),
    "large.cfg": ("large", 7),
    "minimal.cfg": ("minimal", 6),
    "minimal.yaml": ("minimal", 6),
}

# The options the checks below use: --help must list them, so that comparing it with the man page cannot
# pass on two empty lists.
USED_OPTIONS = ["--dry-run", "--format", "--config-format", "--timeout", "--quiet", "--help", "--version"]

# args and exact stderr, after exit status 2 and an empty stdout
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
    (["-e", "-F", MINIMAL], P + "-e starts no monitor: it cannot be combined with -F, --timeout or -c (see --help)"),
    (["--wait", "--no-monitor", MINIMAL],
     P + "-e starts no monitor: it cannot be combined with -F, --timeout or -c (see --help)"),
    (["-e", "--timeout", "5", MINIMAL],
     P + "-e starts no monitor: it cannot be combined with -F, --timeout or -c (see --help)"),
    (["-c", "-e", MINIMAL], P + "-e starts no monitor: it cannot be combined with -F, --timeout or -c (see --help)"),
    (["-n", "--record", "r.json", MINIMAL],
     P + "--record takes a live build's records: a dry-run prints its plan on standard output (see --help)"),
    (["--record", "", MINIMAL], P + "--record: the file name is empty (see --help)"),
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

# A bad override is the library's message: its shape here, its text in test_config.c.
rc, out, err = run(["-n", MINIMAL, "memory"])
check(rc == 2 and out == "" and err.count("\n") == 1 and err.endswith("\n")
      and err.startswith(P + "override 'memory': ") and len(err) > len(P + "override 'memory': \n"),
      "bad override: got status %d, stdout %r, stderr %r" % (rc, out, err))

rc, out, err = run(["--help"])
check(rc == 0 and out.startswith("usage: fixed-layout-build") and err == "", "--help: %d %r" % (rc, err))
help_options = set(re.findall(r"--[a-z][a-z-]+", out))
for option in USED_OPTIONS:
    check(option in help_options, "--help does not list " + option)
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
names = sorted(os.listdir(CONF))
check(names == sorted(EXAMPLES), "conf/ holds %s, EXAMPLES lists %s" % (names, sorted(EXAMPLES)))
for name in names:
    want_name, want_entries = EXAMPLES.get(name, (None, None))
    rc, out, err = run(["--dry-run", "--format", "json", "-q", os.path.join(CONF, name)])
    check(rc == 0 and err == "", "%s: status %d, stderr %r" % (name, rc, err))
    doc = json.loads(out)
    check(doc["name"] == want_name, "%s: name %r" % (name, doc["name"]))
    # The count first: the checks of every entry below would pass on an empty list.
    check(len(doc["e820"]) == want_entries, "%s: %d e820 entries" % (name, len(doc["e820"])))
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
with open("/dev/full", "w") as full:
    rc, _, err = run(["--dry-run", "-q", MINIMAL], stdout=full)
check(rc == 1 and err == P + "writing the output failed\n", "/dev/full: %d %r" % (rc, err))

print("%d passed, %d failed" % (passed, failures))
sys.exit(1 if failures else 0)
