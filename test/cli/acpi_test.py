#!/usr/bin/env python3
"""The ACPI tables and --dump-tables, through the built command, decoded by an independent decoder.

Every table --dump-tables writes (but the RSDP) is disassembled by iasl from Debian's acpica-tools, which
must report no error, no warning and no checksum complaint; the checks below read the fields it decoded.
The RSDP is decoded here: iasl reads only tables with the common 36-byte header.

usage: acpi_test.py FIXED_LAYOUT_BUILD"""
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checks import check, summary  # noqa: E402

BINARY = sys.argv[1]
P = "fixed-layout-build: "


def run(args):
    p = subprocess.run([BINARY] + args, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def write_config(path, vcpus, maxvcpus, memory=512, extra=""):
    with open(path, "w") as f:
        f.write('name = "acpi"\nmemory = %d\nvcpus = %d\nmaxvcpus = %d\nkernel = "/nonexistent/k"\n%s'
                % (memory, vcpus, maxvcpus, extra))


def iasl(path):
    """Disassembles one table; returns the .dsl text, or None after recording a failure."""
    p = subprocess.run(["iasl", "-d", path], capture_output=True, text=True, timeout=60)
    out = p.stdout + p.stderr
    complaint = re.search(r"(?i)(error|warning|checksum.*(incorrect|invalid)|invalid)", out)
    check(p.returncode == 0 and not complaint, "%s: iasl exit %d: %s" % (path, p.returncode, out.strip()[-400:]))
    dsl = path[:-4] + ".dsl"
    if not os.path.exists(dsl):
        check(False, "%s: iasl wrote no %s" % (path, dsl))
        return None
    with open(dsl) as f:
        return f.read()


def field(dsl, name):
    """The value iasl printed for a field, e.g. field(dsl, 'Table Length') -> '0000004C'."""
    m = re.search(r"\]\s+%s : ([^\s\[]+)" % re.escape(name), dsl)
    return m.group(1) if m else None


def check_set(tmp, vcpus, maxvcpus):
    what = "vcpus %d, maxvcpus %d" % (vcpus, maxvcpus)
    cfg = os.path.join(tmp, "g.cfg")
    out = os.path.join(tmp, "dump-%d-%d" % (vcpus, maxvcpus))
    write_config(cfg, vcpus, maxvcpus)
    rc, stdout, stderr = run(["-n", "-q", "--format", "json", "--dump-tables", out, cfg])
    check(rc == 0 and stderr == "", "%s: exit %d: %s" % (what, rc, stderr))
    doc = json.loads(stdout)
    tables = {t["signature"]: t for t in doc["acpi"]["tables"]}
    check(sorted(os.listdir(out)) == ["apic.dat", "dsdt.dat", "facp.dat", "memmap.bin", "rsdp.dat",
                                      "start_info.bin", "xsdt.dat"], "%s: files %s" % (what, os.listdir(out)))
    for sig, t in tables.items():
        size = os.path.getsize(os.path.join(out, sig.lower() + ".dat"))
        check(size == t["length"], "%s: %s.dat is %d bytes, the plan says %d" % (what, sig, size, t["length"]))

    # The RSDP: both checksums, revision 2, the XSDT's address.
    with open(os.path.join(out, "rsdp.dat"), "rb") as f:
        rsdp = f.read()
    check(rsdp[:8] == b"RSD PTR " and sum(rsdp[:20]) % 256 == 0 and sum(rsdp) % 256 == 0,
          "%s: RSDP signature or checksums" % what)
    revision, length, xsdt = rsdp[15], struct.unpack_from("<I", rsdp, 20)[0], struct.unpack_from("<Q", rsdp, 24)[0]
    check((revision, length, xsdt) == (2, 36, tables["XSDT"]["addr"]),
          "%s: RSDP revision %d, length %d, XSDT 0x%x" % (what, revision, length, xsdt))
    check(doc["acpi"]["rsdp"] == doc["start_info"]["rsdp_paddr"] == tables["RSDP"]["addr"],
          "%s: rsdp_paddr %d" % (what, doc["start_info"]["rsdp_paddr"]))

    madt = iasl(os.path.join(out, "apic.dat"))
    facp = iasl(os.path.join(out, "facp.dat"))
    xsdt_dsl = iasl(os.path.join(out, "xsdt.dat"))
    dsdt = iasl(os.path.join(out, "dsdt.dat"))
    if madt:
        ids = [int(v, 16) for v in re.findall(r"Local Apic ID : ([0-9A-F]+)", madt)]
        enabled = [int(v) for v in re.findall(r"Processor Enabled : (\d)", madt)]
        check(ids == [2 * i for i in range(maxvcpus)], "%s: APIC IDs %s" % (what, ids))
        check(enabled == [1] * vcpus + [0] * (maxvcpus - vcpus), "%s: enabled %s" % (what, enabled))
        check(field(madt, "Local Apic Address") == "FEE00000", "%s: local APIC address" % what)
    if facp:
        check(re.search(r"Hardware Reduced \(V5\) : 1", facp) is not None, "%s: FADT not hardware-reduced" % what)
        check(field(facp, "FACS Address") == "00000000", "%s: FADT names a FACS" % what)
        check(int(field(facp, "DSDT Address"), 16) == tables["DSDT"]["addr"], "%s: FADT's DSDT" % what)
        check(field(facp, "Revision") == "05", "%s: FADT revision %s" % (what, field(facp, "Revision")))
    if xsdt_dsl:
        entries = [int(v, 16) for v in re.findall(r"ACPI Table Address +\d+ : ([0-9A-F]+)", xsdt_dsl)]
        check(entries == [tables["FACP"]["addr"], tables["APIC"]["addr"]], "%s: XSDT entries %s" % (what, entries))
    if dsdt:
        m = re.search(r"Length +0x([0-9A-F]+)", dsdt)
        check(m and int(m.group(1), 16) == tables["DSDT"]["length"], "%s: DSDT length" % what)
        check("DefinitionBlock (\"\", \"DSDT\", 2," in dsdt, "%s: DSDT definition block" % what)

    # The memory map file is the JSON's e820, entry for entry.
    with open(os.path.join(out, "memmap.bin"), "rb") as f:
        raw = f.read()
    entries = [struct.unpack_from("<QQII", raw, i) for i in range(0, len(raw), 24)]
    check([(a, s, t) for a, s, t, _ in entries] == [(e["addr"], e["size"], e["type"]) for e in doc["e820"]],
          "%s: memmap.bin differs from the e820" % what)
    check(any(t == 3 and a == doc["acpi"]["rsdp"] for a, s, t, _ in entries), "%s: no ACPI entry" % what)


def test_vcpu_counts(tmp):
    rnd = random.Random(2026)
    sets = [(1, 1), (2, 2), (4, 8), (1, 128), (128, 128)]
    for _ in range(6):
        vcpus = rnd.randint(1, 128)
        sets.append((vcpus, rnd.randint(vcpus, 128)))
    for vcpus, maxvcpus in sets:
        check_set(tmp, vcpus, maxvcpus)


def test_start_info_file(tmp):
    cfg = os.path.join(tmp, "si.cfg")
    out = os.path.join(tmp, "si")
    write_config(cfg, 1, 1, extra='cmdline = "console=hvc0"\n')
    rc, stdout, _ = run(["-n", "-q", "--format", "json", "--dump-tables", out, cfg])
    doc = json.loads(stdout)
    with open(os.path.join(out, "start_info.bin"), "rb") as f:
        data = f.read()
    magic, version, flags, nr_modules, modlist, cmdline, rsdp, memmap, entries, reserved = \
        struct.unpack_from("<IIIIQQQQII", data, 0)
    check(rc == 0 and (magic, version, nr_modules, rsdp, entries) ==
          (0x336EC578, 1, 0, doc["acpi"]["rsdp"], len(doc["e820"])), "start_info.bin header")
    check((modlist, cmdline, memmap, reserved) == (0, 0, 0, 0), "start_info.bin: libxenguest's addresses are 0")
    check(data[56:] == b"console=hvc0\0", "start_info.bin command line %r" % data[56:])


def test_acpi_off(tmp):
    cfg = os.path.join(tmp, "off.cfg")
    out = os.path.join(tmp, "off")
    write_config(cfg, 2, 2, extra="acpi = 0\n")
    rc, stdout, stderr = run(["-n", "--format", "json", "--dump-tables", out, cfg])
    doc = json.loads(stdout)
    check(rc == 0 and doc["acpi"] is None and doc["start_info"]["rsdp_paddr"] == 0, "acpi = 0: JSON")
    check(sorted(os.listdir(out)) == ["memmap.bin", "start_info.bin"], "acpi = 0: files %s" % os.listdir(out))
    check(all(e["type"] != 3 for e in doc["e820"]), "acpi = 0: an ACPI entry")
    check(stderr.splitlines()[0] == P + "warning: %s:6: acpi = 0: no ACPI tables: the guest sees one CPU of its 2 "
          "unless it starts the others itself (VCPUOP_up), and Linux gets no timer interrupt (it stops at its first "
          "sleep)" % cfg, "acpi = 0: warning %r" % stderr)


def expect_refusal(args, status, what, leftovers_dir=None):
    rc, stdout, stderr = run(args)
    check(rc == status and stdout == "" and len(stderr.splitlines()) == 1 and stderr.startswith(P),
          "%s: exit %d, stdout %r, stderr %r" % (what, rc, stdout, stderr))
    return stderr


def test_bad_dump_dirs(tmp):
    cfg = os.path.join(tmp, "bad.cfg")
    write_config(cfg, 1, 1)
    plain = os.path.join(tmp, "a-file")
    with open(plain, "w") as f:
        f.write("keep me\n")
    err = expect_refusal(["-n", "-q", "--dump-tables", plain, cfg], 2, "--dump-tables FILE")
    check(err == P + "--dump-tables: '%s' exists and is not a directory: name a directory\n" % plain, err)
    with open(plain) as f:
        check(f.read() == "keep me\n", "--dump-tables FILE changed the file")
    missing_parent = os.path.join(tmp, "no", "such", "dir")
    err = expect_refusal(["-n", "-q", "--dump-tables", missing_parent, cfg], 2, "--dump-tables in a missing parent")
    check(err == P + "--dump-tables: cannot create directory '%s': No such file or directory\n" % missing_parent, err)
    check(not os.path.exists(os.path.join(tmp, "no")), "a missing parent was created")
    err = expect_refusal(["-n", "-q", "--dump-tables", "", cfg], 2, "--dump-tables ''")
    check(err == P + "--dump-tables: the directory name is empty (see --help)\n", err)
    # A directory nobody may create files in (sysfs refuses even root): status 1, nothing left.
    if os.path.isdir("/sys/kernel"):
        before = set(os.listdir("/sys/kernel"))
        expect_refusal(["-n", "-q", "--dump-tables", "/sys/kernel", cfg], 1, "--dump-tables into sysfs")
        check(set(os.listdir("/sys/kernel")) == before, "files left in /sys/kernel")


def test_bad_vcpu_keys(tmp):
    """Exit 2, nothing on stdout, one line naming the line and the key (the exact text is test_config.c's)."""
    cfg = os.path.join(tmp, "keys.cfg")
    base = 'name = "k"\nmemory = 128\nkernel = "/nonexistent/k"\n'
    for keys, where in [("acpi = -1\n", ":4: acpi:"), ('acpi = "on"\n', ":4: acpi:"),
                        ("maxvcpus = 129\n", ":4: maxvcpus:"), ("vcpus = 4\nmaxvcpus = 2\n", ":5: maxvcpus:")]:
        with open(cfg, "w") as f:
            f.write(base + keys)
        err = expect_refusal(["-n", cfg], 2, keys.strip())
        check(where in err, "%s: %r does not name %s" % (keys.strip(), err, where))


def test_dry_run_checks_files(tmp):
    cfg = os.path.join(tmp, "files.cfg")
    text_kernel = os.path.join(tmp, "not-a-kernel")
    with open(text_kernel, "w") as f:
        f.write("hello\n")
    with open(cfg, "w") as f:
        f.write('name = "f"\nmemory = 128\nkernel = "%s"\n' % text_kernel)
    err = expect_refusal(["-n", cfg], 2, "dry-run of a text file as the kernel")
    check(err == P + "kernel '%s': neither an ELF file nor a bzImage\n" % text_kernel, err)
    with open(cfg, "w") as f:
        f.write('name = "f"\nmemory = 128\nkernel = "%s/absent"\n' % tmp)
    rc, stdout, stderr = run(["-n", cfg])
    check(rc == 0 and stdout and stderr == P + "warning: kernel '%s/absent' does not exist here; a live build "
          "would refuse it\n" % tmp, "dry-run of an absent kernel: exit %d, %r" % (rc, stderr))


def main():
    if not shutil.which("iasl"):
        print("FAIL: iasl not found: install acpica-tools (test/install-deps does)", file=sys.stderr)
        return 1
    tmp = tempfile.mkdtemp(prefix="flb-acpi-")
    try:
        test_vcpu_counts(tmp)
        test_start_info_file(tmp)
        test_acpi_off(tmp)
        test_bad_dump_dirs(tmp)
        test_bad_vcpu_keys(tmp)
        test_dry_run_checks_files(tmp)
    finally:
        shutil.rmtree(tmp)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
