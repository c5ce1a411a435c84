#!/usr/bin/env python3
"""Which code and data of a running NativeAOT binary are resident (count in its RSS).

Usage: resident.py PID BINARY.dbg [TOP]
Reads /proc/PID/maps and /proc/PID/pagemap (root: the present bit of file pages), finds the
resident pages of the executable's mappings and charges each page to the symbols of the .dbg
file (nm) that overlap it, grouped by namespace prefix. Shows where RSS comes from, so that
footprint work aims at what is actually touched rather than at what is merely linked.
"""
import bisect
import collections
import os
import re
import struct
import subprocess
import sys

PAGE = os.sysconf("SC_PAGE_SIZE")


def symbols(dbg):
    out = subprocess.run(["nm", "-S", "--defined-only", dbg], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4:
            rows.append((int(parts[0], 16), int(parts[1], 16), parts[3]))
    rows.sort()
    return rows


def group(name):
    name = re.sub(r"^(_ZTV\d+|__GenericDict_|__writableData|__)", "", name)
    for key, label in (("Mesos_V1", "Mesos.V1 (generated protobuf)"), ("Google_Protobuf", "Google.Protobuf"),
                       ("System_Text_Json", "System.Text.Json"), ("YamlDotNet", "YamlDotNet"),
                       ("RegularExpressions", "Regex"), ("Cryptography", "crypto/TLS"), ("Net_Security", "crypto/TLS"),
                       ("System_Net_Http", "System.Net.Http"), ("Mesos_Executor_Testing", "Mesos.Executor.Testing"),
                       ("Mesos_Executor_Hooks", "Mesos.Executor.Hooks"), ("Mesos_Executor_Docker", "Mesos.Executor.Docker"),
                       ("Mesos_Executor_Core", "Mesos.Executor.Core"), ("mesos_executor", "reference executor"),
                       ("System_Collections", "System.Collections"), ("System_Linq", "System.Linq"),
                       ("Microsoft_Extensions", "Microsoft.Extensions"), ("System_Net_Sockets", "System.Net.Sockets"),
                       ("S_P_CoreLib", "CoreLib"), ("System_Private_CoreLib", "CoreLib"), ("S_P_", "runtime (S.P.*)")):
        if key in name[:120]:
            return label
    return "native runtime / other"


def main():
    pid, dbg = int(sys.argv[1]), sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    exe = os.path.realpath(f"/proc/{pid}/exe")
    syms = symbols(dbg)
    starts = [s[0] for s in syms]
    charged = collections.Counter()
    per_map = []
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        lines = maps.read().splitlines()
        base = None
        for line in lines:
            fields = line.split()
            if len(fields) >= 6 and fields[5] == exe and base is None:
                base = int(fields[0].split("-")[0], 16) - int(fields[2], 16)
        for line in lines:
            fields = line.split()
            if len(fields) < 6 or fields[5] != exe:
                continue
            lo, hi = (int(x, 16) for x in fields[0].split("-"))
            pagemap.seek(lo // PAGE * 8)
            entries = pagemap.read((hi - lo) // PAGE * 8)
            resident = 0
            for i in range(0, len(entries), 8):
                if not struct.unpack_from("<Q", entries, i)[0] >> 63:
                    continue
                resident += PAGE
                page = lo + i // 8 * PAGE - base
                j = max(0, bisect.bisect_right(starts, page) - 1)
                hit = False
                while j < len(syms) and syms[j][0] < page + PAGE:
                    start, size, name = syms[j]
                    overlap = min(start + max(size, 1), page + PAGE) - max(start, page)
                    if overlap > 0:
                        charged[group(name)] += overlap
                        hit = True
                    j += 1
                if not hit:
                    charged["(no symbol: headers, tables, .rodata blobs)"] += PAGE
            per_map.append((fields[1], (hi - lo) // 1024, resident // 1024))
    for perm, size, res in per_map:
        print(f"mapping {perm}: {res:6d} KiB resident of {size:6d} KiB")
    for name, size in charged.most_common(top):
        print(f"{size / 1024:8.0f} KiB  {name}")


if __name__ == "__main__":
    main()
