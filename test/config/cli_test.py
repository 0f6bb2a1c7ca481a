#!/usr/bin/env python3
"""Config errors through the built binary: exit status 2, nothing on stdout, one line on stderr naming where.

The exact text of these messages is the library's, asserted once in test_config.c for the same inputs. Here
only what the command adds: the exit status, an empty stdout, and one stderr line that starts with
"fixed-layout-build: ", then the file and line (or the override), and names the key when there is one.

usage: cli_test.py BINARY CONF_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

BINARY = os.path.abspath(sys.argv[1])
CONF = os.path.abspath(sys.argv[2])
PROG = "fixed-layout-build: "

BASE_XL = 'name = "g"\nkernel = "/k"\n'
BASE_YAML = "name: g\nkernel: /k\n"

# The shipped examples; a new one is added here so that it is checked.
EXAMPLES = ["grant-v2.cfg", "large.cfg", "minimal.cfg", "minimal.yaml"]

# The dry-run's own warning for the kernel "/k" above; the command composes it, so its text is checked here.
KERNEL_WARNING = PROG + "warning: kernel '/k' does not exist here; a live build would refuse it\n"

# (file name, contents or None for no file, arguments after the file name,
#  where: what follows "fixed-layout-build: " up to the message, key: the key the message names, or None when
#  the error is not about one key)
ERRORS = [
    ("missing.cfg", None, [], "missing.cfg:", None),
    ("guest.cfg", BASE_XL + "memory = abc\n", [], "guest.cfg:3:", "memory"),
    ("guest.cfg", BASE_XL + "memory =\nvcpus = 1\n", [], "guest.cfg:3:", "memory"),
    ("guest.cfg", BASE_XL + "memory = [1,\n2\n", [], "guest.cfg:3:", "memory"),
    ("guest.cfg", BASE_XL + "memory = ", [], "guest.cfg:3:", "memory"),
    # Mistakes xl's parser would name by its grammar: said in our words, the same in a file and an override.
    ("guest.cfg", BASE_XL + "memory = 2048M\n", [], "guest.cfg:3:", "memory"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["memory=2048M"], "override 'memory=2048M':", "memory"),
    ("guest.cfg", BASE_XL + "memory = -5\n", [], "guest.cfg:3:", "memory"),
    ("guest.cfg", BASE_XL + "Memory = 256\n", [], "guest.cfg:3:", "memory"),
    ("guest.cfg", BASE_XL + "memory = 256\nramdisk = /boot/initrd\n", [], "guest.cfg:4:", "ramdisk"),
    ("guest.cfg", "\ufeff" + BASE_XL + "memory = 256\n", [], "guest.cfg:1:", None),
    ("guest.cfg", BASE_XL + "memory = 256\nextra = \"\\x41\"\n", [], "guest.cfg:4:", "extra"),
    ("guest.cfg", BASE_XL + "\nmemory = \"abc\"\n", [], "guest.cfg:4:", "memory"),
    ("guest.cfg", BASE_XL + "memory = [256]\n", [], "guest.cfg:3:", "memory"),
    ("guest.cfg", BASE_XL + "memory = 0\n", [], "guest.cfg:3:", "memory"),
    ("guest.cfg", BASE_XL + "memory = 4294967233\n", [], "guest.cfg:3:", "memory"),
    ("guest.cfg", BASE_XL + "memory = 4294967000\nfixed_mem_layout = 1\n", [], "guest.cfg:3:", "memory"),
    ("guest.cfg", BASE_XL + "memory = 256\nforeign_region_mib = 4294967297\n", [], "guest.cfg:4:",
     "foreign_region_mib"),
    ("guest.cfg", BASE_XL + "memory = 256\nmax_grant_frames = 2147483648\n", [], "guest.cfg:4:", "max_grant_frames"),
    ("guest.cfg", BASE_XL + "memory = 256\nmax_maptrack_frames = 4294967295\n", [], "guest.cfg:4:",
     "max_maptrack_frames"),
    ("guest.cfg", BASE_XL + "memory = 256\nextra = \"" + "x" * 1024 + "\"\n", [], "guest.cfg:4:", "extra"),
    ("guest.cfg", BASE_XL + "memory = 256\nroot = \"/dev/xvda\"\nextra = \"" + "x" * 1010 + "\"\n", [],
     "guest.cfg:5:", "extra"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["cmdline=" + "y" * 2000], "override 'cmdline=" + "y" * 56 + "...':",
     "cmdline"),
    ("guest.cfg", BASE_XL + "device_model_args = [ 'a', # comment\n 'b' ]\nmemory = 256\nmemory = 512\n", [], "guest.cfg:6:",
     "memory"),
    ("guest.cfg", BASE_XL + "memory = 256\nvcpus = 0\n", [], "guest.cfg:4:", "vcpus"),
    # Devices are refused, in a file and in an override, with what to do instead.
    ("guest.cfg", BASE_XL + "memory = 256\ndisk = [ 'phy:/dev/vg/g,xvda,w' ]\n", [], "guest.cfg:4:", "disk"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["vif=['bridge=xenbr0']"], "override 'vif=['bridge=xenbr0']':",
     "vif"),
    ("guest.yaml", BASE_YAML + "memory: 256\npci: ['01:00.0']\n", [], "guest.yaml:4:", "pci"),
    ("guest.cfg", BASE_XL + "memory = 256\nvcpus = 200\n", [], "guest.cfg:4:", "vcpus"),
    ("guest.cfg", BASE_XL + "memory = 256\nvcpus = 4\nmaxvcpus = 2\n", [], "guest.cfg:5:", "maxvcpus"),
    ("guest.cfg", BASE_XL + "memory = 256\nmax_grant_version = 3\n", [], "guest.cfg:4:", "max_grant_version"),
    ("guest.cfg", BASE_XL + "memory = 256\ntype = \"hvm\"\n", [], "guest.cfg:4:", "type"),
    ("guest.cfg", BASE_XL + "memory = 256\ntype = \"pv\"\n", [], "guest.cfg:4:", "type"),
    ("guest.cfg", BASE_XL + "memory = 256\nmaxmem = 512\n", [], "guest.cfg:4:", "maxmem"),
    ("guest.cfg", BASE_XL + "memory = 256\nmmio_hole = 4096\n", [], "guest.cfg:4:", "mmio_hole"),
    ("guest.cfg", BASE_XL + "memory = 256\nfixed_mem_layout = -1\n", [], "guest.cfg:4:", "fixed_mem_layout"),
    ("guest.cfg", BASE_XL + "memory = 256\n\n\n# again\nmemory = 512\n", [], "guest.cfg:7:", "memory"),
    ("guest.cfg", 'kernel = "/k"\nmemory = 256\n', [], "guest.cfg:", "name"),
    ("guest.cfg", 'name = "g"\nmemory = 256\n', [], "guest.cfg:", "kernel"),
    ("guest.cfg", BASE_XL, [], "guest.cfg:", "memory"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["memory=abc"], "override 'memory=abc':", "memory"),
    # (An argument without '=' after the config is another config: test/cli/fleet_test.py.)
    ("guest.cfg", BASE_XL + "memory = 256\n", ["memory="], "override 'memory=':", "memory"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["foo=1"], "override 'foo=1':", "foo"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["memmory=1"], "override 'memmory=1':", "memmory"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["vcpus=0"], "override 'vcpus=0':", "vcpus"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["type=hvm"], "override 'type=hvm':", "type"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["maxmem=512"], "override 'maxmem=512':", "maxmem"),
    ("guest.yaml", "- name\n- kernel\n", [], "guest.yaml:1:", None),
    ("guest.yaml", BASE_YAML + "memory: [256\n", [], "guest.yaml:4:", None),
    ("guest.yaml", BASE_YAML + "memory: 256\nmemory: 512\n", [], "guest.yaml:4:", "memory"),
    ("guest.yaml", BASE_YAML + "memory: big\n", [], "guest.yaml:3:", "memory"),
    ("guest.yaml", BASE_YAML + "memory: -256\n", [], "guest.yaml:3:", "memory"),
    ("guest.yaml", BASE_YAML + "memory: 256\nfixed_mem_layout: maybe\n", [], "guest.yaml:4:", "fixed_mem_layout"),
    ("guest.yaml", BASE_YAML + "memory: 256\n---\nvcpus: 2\n", [], "guest.yaml:4:", None),
    # Strings must be UTF-8, so that the JSON output parses.
    ("guest.cfg", (BASE_XL + "memory = 256\nextra = \"caf\xe9\"\n").encode("latin-1"), [], "guest.cfg:4:", "extra"),
    ("guest.cfg", BASE_XL + "memory = 256\n", [b"root=\xff".decode(errors="surrogateescape")], "override 'root=\\xff':",
     "root"),
    # A NUL in a YAML string is refused, not cut short.
    ("guest.yaml", 'name: "g\\0x"\nkernel: /k\nmemory: 256\n', [], "guest.yaml:1:", "name"),
    # Control characters and escape sequences in the config reach the terminal escaped, on one line.
    ("guest.yaml", BASE_YAML + "memory: 256\ntype: \"\\e[2J\\e]0;x\\a\\nb\\u009b\"\n", [], "guest.yaml:4:", "type"),
    ("guest.yaml", 'name: "a\\e[31mb"\nkernel: /k\nmemory: 256\n', [], "guest.yaml:1:", "name"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["type=\x1b[2J\n"], "override 'type=\\x1b[2J\\n':", "type"),
    ("guest.yaml", BASE_YAML + "memory: ~\n", [], "guest.yaml:3:", "memory"),
    ("guest.yml", BASE_XL + "memory = 256\n", [], "guest.yml:1:", None),
    ("guest.cfg", "memory = 256\n", [], "guest.cfg:", "kernel"),
    # The format follows the extension unless forced: YAML in a .txt file is read as xl.
    ("guest.txt", BASE_YAML + "memory: 256\n", [], "guest.txt:1:", None),
]

# Runs that must succeed: (file name, contents, arguments after the file name)
SUCCESSES = [
    # 1023 bytes is the longest command line that fits.
    ("guest.cfg", BASE_XL + "memory = 256\nextra = \"" + "x" * 1023 + "\"\n", []),
    ("guest.cfg", BASE_YAML + "memory: 256\n", ["--config-format", "yaml"]),
]


def run(args, cwd, prefix=()):
    # Arguments are bytes as given: surrogateescape carries the bytes that are not UTF-8.
    args = [a.encode(errors="surrogateescape") for a in args]
    p = subprocess.run(list(prefix) + [BINARY.encode()] + args, cwd=cwd, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def write(path, text):
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode())


def raw_controls(text):
    """The control characters (C0, DEL, C1) in text: none may reach the terminal unescaped."""
    return sorted(set(c for c in text if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F))


def error_shape(rc, out, err, where, key):
    """What is wrong with a run that should have failed on bad input; an empty list if nothing."""
    problems = []
    if rc != 2:
        problems.append("exit %d, not 2" % rc)
    if out != "":
        problems.append("stdout %r, not empty" % out[:200])
    if err.count("\n") != 1 or not err.endswith("\n"):
        problems.append("stderr is not exactly one line")
    if raw_controls(err[:-1]):
        problems.append("stderr holds raw control characters %s" % raw_controls(err[:-1]))
    head = PROG + where + " "
    if not err.startswith(head):
        problems.append("stderr does not start with %r" % head)
    rest = err[len(head):].strip()
    if not rest:
        problems.append("no message after %r" % head)
    # The key is named as a whole word, quoted or not; None: the message is about the file or its syntax.
    if key is not None and not re.search(r"(?<![a-z_])%s(?![a-z_])" % re.escape(key), rest):
        problems.append("the message does not name %r" % key)
    return problems


def main():
    failures = 0
    checked = 0

    def expect_error(desc, result, where, key):
        nonlocal failures, checked
        checked += 1
        problems = error_shape(*result, where, key)
        if problems:
            failures += 1
            print("FAIL %s: %s\n  got exit %d, stdout %r, stderr %r" % (desc, "; ".join(problems), result[0],
                                                                       result[1][:200], result[2]))

    with tempfile.TemporaryDirectory() as tmp:
        for i, (fname, text, extra, where, key) in enumerate(ERRORS):
            case = os.path.join(tmp, "error%d" % i)
            os.mkdir(case)
            if text is not None:
                write(os.path.join(case, fname), text)
            result = run(["--dry-run", "--format", "json", fname] + extra, case)
            expect_error("case %d (%s %s)" % (i, fname, [a[:70] for a in extra]), result, where, key)

        for i, (fname, text, extra) in enumerate(SUCCESSES):
            case = os.path.join(tmp, "success%d" % i)
            os.mkdir(case)
            write(os.path.join(case, fname), text)
            rc, out, err = run(["--dry-run", "--format", "json", fname] + extra, case)
            checked += 1
            try:
                name = json.loads(out)["name"]
            except (ValueError, KeyError, TypeError):
                name = None
            if (rc, name, err) != (0, "g", KERNEL_WARNING):
                failures += 1
                print("FAIL success %d (%s %s): exit %d, name %r, stderr %r" % (i, fname, extra, rc, name, err))

        # A directory, and a path through a plain file.
        os.mkdir(os.path.join(tmp, "dir.cfg"))
        expect_error("directory", run(["--dry-run", "dir.cfg"], tmp), "dir.cfg:", None)
        write(os.path.join(tmp, "plain"), "")
        expect_error("not a directory", run(["--dry-run", "plain/guest.cfg"], tmp), "plain/guest.cfg:", None)

        # Root reads any file, so the unreadable case runs as nobody when it can.
        prefix = []
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"] if setpriv else None
        if prefix is None:
            print("skipped the unreadable-file case: running as root without setpriv")
        else:
            shared = tempfile.mkdtemp()
            try:
                os.chmod(shared, 0o755)
                write(os.path.join(shared, "secret.cfg"), BASE_XL + "memory = 256\n")
                os.chmod(os.path.join(shared, "secret.cfg"), 0)
                expect_error("unreadable", run(["--dry-run", "secret.cfg"], shared, prefix), "secret.cfg:", None)
            finally:
                shutil.rmtree(shared)

        # Warnings: ignored xl keys and unknown keys do not stop the build. Each is one line, in file order.
        write(os.path.join(tmp, "warn.cfg"), BASE_XL + "memmory = 1\nmemory = 256\nserial = ['pty']\n")
        rc, out, err = run(["--dry-run", "--format", "json", "warn.cfg"], tmp)
        checked += 1
        lines = err.splitlines(keepends=True) + [""] * 3  # padded, so that a missing line reads as ""
        shape = [
            ("exit 0", rc == 0),
            ("JSON on stdout", out.startswith("{")),
            ("three lines", err.count("\n") == 3),
            ("line 1 names 'memmory' at warn.cfg:3",
             lines[0].startswith(PROG + "warning: warn.cfg:3: ") and "'memmory'" in lines[0]),
            ("line 2 says serial is not for PVH at warn.cfg:5",
             lines[1].startswith(PROG + "warning: warn.cfg:5: serial: not for PVH: ")),
            ("line 3 is the kernel warning", lines[2] == KERNEL_WARNING),
        ]
        wrong = [what for what, ok in shape if not ok]
        if wrong:
            failures += 1
            print("FAIL warnings (not: %s): exit %d, stderr %r" % (", ".join(wrong), rc, err))

        # A dry-run warns of what a live build would see Xen refuse; a live build asks Xen instead.
        write(os.path.join(tmp, "frames.cfg"), BASE_XL + "memory = 256\nmax_grant_frames = 128\n")
        rc, out, err = run(["--dry-run", "--format", "json", "frames.cfg"], tmp)
        checked += 1
        lines = err.splitlines(keepends=True) + [""]
        if (rc != 0 or not out.startswith("{") or len(lines) != 3 or lines[1] != KERNEL_WARNING
                or not lines[0].startswith(PROG + "warning: frames.cfg:4: max_grant_frames = 128 ")
                or "gnttab_max_frames" not in lines[0]):
            failures += 1
            print("FAIL max_grant_frames warning: exit %d, stderr %r" % (rc, err))

        # The command's own warnings escape what the config says too.
        write(os.path.join(tmp, "esc.yaml"), 'name: g\nkernel: "/k\\e[31m\\r"\nmemory: 256\n')
        rc, out, err = run(["--dry-run", "--format", "json", "esc.yaml"], tmp)
        checked += 1
        want = PROG + "warning: kernel '/k\\x1b[31m\\r' does not exist here; a live build would refuse it\n"
        if rc != 0 or err != want:
            failures += 1
            print("FAIL escaped kernel warning: exit %d, stderr %r, want %r" % (rc, err, want))

        # Every shipped example must load.
        names = sorted(os.listdir(CONF))
        checked += 1
        if names != EXAMPLES:
            failures += 1
            print("FAIL conf/ holds %s, this test lists %s" % (names, EXAMPLES))
        for name in names:
            rc, out, err = run(["--dry-run", "--format", "json", os.path.join(CONF, name)], tmp)
            checked += 1
            if rc != 0 or not out.startswith("{"):
                failures += 1
                print("FAIL conf/%s: exit %d, stderr %r" % (name, rc, err))

    print("%d checked, %d failed" % (checked, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
