#!/usr/bin/env python3
"""The JSON documents against their schemas in lib/output/schema/: the dry-run of every example and of variants,
hostile strings that must come back exactly, strings JSON cannot carry (status 2, nothing on stdout),
and the live build's records.

usage: schema_test.py BINARY TEST_JSON SOURCE_DIR"""
import copy
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checks import check, summary  # noqa: E402

try:
    import jsonschema
except ImportError:
    print("FAIL: jsonschema is not installed: run test/install-deps (python3-jsonschema)")
    sys.exit(1)
try:  # jsonschema 4.18 and later resolve references through referencing's registry
    from referencing import Registry, Resource
except ImportError:  # Debian 12's 4.10 through a resolver and its store
    Registry = None

BINARY, TEST_JSON, SOURCE = sys.argv[1], sys.argv[2], sys.argv[3]
CONF = os.path.join(SOURCE, "conf")
P = b"fixed-layout-build: "


def read_schema(name):
    with open(os.path.join(SOURCE, "lib", "output", "schema", name)) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


DRY_SCHEMA = read_schema("dry-run.schema.json")


def plain(doc):
    """The schema without its $id: jsonschema 4.10 joins a relative $id onto itself as it descends."""
    return {k: v for k, v in doc.items() if k != "$id"}


def load_schema(name):
    """A validator of the schema; the created record's "plan" refers to the dry-run's schema by its $id."""
    schema = read_schema(name)
    if Registry is None:
        store = {os.path.basename(DRY_SCHEMA["$id"]): plain(DRY_SCHEMA)}
        resolver = jsonschema.RefResolver("", plain(schema), store=store)
        return jsonschema.Draft202012Validator(plain(schema), resolver=resolver)
    if name == "dry-run.schema.json":
        return jsonschema.Draft202012Validator(schema)
    registry = Registry().with_resource(DRY_SCHEMA["$id"], Resource.from_contents(DRY_SCHEMA))
    return jsonschema.Draft202012Validator(schema, registry=registry)


def errors(validator, doc):
    return [e.message for e in validator.iter_errors(doc)]


