#!/usr/bin/env python3
"""Helpers of record.sh, over the symbols of the executor's .dbg file (nm).

  layout.py entries DBG          the entry address (hex) of every managed method (sections
                                 __managedcode and __unbox): the breakpoints of first-calls
  layout.py names DBG HITS       the symbol names of the addresses in HITS (first-calls' output,
                                 several runs appended), each address once, in first-run order,
                                 every name of a folded (shared) body: the ILC order file
  layout.py check DBG ORDER      how many names of ORDER the binary has, and whether the first of
                                 them are laid out in that order at the start of the managed code
"""
import subprocess
import sys

MANAGED_SECTIONS = ("__managedcode", "__unbox")


def sections(dbg):
    out = subprocess.run(["readelf", "-SW", dbg], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        parts = line.replace("[ ", "[").split()
        if len(parts) > 6 and parts[1] in MANAGED_SECTIONS:
            found[parts[1]] = (int(parts[3], 16), int(parts[5], 16))
    return found


def methods(dbg, only=MANAGED_SECTIONS):
    """(address, name) of every sized code symbol in the managed sections."""
    ranges = [at for name, at in sections(dbg).items() if name in only]
    out = subprocess.run(["nm", "-S", "--defined-only", dbg], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tT" and int(parts[1], 16) > 0:
            address = int(parts[0], 16)
            if any(start <= address < start + size for start, size in ranges):
                yield address, parts[3]


def entries(dbg):
    for address in sorted({address for address, _ in methods(dbg)}):
        print(f"{address:x}")


def names(dbg, hits):
    by_address = {}
    for address, name in methods(dbg):
        by_address.setdefault(address, []).append(name)
    seen = set()
    for line in open(hits):
        line = line.strip()
        if not line:
            continue
        address = int(line, 16)
        if address in seen:
            continue
        seen.add(address)
        for name in sorted(by_address.get(address, [])):
            print(name)


def check(dbg, order):
    wanted = [line.strip() for line in open(order) if line.strip()]
    address = {name: at for at, name in methods(dbg)}
    present = [name for name in wanted if name in address]
    print(f"order_names={len(wanted)} present_in_binary={len(present)}")
    # Where the recorded methods end in __managedcode: about the size of the hot code when the
    # order file was applied, about the whole section when it was not.
    start = sections(dbg)["__managedcode"][0]
    code = {name: at for at, name in methods(dbg, ("__managedcode",))}
    laid = [code[name] for name in present if name in code]
    if laid:
        print(f"recorded_methods_end_kib={(max(laid) - start) // 1024}")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"entries": entries, "names": names, "check": check}[command](*args)
