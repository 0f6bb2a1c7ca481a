#!/usr/bin/env python3
"""Config strings never reach the terminal raw: the text dry-run and the messages escape control
characters, escape sequences, C1 controls, bidirectional controls and bytes that are not UTF-8; the
text table keeps its columns for any size.

usage: escape_test.py BINARY"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checks import check, summary  # noqa: E402

BINARY = sys.argv[1]
P = b"fixed-layout-build: "


def run(args):
    p = subprocess.run([BINARY] + args, capture_output=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def raw_controls(data):
    """The bytes a terminal would act on: C0 controls but the newline, DEL, ESC sequences' introducers."""
    return sorted(set(b for b in data if (b < 0x20 and b != 0x0A) or b == 0x7F))


def hostile_config(tmp):
    path = os.path.join(tmp, "hostile.cfg")
    with open(path, "wb") as f:
        # A name may not hold control characters (the config refuses them) nor any string bytes that are
        # not UTF-8; what is left for escaping: bidirectional controls anywhere, control characters in
        # paths and the command line.
        f.write(b'name = "a\xe2\x80\xaeb"\ntype = "pvh"\n'
                b'kernel = "/no/such\x07/k\xe2\x80\xae.elf"\nramdisk = "/no/rd\x1b"\n'
                b'cmdline = "console=hvc0 \x1b]0;title\x07 \\"q\\""\nmemory = 256\n')
    return path


def check_strings(tmp):
    cfg = hostile_config(tmp)
    rc, out, err = run(["--dry-run", cfg])
    check(rc == 0, "hostile config: status %d, stderr %r" % (rc, err))
    lines = out.split(b"\n")
    check(lines[0] == b'Guest "a\\xe2\\x80\\xaeb": 256 MiB, 1 vCPU(s), PVH', "name line %r" % lines[0])
    check(lines[1] == b'  kernel   "/no/such\\x07/k\\xe2\\x80\\xae.elf"', "kernel line %r" % lines[1])
    check(lines[2] == b'  ramdisk  "/no/rd\\x1b"', "ramdisk line %r" % lines[2])
    cmdline = [l for l in lines if l.startswith(b"  cmdline ")]
    check(cmdline == [b'  cmdline         "console=hvc0 \\x1b]0;title\\x07 \\"q\\""'], "cmdline %r" % cmdline)
    check(raw_controls(out) == [], "stdout holds raw controls %r" % raw_controls(out))
    check(b"\xe2\x80\xae" not in out, "stdout holds a raw bidirectional control")
    # The messages escape what they quote, the same way.
    check(err == P + b"warning: kernel '/no/such\\x07/k\\xe2\\x80\\xae.elf' does not exist here; a live build would "
          b"refuse it\n" + P + b"warning: ramdisk '/no/rd\\x1b' does not exist here; a live build would "
          b"refuse it\n",
          "warnings %r" % err)

    # An error the library composes from an override: its text is the library's, the escaping ours.
    for arg, shown in ((b"fo\xe2\x80\xaeo=1", b"fo\\xe2\\x80\\xaeo=1"), (b"fo\xffo=1", b"fo\\xffo=1")):
        rc, out, err = run(["--dry-run", cfg, arg])
        check(rc == 2 and out == b"" and err.startswith(P + b"override '" + shown + b"': ")
              and err.count(b"\n") == 1 and arg[2:-2] not in err,
              "override error: status %d, stdout %r, stderr %r" % (rc, out, err))


def columns(text):
    """The E820 table's header and rows."""
    lines = text.decode(errors="replace").split("\n")
    start = lines.index(next(l for l in lines if l.startswith("E820 ("))) + 1
    n = int(re.match(r"E820 \((\d+) entries\)", lines[start - 1]).group(1))
    return lines[start], lines[start + 1:start + 1 + n]


def check_columns(tmp):
    # About 3.8 PiB of RAM and a 16 TiB foreign region: sizes of 14 characters and more.
    big = ["memory=4000000000", "maxmem=4000000000", "foreign_region_mib=16777216"]
    for extra in ([], big):
        cfg = os.path.join(tmp, "hostile.cfg")
        rc, out, err = run(["--dry-run", "-q", cfg, "fixed_mem_layout=1"] + extra)
        check(rc == 0, "%s: status %d %r" % (extra, rc, err))
        header, rows = columns(out)
        check(len(rows) >= 6, "%s: %d rows" % (extra, len(rows)))
        size_end = header.index("size") + len("size")
        type_at = header.index("type")
        for row in rows:
            # The size ends where its heading does; the type number starts under "type".
            check(row[size_end - 3:size_end] in ("KiB", "MiB", "GiB", "TiB", "PiB") and row[size_end] == " "
                  and row[type_at:type_at + 2] == "0x",
                  "%s: row out of its columns:\n%s\n%s" % (extra, header, row))
        if extra:
            check(any(" 16 TiB  0xf0000004 FOREIGN_REG" in r for r in rows),
                  "no 16 TiB foreign region in %r" % rows)
            check(any(re.search(r" \d{10,} MiB  0x1 RAM", r) for r in rows), "no wide RAM size in %r" % rows)


with tempfile.TemporaryDirectory() as tmp:
    check_strings(tmp)
    check_columns(tmp)
sys.exit(summary())
