#!/usr/bin/env python3
"""Several guests in one run, through the real binary (no Xen needed): which config each override
follows, a config named like an override, the dry-run of several configs, and the refusals that come
before Xen is opened (a bad second config, a bad second kernel, two guests of one name, options that
take one guest). The builds themselves, and the teardown when one fails, run on the recording fake
(test/domain/test_fleet.c).

usage: fleet_test.py BINARY SOURCE_DIR MAKE_KERNEL"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checks import check, summary  # noqa: E402

BINARY, SOURCE, MAKE_KERNEL = sys.argv[1], sys.argv[2], sys.argv[3]
CONF = os.path.join(SOURCE, "conf")
MINIMAL = os.path.join(CONF, "minimal.cfg")
LARGE = os.path.join(CONF, "large.cfg")
P = "fixed-layout-build: "


def run(args, cwd=None, stdin=None):
    p = subprocess.run([BINARY] + args, capture_output=True, timeout=60, cwd=cwd, input=stdin)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def docs(out):
    """The JSON documents of a dry-run of several configs: one on each line."""
    return [json.loads(line) for line in out.splitlines()]


# Each override goes to the config before it; the guests come out in command-line order.
rc, out, err = run(["-n", "-q", "--format", "json", MINIMAL, "memory=128", LARGE, "name=big", "vcpus=2",
                    MINIMAL, "name=third", 'cmdline+=" quiet"'])
check(rc == 0 and err == "", "three guests: status %d, stderr %r" % (rc, err))
got = [(d["name"], d["memory_mib"], d["vcpus"], d["start_info"]["cmdline"]) for d in docs(out)]
check(got == [("minimal", 128, 1, "console=hvc0"), ("big", 8192, 2, "console=hvc0"), ("third", 256, 1, " quiet")],
      "three guests: %r" % got)
check(len(out.splitlines()) == 3, "three guests: %d lines of JSON" % len(out.splitlines()))

# Each line is the document a dry-run of that config alone prints, on one line.
for args in ([MINIMAL, "memory=128"], [LARGE, "name=big", "vcpus=2"]):
    rc, alone, _ = run(["-n", "-q", "--format", "json"] + args)
    check(rc == 0 and json.loads(alone) in docs(out), "%s: not among the three documents" % args)

# In text, the plans one after the other, a blank line between.
rc1, a, _ = run(["-n", "-q", MINIMAL])
rc2, b, _ = run(["-n", "-q", LARGE, "vcpus=2"])
rc, out, err = run(["-n", "-q", MINIMAL, LARGE, "vcpus=2"])
check(rc == rc1 == rc2 == 0 and out == a + "\n" + b, "text of two: %d %r" % (rc, out[:200]))

# One config planned twice with different overrides: a dry-run takes the same name twice.
rc, out, err = run(["-n", "-q", "--format", "json", MINIMAL, "memory=128", MINIMAL, "memory=512"])
check(rc == 0 and [d["memory_mib"] for d in docs(out)] == [128, 512], "one config twice: %d %r" % (rc, err))

with tempfile.TemporaryDirectory() as tmp:
    # A config named like an override: the first argument is a config whatever its name; after it, with
    # a directory.
    odd = os.path.join(tmp, "memory=64.cfg")
    shutil.copy(MINIMAL, odd)
    rc, out, err = run(["-n", "-q", "--format", "json", "memory=64.cfg", "./memory=64.cfg", "name=two"], cwd=tmp)
    check(rc == 0 and [(d["name"], d["memory_mib"]) for d in docs(out)] == [("minimal", 256), ("two", 256)],
          "./memory=64.cfg: %d %r %r" % (rc, out[:100], err))
    rc, out, err = run(["-n", "-q", MINIMAL, "memory=64.cfg"], cwd=tmp)
    check(rc == 2 and out == "" and err.startswith(P + "override 'memory=64.cfg': "),
          "memory=64.cfg after a config is an override: %d %r" % (rc, err))
    # An argument with no '=' after a config is another config.
    rc, out, err = run(["-n", "-q", MINIMAL, "memory"], cwd=tmp)
    check(rc == 2 and out == "" and err.startswith(P + "memory: ") and err.count("\n") == 1,
          "'memory' is a config: %d %r" % (rc, err))

    # An override's error names the config it followed; a file's error names the file already.
    rc, out, err = run(["-n", MINIMAL, "memory=128", LARGE, "memory=lots"])
    check(rc == 2 and out == "" and err.startswith(P + LARGE + ": override 'memory=lots': ")
          and err.count("\n") == 1, "bad override of the second: %d %r" % (rc, err))
    bad = os.path.join(tmp, "bad.cfg")
    with open(bad, "w") as f:
        f.write('name = "bad"\ntype = "pvh"\nmemory = "x"\nkernel = "/k"\n')
    rc, out, err = run(["-n", "-q", MINIMAL, bad])
    check(rc == 2 and out == "" and err.startswith(P + bad + ":3: ") and err.count("\n") == 1,
          "a bad second config, dry-run: %d %r %r" % (rc, out, err))

    # A live run reads and checks every config and kernel before Xen is opened: a bad second one is
    # refused with status 2 and nothing on stdout, on this machine (no Xen) as on a dom0.
    kernel = os.path.join(tmp, "pvh")
    subprocess.run([MAKE_KERNEL, kernel], check=True)
    good = os.path.join(tmp, "good.cfg")
    with open(good, "w") as f:
        f.write('name = "good"\ntype = "pvh"\nmemory = 64\nkernel = "%s"\n' % kernel)
    rc, out, err = run([good, bad])
    check(rc == 2 and out == "" and err == P + bad + ":3: memory: expected an integer (MiB), got a string\n",
          "a bad second config, live: %d %r %r" % (rc, out, err))
    rc, out, err = run([good, good, "name=second", 'kernel="%s/none"' % tmp])
    check(rc == 2 and out == "" and err == P + "%s: kernel '%s/none': No such file or directory\n" % (good, tmp),
          "a bad second kernel, live: %d %r" % (rc, err))
    # Two guests of one name: refused before Xen, naming both configs.
    rc, out, err = run([good, "memory=128", good])
    want = (P + "%s: the name 'good' is also the name of the guest of %s: each guest of one run needs a name of "
            "its own (an override name=... after the config gives one)\n" % (good, good))
    check(rc == 2 and out == "" and err == want, "one name twice: %d %r" % (rc, err))
    rc, out, err = run([good, "name=a", good, "name=b", good, "name=a"])
    check(rc == 2 and out == "" and "the name 'a' is also the name" in err, "a and a: %d %r" % (rc, err))

    # Standard input is one config, once.
    with open(MINIMAL, "rb") as f:
        text = f.read()
    rc, out, err = run(["-n", "-q", "--format", "json", "-", "name=in", MINIMAL], stdin=text)
    check(rc == 0 and [d["name"] for d in docs(out)] == ["in", "minimal"], "- and a file: %d %r" % (rc, err))
    rc, out, err = run(["-n", "-", "-"], stdin=text)
    check(rc == 2 and out == "" and err == P + "standard input ('-') can be given as a config only once "
          "(see --help)\n", "- twice: %d %r" % (rc, err))

# What takes one guest only, and --keep-going without builds: usage errors, exit status 2.
USAGE = [
    (["-c", MINIMAL, MINIMAL], "-c copies one guest's console to standard output: it cannot be used with several "
     "configs (-F waits for them all)"),
    (["-n", "--format", "svg", MINIMAL, LARGE], "--format svg draws one guest: it cannot be used with several "
     "configs"),
    (["-n", "--dump-tables", "/nonexistent", MINIMAL, LARGE], "--dump-tables writes one guest's tables: it cannot "
     "be used with several configs"),
    (["-n", "--keep-going", MINIMAL, LARGE], "--keep-going goes on past a failed build: a dry-run builds nothing"),
]
for args, want in USAGE:
    rc, out, err = run(args)
    check(rc == 2 and out == "" and err == P + want + " (see --help)\n", "%s: %d %r" % (args, rc, err))
# One config with them is as before.
rc, out, err = run(["-n", "--format", "svg", MINIMAL])
check(rc == 0 and out.startswith("<svg") or out.startswith("<?xml"), "svg of one: %d %r" % (rc, err))

# --help says how the arguments group, and names --keep-going.
rc, out, err = run(["--help"])
check(rc == 0 and out.startswith("usage: fixed-layout-build [OPTIONS] CONFIG [KEY=VALUE...] [CONFIG [KEY=VALUE...]]...")
      and "--keep-going" in out and "./KEY=VALUE" in out, "--help: %r" % out[:300])

sys.exit(summary())
