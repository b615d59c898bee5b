"""What every workload generator does with the text it made: print it, or with --check compare it
with the shipped file and say how to regenerate a stale one (the ctest
workload.<name>_yaml_matches_generator runs the check)."""

import sys


def write_or_check(text, check_path, regenerate_command):
    """Prints `text`, or compares it with `check_path`; returns the exit code."""
    if check_path is None:
        sys.stdout.write(text)
        return 0
    with open(check_path, encoding="utf-8") as existing:
        if existing.read() == text:
            return 0
    print(f"{check_path} is stale: regenerate it with "
          f"'/usr/bin/python3 {regenerate_command} > {check_path}'", file=sys.stderr)
    return 1
