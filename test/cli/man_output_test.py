#!/usr/bin/env python3
"""The man pages show the output as the tool prints it: fixed-layout-build(1)'s dry-run example is the
start of the real output for conf/large.cfg, fixed-layout-build.cfg(5)'s memory map example is the real
E820 table of the config it describes; and fixed-layout-build(1) names every key of the dry-run's JSON
document and of the live build's records.

usage: man_output_test.py BINARY SOURCE_DIR"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checks import check, summary  # noqa: E402

BINARY, SOURCE = sys.argv[1], sys.argv[2]
CONF = os.path.join(SOURCE, "conf")


def page(name):
    with open(os.path.join(SOURCE, "man", name)) as f:
        return f.read()


def example_after(roff, marker):
    """The lines of the first .EX block after marker, roff escapes undone."""
    at = roff.index(marker)
    block = roff[roff.index(".EX\n", at) + 4:roff.index("\n.EE", at)]
    return block.replace("\\-", "-").replace("\\e", "\\").split("\n")


def dry_run(args):
    p = subprocess.run([BINARY, "--dry-run", "-q"] + args, capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "%s: status %d %r" % (args, p.returncode, p.stderr))
    return p.stdout


# fixed-layout-build(1), OUTPUT: the first lines of the text dry-run of the example large.cfg.
shown = example_after(page("fixed-layout-build.1"), ".SH OUTPUT")
real = dry_run([os.path.join(CONF, "large.cfg")]).split("\n")
check(len(shown) >= 10 and any(l.startswith("E820 (") for l in shown), "fixed-layout-build(1): no table: %r" % shown)
check(shown == real[:len(shown)], "fixed-layout-build(1) OUTPUT differs from the output:\n%s\n--- the tool:\n%s"
      % ("\n".join(shown), "\n".join(real[:len(shown)])))

# fixed-layout-build.cfg(5), MEMORY LAYOUT: memory = 8192 with minimal.cfg's grant settings.
cfg5 = page("fixed-layout-build.cfg.5")
shown = example_after(cfg5, "For example, with\n.BR \"memory = 8192\"")
real = dry_run([os.path.join(CONF, "minimal.cfg"), "memory=8192"]).split("\n")
start = real.index(shown[0]) if shown[0] in real else -1
check(shown[0].startswith("E820 (") and start >= 0 and real[start:start + len(shown)] == shown,
      "fixed-layout-build.cfg(5) example differs from the output:\n%s\n--- the tool:\n%s"
      % ("\n".join(shown), "\n".join(real[max(start, 0):max(start, 0) + len(shown)])))


# fixed-layout-build(1) names every key of the JSON documents, in bold, in the --format entry.
def keys(value, found):
    if isinstance(value, dict):
        for k, v in value.items():
            found.add(k)
            keys(v, found)
    elif isinstance(value, list):
        for v in value:
            keys(v, found)
    return found


found = set()
for name in sorted(os.listdir(CONF)):
    for extra in ([], ["acpi=0"], ["max_grant_version=2"]):
        keys(json.loads(dry_run(["--format", "json", os.path.join(CONF, name)] + extra)), found)
man1 = page("fixed-layout-build.1")
entry = man1[man1.index(".BI \\-\\-format"):man1.index(".BI \\-\\-config\\-format")]
bold = set(re.findall(r"^\.BR? ([a-z_0-9]+)(?![^\s,.;)])", entry, re.M))
# The live build's records: every key each record's schema allows, and each record's name, in bold in OUTPUT.
output = man1[man1.index(".SH OUTPUT"):man1.index(".SH LIFECYCLE")]
in_output = set(re.findall(r"^\.BR? ([a-z_0-9]+)(?![^\s,.;)])", output, re.M))
for record in ("created", "restarted", "ended"):
    with open(os.path.join(SOURCE, "lib", "output", "schema", record + ".schema.json")) as f:
        props = set(json.load(f)["properties"])
    check(record in in_output, "fixed-layout-build(1) OUTPUT does not name the record %s" % record)
    check(props <= in_output, "fixed-layout-build(1) OUTPUT does not name the %s record's keys %s"
          % (record, sorted(props - in_output)))
check(len(found) >= 35, "only %d JSON keys found" % len(found))
check(found <= bold, "fixed-layout-build(1) does not name the JSON keys %s" % sorted(found - bold))

sys.exit(summary())
