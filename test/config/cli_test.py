#!/usr/bin/env python3
"""Config errors through the built binary: exit status 2, nothing on stdout, one exact line on stderr.

usage: cli_test.py BINARY CONF_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile

BINARY = os.path.abspath(sys.argv[1])
CONF = os.path.abspath(sys.argv[2])
PROG = "fixed-layout-build: "

BASE_XL = 'name = "g"\nkernel = "/k"\n'
BASE_YAML = "name: g\nkernel: /k\n"

# (file name, contents or None, arguments after the file name, expected message after "fixed-layout-build: ";
# None means the run must succeed)
CASES = [
    ("missing.cfg", None, [], "missing.cfg: no such file"),
    ("guest.cfg", BASE_XL + "memory = abc\n", [],
     "guest.cfg:3: syntax error near 'abc' (unexpected IDENT, expecting STRING or NUMBER or '[')"),
    ("guest.cfg", BASE_XL + "memory =\nvcpus = 1\n", [],
     "guest.cfg:3: syntax error at end of line (unexpected NEWLINE, expecting STRING or NUMBER or '[')"),
    ("guest.cfg", BASE_XL + "memory = [1,\n2\n", [],
     "guest.cfg:4: syntax error at end of file (unexpected end of file, expecting ']')"),
    ("guest.cfg", BASE_XL + "memory = ", [],
     "guest.cfg:3: syntax error at end of file (unexpected end of file, expecting STRING or NUMBER or '[')"),
    ("guest.cfg", BASE_XL + "\nmemory = \"abc\"\n", [], "guest.cfg:4: memory: expected an integer (MiB), got a string"),
    ("guest.cfg", BASE_XL + "memory = [256]\n", [], "guest.cfg:3: memory: expected an integer (MiB), got a list"),
    ("guest.cfg", BASE_XL + "memory = 0\n", [], "guest.cfg:3: memory: must be between 1 and 4294967296 (MiB), got 0"),
    ("guest.cfg", BASE_XL + "memory = 4294967297\n", [],
     "guest.cfg:3: memory: must be between 1 and 4294967296 (MiB), got 4294967297"),
    ("guest.cfg", BASE_XL + "memory = 4294967000\nfixed_mem_layout = 1\n", [],
     "guest.cfg:3: memory: the layout would end at 0x10000020049000, beyond the 52-bit guest physical address space "
     "(lower memory, max_grant_frames or foreign_region_mib)"),
    ("guest.cfg", BASE_XL + "memory = 256\nforeign_region_mib = 4294967297\n", [],
     "guest.cfg:4: foreign_region_mib: must be between 0 and 4294967296 (MiB), got 4294967297"),
    ("guest.cfg", BASE_XL + "memory = 256\nmax_grant_frames = 2147483648\n", [],
     "guest.cfg:4: max_grant_frames: must be between 1 and 2147483647 (frames), got 2147483648"),
    ("guest.cfg", BASE_XL + "memory = 256\nmax_maptrack_frames = 4294967295\n", [],
     "guest.cfg:4: max_maptrack_frames: must be between 0 and 2147483647 (frames), got 4294967295"),
    ("guest.cfg", BASE_XL + "memory = 256\nextra = \"" + "x" * 1024 + "\"\n", [],
     "guest.cfg:4: extra: the kernel command line would be 1024 bytes, at most 1023 fit"),
    ("guest.cfg", BASE_XL + "memory = 256\nroot = \"/dev/xvda\"\nextra = \"" + "x" * 1010 + "\"\n", [],
     "guest.cfg:5: extra: the kernel command line would be 1025 bytes, at most 1023 fit"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["cmdline=" + "y" * 2000],
     "override 'cmdline=" + "y" * 56 + "...': cmdline: the kernel command line would be 2000 bytes, at most 1023 fit"),
    ("guest.cfg", BASE_XL + "memory = 256\nextra = \"" + "x" * 1023 + "\"\n", [], None),
    ("guest.cfg", BASE_XL + "disk = [ 'a', # comment\n 'b' ]\nmemory = 256\nmemory = 512\n", [],
     "guest.cfg:6: duplicate key 'memory' (first set on line 5)"),
    ("guest.cfg", BASE_XL + "memory = 256\nvcpus = 0\n", [], "guest.cfg:4: vcpus: must be between 1 and 128, got 0"),
    ("guest.cfg", BASE_XL + "memory = 256\nvcpus = 200\n", [], "guest.cfg:4: vcpus: must be between 1 and 128, got 200"),
    ("guest.cfg", BASE_XL + "memory = 256\nvcpus = 4\nmaxvcpus = 2\n", [],
     "guest.cfg:5: maxvcpus: must be at least vcpus (4), got 2"),
    ("guest.cfg", BASE_XL + "memory = 256\nmax_grant_version = 3\n", [],
     "guest.cfg:4: max_grant_version: must be 1 or 2, got 3"),
    ("guest.cfg", BASE_XL + "memory = 256\ntype = \"hvm\"\n", [],
     "guest.cfg:4: type: 'hvm' is not supported: a fixed layout needs a PVH guest"),
    ("guest.cfg", BASE_XL + "memory = 256\ntype = \"pv\"\n", [],
     "guest.cfg:4: type: 'pv' is not supported: a fixed layout needs a PVH guest"),
    ("guest.cfg", BASE_XL + "memory = 256\nmaxmem = 512\n", [],
     "guest.cfg:4: maxmem: must equal memory (256 MiB) for a PVH guest, got 512"),
    ("guest.cfg", BASE_XL + "memory = 256\nmmio_hole = 4096\n", [],
     "guest.cfg:4: mmio_hole: must be between 256 and 3840 (MiB), got 4096"),
    ("guest.cfg", BASE_XL + "memory = 256\nfixed_mem_layout = 5\n", [],
     "guest.cfg:4: fixed_mem_layout: expected 0 or 1, got 5"),
    ("guest.cfg", BASE_XL + "memory = 256\n\n\n# again\nmemory = 512\n", [],
     "guest.cfg:7: duplicate key 'memory' (first set on line 3)"),
    ("guest.cfg", 'kernel = "/k"\nmemory = 256\n', [], "guest.cfg: missing required key 'name'"),
    ("guest.cfg", 'name = "g"\nmemory = 256\n', [], "guest.cfg: missing required key 'kernel'"),
    ("guest.cfg", BASE_XL, [], "guest.cfg: missing required key 'memory'"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["memory=abc"], "override 'memory=abc': memory: expected an integer (MiB)"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["memory"], "override 'memory': expected KEY=VALUE"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["foo=1"], "override 'foo=1': unknown key 'foo'"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["memmory=1"],
     "override 'memmory=1': unknown key 'memmory' (did you mean 'memory'?)"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["vcpus=0"], "override 'vcpus=0': vcpus: must be between 1 and 128, got 0"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["type=hvm"],
     "override 'type=hvm': type: 'hvm' is not supported: a fixed layout needs a PVH guest"),
    ("guest.cfg", BASE_XL + "memory = 256\n", ["maxmem=512"],
     "override 'maxmem=512': maxmem: must equal memory (256 MiB) for a PVH guest, got 512"),
    ("guest.yaml", "- name\n- kernel\n", [], "guest.yaml:1: the document must be a mapping of keys to values"),
    ("guest.yaml", BASE_YAML + "memory: [256\n", [], "guest.yaml:4: syntax error: did not find expected ',' or ']'"),
    ("guest.yaml", BASE_YAML + "memory: 256\nmemory: 512\n", [],
     "guest.yaml:4: duplicate key 'memory' (first set on line 3)"),
    ("guest.yaml", BASE_YAML + "memory: big\n", [], "guest.yaml:3: memory: expected an integer (MiB), got a string"),
    ("guest.yaml", BASE_YAML + "memory: -256\n", [],
     "guest.yaml:3: memory: must be between 1 and 4294967296 (MiB), got -256"),
    ("guest.yaml", BASE_YAML + "memory: 256\nfixed_mem_layout: maybe\n", [],
     "guest.yaml:4: fixed_mem_layout: expected 0 or 1, got a string"),
    ("guest.yaml", BASE_YAML + "memory: 256\n---\nvcpus: 2\n", [], "guest.yaml:4: only one document is allowed"),
    # The format follows the extension unless forced.
    ("guest.cfg", BASE_YAML + "memory: 256\n", ["--config-format", "yaml"], None),
    ("guest.txt", BASE_YAML + "memory: 256\n", [],
     "guest.txt:1: syntax error near ':'"),
]


def run(args, cwd):
    p = subprocess.run([BINARY] + args, cwd=cwd, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def main():
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (fname, text, extra, want) in enumerate(CASES):
            case = os.path.join(tmp, str(i))
            os.mkdir(case)
            if text is not None:
                write(os.path.join(case, fname), text)
            rc, out, err = run(["--dry-run", "--format", "json", fname] + extra, case)
            if want is None:
                ok = rc == 0 and out.startswith("{")
                want_desc = "exit 0 with JSON"
            else:
                ok = rc == 2 and out == "" and err == PROG + want + "\n"
                want_desc = "exit 2, no stdout, stderr %r" % (PROG + want + "\n")
            if not ok:
                failures += 1
                print("FAIL case %d (%s %s): want %s\n  got exit %d, stdout %r, stderr %r"
                      % (i, fname, extra, want_desc, rc, out[:200], err))

        # A directory and an unreadable file ("guest.cfg: cannot read: permission denied" unless root).
        os.mkdir(os.path.join(tmp, "dir.cfg"))
        rc, out, err = run(["--dry-run", "dir.cfg"], tmp)
        if (rc, out, err) != (2, "", PROG + "dir.cfg: is a directory, not a config file\n"):
            failures += 1
            print("FAIL directory: exit %d, stdout %r, stderr %r" % (rc, out, err))
        write(os.path.join(tmp, "plain"), "")
        rc, out, err = run(["--dry-run", "plain/guest.cfg"], tmp)
        if (rc, out, err) != (2, "", PROG + "plain/guest.cfg: cannot read: not a directory\n"):
            failures += 1
            print("FAIL not a directory: exit %d, stdout %r, stderr %r" % (rc, out, err))

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
                p = subprocess.run(prefix + [BINARY, "--dry-run", "secret.cfg"], cwd=shared, capture_output=True,
                                   timeout=60)
                got = (p.returncode, p.stdout.decode(), p.stderr.decode())
                if got != (2, "", PROG + "secret.cfg: cannot read: permission denied\n"):
                    failures += 1
                    print("FAIL unreadable: exit %d, stdout %r, stderr %r" % got)
            finally:
                shutil.rmtree(shared)

        # Warnings: ignored xl keys and unknown keys do not stop the build.
        write(os.path.join(tmp, "warn.cfg"), BASE_XL + "memmory = 1\nmemory = 256\nvif = ['bridge=xenbr0']\n")
        rc, out, err = run(["--dry-run", "--format", "json", "warn.cfg"], tmp)
        for line in (PROG + "warning: warn.cfg:3: unknown key 'memmory' ignored (did you mean 'memory'?)\n",
                     PROG + "warning: warn.cfg:5: xl key 'vif' ignored (fixed-layout-build does not use it)\n"):
            if rc != 0 or line not in err:
                failures += 1
                print("FAIL warnings: exit %d, want %r in stderr %r" % (rc, line, err))

        # Every shipped example must load.
        for name in sorted(os.listdir(CONF)):
            rc, out, err = run(["--dry-run", "--format", "json", os.path.join(CONF, name)], tmp)
            if rc != 0 or not out.startswith("{"):
                failures += 1
                print("FAIL conf/%s: exit %d, stderr %r" % (name, rc, err))

    print("%d cases, %d failed" % (len(CASES) + 5, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
