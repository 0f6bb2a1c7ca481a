#!/usr/bin/env python3
"""cmake --install --strip into a scratch prefix: exactly the documented files, a stripped binary, man pages
that render, an example whose kernel is the installed guest and that dry-runs as it is, and a bash
completion that completes options, --format values and config files.

usage: install_test.py BUILD_DIR"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checks import check, summary  # noqa: E402

BUILD = sys.argv[1]
P = "fixed-layout-build"

EXPECTED = [
    "bin/fixed-layout-build",
    "lib/fixed-layout-build/flb-test-guest",
    "share/bash-completion/completions/fixed-layout-build",
    "share/doc/fixed-layout-build/README.md",
    "share/doc/fixed-layout-build/examples/grant-v2.cfg",
    "share/doc/fixed-layout-build/examples/large.cfg",
    "share/doc/fixed-layout-build/examples/minimal.cfg",
    "share/doc/fixed-layout-build/examples/minimal.yaml",
    "share/doc/fixed-layout-build/examples/test-guest.cfg",
    "share/fixed-layout-build/schema/created.schema.json",
    "share/fixed-layout-build/schema/dry-run.schema.json",
    "share/fixed-layout-build/schema/ended.schema.json",
    "share/fixed-layout-build/schema/restarted.schema.json",
    "share/man/man1/fixed-layout-build.1.gz",
    "share/man/man5/fixed-layout-build.cfg.5.gz",
]


def complete(prefix, words, cwd):
    """What the installed completion offers for the command line words, the last one being completed."""
    script = ('source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _fixed_layout_build; '
              'printf "%s\\n" "${COMPREPLY[@]}"')
    p = subprocess.run(["bash", "-c", script, "bash",
                        os.path.join(prefix, "share/bash-completion/completions", P),
                        os.path.join(prefix, "bin", P)] + words,
                       capture_output=True, text=True, cwd=cwd, timeout=60)
    check(p.returncode == 0 and p.stderr == "", "completion %s: %d %r" % (words, p.returncode, p.stderr))
    return sorted(l for l in p.stdout.split("\n") if l)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "prefix")
        p = subprocess.run(["cmake", "--install", BUILD, "--prefix", prefix, "--strip"], capture_output=True,
                           text=True, timeout=300)
        check(p.returncode == 0, "cmake --install: %d %s" % (p.returncode, p.stderr))
        found = sorted(os.path.relpath(os.path.join(d, f), prefix) for d, _, fs in os.walk(prefix) for f in fs)
        check(found == EXPECTED, "installed files differ: extra %s, missing %s"
              % (sorted(set(found) - set(EXPECTED)), sorted(set(EXPECTED) - set(found))))
        binary = os.path.join(prefix, "bin", P)
        sections = subprocess.run(["readelf", "-S", binary], capture_output=True, text=True).stdout
        check(".text" in sections and ".symtab" not in sections, "the installed binary is not stripped")

        # The example boots the installed guest: its kernel is that file, and the dry-run checks it.
        example = os.path.join(prefix, "share/doc", P, "examples/test-guest.cfg")
        guest = os.path.join(prefix, "lib", P, "flb-test-guest")
        with open(example) as f:
            kernels = re.findall(r'^kernel = "(.*)"$', f.read(), re.M)
        check(kernels == [guest], "the example's kernel %s, not %s" % (kernels, guest))
        p = subprocess.run([binary, "--dry-run", example], capture_output=True, text=True, timeout=60)
        check(p.returncode == 0 and p.stderr == "" and "E820 (6 entries)" in p.stdout,
              "dry-run of the installed example: %d %r %r" % (p.returncode, p.stderr, p.stdout[:300]))

        for page in ("share/man/man1/fixed-layout-build.1.gz", "share/man/man5/fixed-layout-build.cfg.5.gz"):
            p = subprocess.run(["man", "--warnings", "-l", os.path.join(prefix, page)], capture_output=True,
                               timeout=60, env=dict(os.environ, MANWIDTH="80", MAN_DISABLE_SECCOMP="1"))
            check(p.returncode == 0 and p.stderr == b"" and len(p.stdout) > 2000,
                  "%s: %d %r" % (page, p.returncode, p.stderr))

        # The completion: every option --help lists, the values of --format, config files and directories.
        help_text = subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
        options = sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+|-[a-zA-Z])\b", help_text)))
        check(len(options) > 20 and complete(prefix, ["-"], tmp) == options,
              "completing '-': %s, --help has %s" % (complete(prefix, ["-"], tmp), options))
        check(complete(prefix, ["--for"], tmp) == ["--format"], "completing --for")
        check(complete(prefix, ["--format", ""], tmp) == ["json", "svg", "text"], "completing --format values")
        check(complete(prefix, ["--config-format", "y"], tmp) == ["yaml"], "completing --config-format y")
        work = os.path.join(tmp, "work")
        os.makedirs(os.path.join(work, "guests"))
        for f in ("a.cfg", "b.yaml", "c.yml", "notes.txt"):
            open(os.path.join(work, f), "w").close()
        check(complete(prefix, ["-n", ""], work) == ["a.cfg", "b.yaml", "c.yml", "guests/"],
              "completing a config: %s" % complete(prefix, ["-n", ""], work))
    return summary()


if __name__ == "__main__":
    if not shutil.which("man") or not shutil.which("readelf"):
        print("FAIL: man and readelf are needed (test/install-deps installs man-db and binutils)")
        sys.exit(1)
    sys.exit(main())
