"""The one check helper of the Python tests, as check.h is the C tests': counted checks that report
each failure with what was seen, and the closing line test runners read."""
import sys

_counts = {"passed": 0, "failed": 0}


def check(ok, what):
    """Counts one check; a failure prints "FAIL: <what>" on stderr."""
    if ok:
        _counts["passed"] += 1
    else:
        _counts["failed"] += 1
        print("FAIL: " + what, file=sys.stderr)


def summary():
    """Prints "N passed, N failed" and returns the exit status the test should end with."""
    print("%d passed, %d failed" % (_counts["passed"], _counts["failed"]))
    return 1 if _counts["failed"] else 0