def dry_run(args):
    p = subprocess.run([BINARY, "--dry-run", "--format", "json", "-q"] + args, capture_output=True,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


DRY = load_schema("dry-run.schema.json")
CREATED = load_schema("created.schema.json")
RESTARTED = load_schema("restarted.schema.json")
ENDED = load_schema("ended.schema.json")

# Every example, and variants that take each nullable or optional branch of the schema.
VARIANTS = [[], ["acpi=0"], ["fixed_mem_layout=0"], ["max_grant_version=2"], ["vcpus=2", "maxvcpus=4"],
            ['ramdisk="/boot/initrd.img"'],
            # Every domain setting away from xl's defaults, so that each appears under "settings".
            ['uuid="00112233-4455-6677-8899-aabbccddeeff"', "hap=0", "oos=0", "shadow_memory=64", "nestedhvm=1",
             "vpmu=1", "msr_relaxed=1", "max_event_channels=4095", 'tsc_mode="native"', 'cpus="0-3,^1"',
             'cpus_soft=["0", "nodes:0"]', "cpu_weight=512", "cap=100", "localtime=1", 'rtc_timeoffset="-60"',
             'timer_mode="delay_for_missed_ticks"', "vmtrace_buf_kb=64", "driver_domain=1",
             'init_seclabel="system_u:system_r:domU_t"', 'seclabel="system_u:system_r:nomigrate_t"', 'cpuid="host,vmx=0"'],
            # libxl refuses altp2m with nestedhvm: on its own.
            ['altp2m="mixed"'],
            # The list form of cpuid, long enough to be cut.
            ['cpuid=["0x1:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxx0xxxxx","0x7,0:ebx=kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk,edx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1"]']]
examples = sorted(os.listdir(CONF))
check(len(examples) >= 4, "conf/ holds %s" % examples)
seen_null_acpi = seen_v2 = False
seen_settings = 0
for name in examples:
    for extra in VARIANTS:
        rc, out, err = dry_run([os.path.join(CONF, name)] + extra)
        what = "%s %s" % (name, " ".join(extra))
        check(rc == 0 and err == b"", "%s: status %d, stderr %r" % (what, rc, err))
        doc = json.loads(out)
        check(errors(DRY, doc) == [], "%s: %s" % (what, errors(DRY, doc)))
        check(doc.get("format_version") == 1, "%s: format_version %r" % (what, doc.get("format_version")))
        seen_null_acpi |= doc["acpi"] is None
        seen_v2 |= doc["regions"]["gnttab_status"] is not None
        seen_settings = max(seen_settings, len(doc["settings"]))
check(seen_null_acpi and seen_v2, "the variants never gave acpi null or a status region")
check(seen_settings == 21, "the most settings one document listed: %d, not 21" % seen_settings)

# A dry-run of several configs prints each document on a line of its own: each one holds to the schema.
rc, out, err = dry_run([os.path.join(CONF, name) for name in examples] + ["name=last", "acpi=0"])
lines = out.splitlines()
check(rc == 0 and len(lines) == len(examples), "every example at once: status %d, %d lines" % (rc, len(lines)))
for i, line in enumerate(lines):
    doc = json.loads(line)
    check(errors(DRY, doc) == [], "every example at once, line %d: %s" % (i + 1, errors(DRY, doc)))
check(lines and json.loads(lines[-1])["name"] == "last" and json.loads(lines[-1])["acpi"] is None,
      "the overrides after the last config are not the last document's")

# The schema is strict: a missing key, an unknown key, a wrong type each fail it.
rc, out, _ = dry_run([os.path.join(CONF, "minimal.cfg")])
good = json.loads(out)
bad = []
for mutate in (lambda d: d.pop("e820"), lambda d: d.update(extra=1), lambda d: d.update(format_version=2),
               lambda d: d["e820"][0].update(size="4096"), lambda d: d["regions"].update(foreign=[]),
               lambda d: d["start_info"].pop("cmdline"), lambda d: d["settings"].update(hap=True)):
    doc = copy.deepcopy(good)
    mutate(doc)
    bad.append(errors(DRY, doc))
check(all(bad), "mutated documents that passed the schema: %s" % [i for i, e in enumerate(bad) if not e])

with tempfile.TemporaryDirectory() as tmp:
    # Strings with every kind of character JSON must escape come back exactly.
    # (A name refuses control characters, so they go in the paths and the command line.)
    hostile = {"name": "a\"q\"\\\u202e\u00e4", "kernel": "/k\x07\x01\x1b[31m\x7f\u009b.elf",
               "ramdisk": "/r\t\u2028", "cmdline": "console=hvc0 \x1b]0;t\x07"}
    cfg = os.path.join(tmp, "hostile.cfg")
    with open(cfg, "wb") as f:
        f.write(b'type = "pvh"\nmemory = 256\n')
        for k, v in hostile.items():
            f.write(b'%s = "%s"\n' % (k.encode(), v.replace("\\", "\\\\").replace('"', '\\"').encode()))
    rc, out, err = dry_run([cfg])
    check(rc == 0 and err == b"", "hostile: status %d, stderr %r" % (rc, err))
    check(all(b >= 0x20 or b == 0x0A for b in out), "hostile: raw control characters in the JSON")
    doc = json.loads(out)
    check(errors(DRY, doc) == [], "hostile: %s" % errors(DRY, doc))
    got = {"name": doc["name"], "kernel": doc["kernel"], "ramdisk": doc["ramdisk"],
           "cmdline": doc["start_info"]["cmdline"]}
    check(got == hostile, "hostile strings: got %r, want %r" % (got, hostile))

    # A string that is not UTF-8 never reaches the JSON: the config refuses it (status 2, the line and key
    # named, nothing on stdout), whatever the format.
    for key, line in (("name", 3), ("kernel", 4), ("ramdisk", 5), ("cmdline", 5)):
        base = {"name": b"g", "kernel": b"/k", key: b"x\xffy"}
        with open(cfg, "wb") as f:
            f.write(b'type = "pvh"\nmemory = 256\n')
            f.write(b"".join(b'%s = "%s"\n' % (k.encode(), v) for k, v in base.items()))
        want = P + b"%s:%d: %s: not valid UTF-8 (byte 0xff at offset 1)\n" % (cfg.encode(), line, key.encode())
        rc, out, err = dry_run([cfg])
        check(rc == 2 and out == b"" and err == want,
              "%s not UTF-8: status %d, stdout %r, stderr %r" % (key, rc, out, err))
        p = subprocess.run([BINARY, "--dry-run", "-q", cfg], capture_output=True, timeout=60)
        check(p.returncode == 2 and p.stdout == b"" and p.stderr == want,
              "%s not UTF-8, text: %d %r" % (key, p.returncode, p.stderr))



def record(*args):
    """One record from the writer itself (a live build needs Xen): its one line, parsed."""
    p = subprocess.run([TEST_JSON] + [str(a) for a in args], capture_output=True, timeout=60)
    check(p.returncode == 0 and p.stdout.endswith(b"\n") and p.stdout.count(b"\n") == 1,
          "%s: status %d, %r" % (args, p.returncode, p.stdout))
    return json.loads(p.stdout)


# The live build's records.
for domid, name in ((1, "guest"), (32751, "a\x1b\"\\\u00e4\u202e")):
    line = record("created", domid, name)
    check(errors(CREATED, line) == [] and line["domid"] == domid and line["name"] == name,
          "created %d: %r %s" % (domid, line, errors(CREATED, line)))
    # The plan is the dry-run's document itself, and the schema holds it to the dry-run's schema.
    check(errors(DRY, line["plan"]) == [] and line["plan"]["name"] == name, "created %d: plan %s" % (domid,
          errors(DRY, line["plan"])))
    del line["plan"]["e820"]
    check(errors(CREATED, line) != [], "the created schema takes a plan without e820")
for reason in (0, 1, 3, 4, 5):
    line = record("restarted", 9, 8, reason)
    check(errors(RESTARTED, line) == [] and line["previous_domid"] == 8, "restarted %d: %r %s"
          % (reason, line, errors(RESTARTED, line)))
for args in (("ended", 3, "guest"), ("ended", 3, "guest", 0), ("ended", 3, "guest", 4), ("ended", 3, "g", 2),
             ("ended", 3, "g", 9)):
    line = record(*args)
    check(errors(ENDED, line) == [] and line["event"] == "ended", "%s: %r %s" % (args, line, errors(ENDED, line)))
check(errors(CREATED, {"format_version": 1, "event": "created", "domid": 0, "uuid": "x", "name": "x",
                       "plan": {}}) != [], "the created schema takes domid 0")
check(errors(ENDED, {"format_version": 1, "event": "ended", "domid": 1, "name": "g", "outcome": "shutdown",
                     "reason": "poweroff", "xen_reason": 0, "action": "destroy", "restarts": 0}) != [],
      "the ended schema takes a record without exit_status")

sys.exit(summary())
