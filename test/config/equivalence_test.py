#!/usr/bin/env python3
"""The same guest written in xl, in YAML and as command-line overrides gives byte-identical dry-run output.

usage: equivalence_test.py BINARY CONF_DIR
Each conf/*.cfg example is rewritten in the other spellings; all must print the same JSON (and text).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

BINARY = os.path.abspath(sys.argv[1])
CONF = os.path.abspath(sys.argv[2])
ASSIGNMENT = re.compile(r'^([a-z_]+)\s*=\s*(.*?)\s*$')
# The xl examples in conf/; a new one is added here, so that the loop below cannot quietly run over none.
EXAMPLES = ["grant-v2.cfg", "large.cfg", "minimal.cfg"]


def read_xl(path):
    """The examples are flat `key = value` lines: numbers or double-quoted strings without escapes."""
    keys = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            m = ASSIGNMENT.match(line)
            if not m:
                raise SystemExit("%s: cannot read %r" % (path, line))
            value = m.group(2)
            keys.append((m.group(1), value[1:-1] if value.startswith('"') else int(value, 0)))
    return keys


def as_yaml(keys):
    # A JSON string is a valid YAML double-quoted scalar.
    return "".join("%s: %s\n" % (k, json.dumps(v)) for k, v in keys)


def as_xl(keys):
    return "".join("%s = %s\n" % (k, json.dumps(v)) for k, v in keys)


def xl_word(v):
    return str(v) if isinstance(v, int) else json.dumps(v)


def run(args, cwd):
    p = subprocess.run([BINARY, "--dry-run"] + args, cwd=cwd, capture_output=True, timeout=60)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def spellings(name, keys, tmp):
    """(description, arguments) pairs that all describe the guest in `keys`."""
    d = tempfile.mkdtemp(dir=tmp)
    with open(os.path.join(d, "guest.yaml"), "w") as f:
        f.write(as_yaml(keys))
    with open(os.path.join(d, "guest.yml.txt"), "w") as f:
        f.write(as_yaml(keys))
    with open(os.path.join(d, "base.cfg"), "w") as f:
        f.write(as_xl([kv for kv in keys if kv[0] in ("name", "kernel")]))
    with open(os.path.join(d, "base.yaml"), "w") as f:
        f.write(as_yaml([kv for kv in keys if kv[0] in ("name", "kernel")]))
    # A file with other values for every key, all replaced by overrides: the last one wins.
    with open(os.path.join(d, "other.cfg"), "w") as f:
        f.write('name = "other"\nkernel = "/other"\nmemory = 64\nvcpus = 1\n')

    quoted = ["%s=%s" % (k, xl_word(v)) for k, v in keys]
    bare = ["%s=%s" % (k, v) for k, v in keys]
    rest = [a for a in quoted if not a.startswith(("name=", "kernel="))]
    yield "xl", [os.path.join(CONF, name)]
    yield "yaml", [os.path.join(d, "guest.yaml")]
    yield "yaml forced", ["--config-format", "yaml", os.path.join(d, "guest.yml.txt")]
    yield "xl base + overrides", [os.path.join(d, "base.cfg")] + rest
    yield "yaml base + overrides", [os.path.join(d, "base.yaml")] + rest
    yield "other.cfg + quoted overrides", [os.path.join(d, "other.cfg")] + quoted
    yield "other.cfg + bare-word overrides", [os.path.join(d, "other.cfg")] + bare


def main():
    failures = 0
    examples = sorted(n for n in os.listdir(CONF) if n.endswith(".cfg"))
    if examples != EXAMPLES:
        failures += 1
        print("FAIL conf/ holds the xl examples %s, this test lists %s" % (examples, EXAMPLES))
    with tempfile.TemporaryDirectory() as tmp:
        for name in examples:
            keys = read_xl(os.path.join(CONF, name))
            for fmt in ("json", "text"):
                reference = None
                for desc, args in spellings(name, keys, tmp):
                    rc, out, err = run(["--format", fmt] + args, tmp)
                    if rc != 0:
                        failures += 1
                        print("FAIL %s (%s, %s): exit %d, stderr %r" % (name, desc, fmt, rc, err))
                    elif reference is None:
                        reference = (desc, out)
                    elif out != reference[1]:
                        failures += 1
                        print("FAIL %s: %s output differs from %s output (%s)\n--- %s\n%s--- %s\n%s"
                              % (name, desc, reference[0], fmt, reference[0], reference[1].decode(), desc,
                                 out.decode()))
        # conf/minimal.yaml is written by hand: it must match conf/minimal.cfg too.
        a = run(["--format", "json", os.path.join(CONF, "minimal.cfg")], tmp)
        b = run(["--format", "json", os.path.join(CONF, "minimal.yaml")], tmp)
        if a[0] != 0 or b[0] != 0 or a[1] != b[1]:
            failures += 1
            print("FAIL conf/minimal.yaml differs from conf/minimal.cfg\n%s\n%s" % (a[1].decode(), b[1].decode()))
    print("%d examples, %d failed" % (len(examples), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
