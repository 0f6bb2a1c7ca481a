#!/usr/bin/env python3
"""Command-line tests: usage errors (exit status and exact stderr), --help and -V, the
dry-run's JSON shape, and that --help and the man page list the same options.

The usage errors are the command's own messages, so their exact text is checked here; messages the library
composes (bad overrides, config errors) have their text checked in test_config.c and only their shape here."""
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checks import check, summary  # noqa: E402

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
USED_OPTIONS = ["--dry-run", "--dryrun", "--format", "--config-format", "--timeout", "--quiet", "--strict", "--help",
                "--version"]

# args and exact stderr, after exit status 2 and an empty stdout
USAGE_ERRORS = [
    ([], P + "no config file given (see --help)"),
    (["--bogus", MINIMAL], P + "unknown option '--bogus' (see --help)"),
    (["-x", MINIMAL], P + "unknown option '-x' (see --help)"),
    (["--format"], P + "option '--format' needs a value (see --help)"),
    (["--format", "xml", MINIMAL], P + "--format: 'xml' is not text, json or svg (see --help)"),
    (["--config-format", "toml", MINIMAL], P + "--config-format: 'toml' is not xl or yaml (see --help)"),
    (["--timeout", "0", MINIMAL], P + "--timeout: '0' is not a whole number of seconds above 0 (see --help)"),
    (["--timeout", "-5", MINIMAL], P + "--timeout: '-5' is not a whole number of seconds above 0 (see --help)"),
    (["--timeout", "10s", MINIMAL], P + "--timeout: '10s' is not a whole number of seconds above 0 (see --help)"),
    # Options are named as typed: abbreviated, with '=', or in a cluster of short options.
    (["--dry-run=yes", MINIMAL], P + "option '--dry-run' takes no value (see --help)"),
    (["--help=1"], P + "option '--help' takes no value (see --help)"),
    (["--form", "xml", MINIMAL], P + "--form: 'xml' is not text, json or svg (see --help)"),
    (["--format=xml", MINIMAL], P + "--format: 'xml' is not text, json or svg (see --help)"),
    (["--tim=0", MINIMAL], P + "--tim: '0' is not a whole number of seconds above 0 (see --help)"),
    (["--form"], P + "option '--form' needs a value (see --help)"),
    (["--bogus=1", MINIMAL], P + "unknown option '--bogus' (see --help)"),
    (["-qx", MINIMAL], P + "unknown option '-x' (see --help)"),
    (["--c", MINIMAL], P + "option '--c' is ambiguous: --config-format, --console (see --help)"),
    (["--d", MINIMAL], P + "option '--d' is ambiguous: --dry-run, --dump-tables (see --help)"),
    (["--format", "\x1b[2J", MINIMAL], P + "--format: '\\x1b[2J' is not text, json or svg (see --help)"),
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


def run(args, stdout=subprocess.PIPE, stdin=None):
    p = subprocess.run([BINARY] + args, stdout=stdout, stderr=subprocess.PIPE, input=stdin, timeout=60)
    return p.returncode, (p.stdout or b"").decode(), p.stderr.decode()


for args, want in USAGE_ERRORS:
    rc, out, err = run(args)
    check(rc == 2 and out == "" and err == want + "\n",
          "%s: got status %d, stdout %r, stderr %r" % (args, rc, out, err))

# A bad override is the library's message: its shape here, its text in test_config.c.
rc, out, err = run(["-n", MINIMAL, "memory="])
check(rc == 2 and out == "" and err.count("\n") == 1 and err.endswith("\n")
      and err.startswith(P + "override 'memory=': ") and len(err) > len(P + "override 'memory=': \n"),
      "bad override: got status %d, stdout %r, stderr %r" % (rc, out, err))

rc, out, err = run(["--help"])
check(rc == 0 and out.startswith("usage: fixed-layout-build") and err == "", "--help: %d %r" % (rc, err))
help_options = set(re.findall(r"--[a-z][a-z-]+", out))
for option in USED_OPTIONS:
    check(option in help_options, "--help does not list " + option)
rc, version, err = run(["-V"])
lines = version.split("\n")
check(rc == 0 and len(lines) == 4 and lines[3] == "" and re.fullmatch(r"fixed-layout-build \d+\.\d+\.\d+", lines[0])
      and re.fullmatch(r"Xen libraries \((static|shared)\): ([a-z]+ [0-9.]+, )+[a-z]+ [0-9.]+", lines[1])
      and re.fullmatch(r"other libraries: yaml [0-9.]+ \((static|shared)\), yajl [0-9.]+ \((static|shared)\)",
                       lines[2]),
      "-V: %r" % version)
# The versions are the ones pkg-config reports on the machine that built the binary (this one).
for lib in ("xencontrol", "xenguest", "xenstore", "xlutil"):
    p = subprocess.run(["pkg-config", "--modversion", lib], capture_output=True, text=True, timeout=60)
    check(p.returncode == 0 and "%s %s" % (lib, p.stdout.strip()) in lines[1].split(": ")[-1].split(", "),
          "-V does not name %s %s: %r" % (lib, p.stdout.strip(), lines[1]))

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

# xl's habits: --dryrun is -n, and - reads the config from standard input (xl syntax unless told).
reference = run(["-n", "--format", "json", "-q", MINIMAL])
check(reference[0] == 0 and reference[1].startswith("{"), "-n: %r" % (reference,))
check(run(["--dryrun", "--format", "json", "-q", MINIMAL]) == reference, "--dryrun differs from -n")
with open(MINIMAL, "rb") as f:
    check(run(["-n", "--format", "json", "-q", "-"], stdin=f.read()) == reference, "- differs from the file")
with open(os.path.join(CONF, "minimal.yaml"), "rb") as f:
    yaml_text = f.read()
check(run(["-n", "--format", "json", "-q", "--config-format", "yaml", "-"], stdin=yaml_text) == reference,
      "--config-format yaml - differs from the file")
rc, out, err = run(["-n", "-q", "-"], stdin=b'name = "g"\nkernel = "/k"\nmemory = 2G\n')
check(rc == 2 and out == "" and err.count("\n") == 1 and err.startswith(P + "<stdin>:3: memory: "),
      "- with a bad line: %d %r %r" % (rc, out, err))

# --strict: a warning about a key that has no effect is an error, even with -q; every example passes it.
for args in (["--strict"], ["--strict", "-q"]):
    rc, out, err = run(["-n"] + args + [MINIMAL, "serial=['pty']"])
    check(rc == 2 and out == "" and err.count("\n") == 1
          and err.startswith(P + "override 'serial=['pty']': serial: not for PVH: "),
          "%s with an ignored key: %d %r %r" % (args, rc, out, err))
for name in sorted(EXAMPLES):
    rc, out, err = run(["-n", "-q", "--strict", os.path.join(CONF, name)])
    check(rc == 0, "--strict %s: %d %r" % (name, rc, err))

# --help and -V fail like any output that cannot be written: status 1 and a line that says so.
for args, what in ((["--help"], "help"), (["-V"], "version")):
    with open("/dev/full", "w") as full:
        rc, _, err = run(args, stdout=full)
    check(rc == 1 and err == P + "writing the %s failed\n" % what, "%s to /dev/full: %d %r" % (args, rc, err))

# -q hides warnings, never the line that explains a failure.
rc, out, err = run(["-n", "-q", MINIMAL, "memory=2048M"])
check(rc == 2 and out == "" and err.count("\n") == 1 and err.startswith(P + "override 'memory=2048M': "),
      "-q with a bad override: %d %r %r" % (rc, out, err))

# -q silences warnings, not errors; a failed write of the output is status 1.
rc, out, err = run(["--dry-run", "-q", MINIMAL])
check(rc == 0 and err == "", "-q: %r" % err)
with open("/dev/full", "w") as full:
    rc, _, err = run(["--dry-run", "-q", MINIMAL], stdout=full)
check(rc == 1 and err == P + "writing the output failed\n", "/dev/full: %d %r" % (rc, err))

# Out of memory is status 1 and one line of ours, wherever it strikes: in reading the file, in either
# parser, in a warning. Each run gets less memory (RLIMIT_DATA) than the last; a run that cannot even
# start (-V fails: the loader's own error) says nothing about us and is left out.
def limited(limit, args):
    def set_limit():
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    p = subprocess.run([BINARY] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=set_limit,
                       timeout=60)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


# A file of 600 KiB makes libxlutil's lexer copy that much, where its own failure would exit with status 2.
tmp = tempfile.mkdtemp()
big = os.path.join(tmp, "big.cfg")
with open(big, "w") as f:
    f.write('name = "g"\nkernel = "/k"\nmemory = 256\n' + "# padding the file out to 600 KiB\n" * 18000)
seen = {"ok": 0, "oom": 0, "started": 0}
for name in ("minimal.cfg", "minimal.yaml", big):
    for kib in range(256, 8192, 64):
        if limited(kib * 1024, ["-V"])[0] != 0:
            continue
        seen["started"] += 1
        rc, out, err = limited(kib * 1024, ["-n", "--format", "json", "-q", os.path.join(CONF, name)])
        if rc == 0:
            seen["ok"] += 1
            check(out.startswith("{") and err == "", "%s at %d KiB: status 0, stderr %r" % (name, kib, err))
        else:
            seen["oom"] += "out of memory" in err
            check(rc == 1 and out == "" and err.count("\n") == 1 and err.startswith(P),
                  "%s at %d KiB: status %d, stdout %r, stderr %r" % (name, kib, rc, out[:100], err))
shutil.rmtree(tmp)
if seen["started"]:
    check(seen["ok"] and seen["oom"], "out of memory sweep saw %r: both a success and a failure expected" % seen)
else:
    # AddressSanitizer cannot start under a data limit; its own allocator can refuse instead.
    env = dict(os.environ, ASAN_OPTIONS="allocator_may_return_null=1:max_allocation_size_mb=1")
    p = subprocess.run([BINARY, "-n", "-q", MINIMAL], capture_output=True, env=env, timeout=60)
    ours = [line for line in p.stderr.decode().splitlines(keepends=True) if not line.startswith("==")]
    check(p.returncode == 1 and p.stdout == b"" and ours == [P + MINIMAL + ": out of memory\n"],
          "out of memory under ASan: %d %r" % (p.returncode, p.stderr))

sys.exit(summary())
