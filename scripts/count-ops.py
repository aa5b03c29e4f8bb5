#!/usr/bin/env python3
"""Counts the ttnn ops an emitted TTNN program (voxtile emit) runs, by kind.

usage: scripts/count-ops.py PROGRAM.py [BASELINE.py]

Counts the ttnn calls in the program's run() (the whole text when it has none), ttnn.X( with X lower case (constructors such as ttnn.Conv2dSliceConfig
and enum members are not calls of ops). Not counted, as issue 11 counts: ttnn.deallocate, weight and input uploads
(ttnn.from_torch) and the host side of the program (ttnn.to_torch, device open and close, trace calls). With a
baseline program, prints both columns and the change.
"""
import collections
import re
import sys

NOT_OPS = {"deallocate", "from_torch", "to_torch", "open_device", "close_device", "open_mesh_device", "close_mesh_device",
           "begin_trace_capture", "end_trace_capture", "execute_trace", "release_trace", "synchronize_device", "copy_host_to_device_tensor",
           "CreateDevice", "get_device_tensors"}
CALL = re.compile(r"\bttnn\.([a-z_0-9]+)\(")


def count(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    # The program's ops are the body of run(); load_weights (which may view host conv weights) is weight setup.
    body = re.search(r"^def run\(.*?(?=^def |\Z)", text, re.S | re.M)
    text = body.group(0) if body else text
    return collections.Counter(m for m in CALL.findall(text) if m not in NOT_OPS)


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    after = count(argv[-1])
    before = count(argv[1]) if len(argv) == 3 else None
    kinds = sorted(set(after) | set(before or {}), key=lambda k: -max(after[k], (before or {}).get(k, 0)))
    for k in kinds:
        if before is None:
            print(f"{after[k]:6d}  ttnn.{k}")
        else:
            print(f"{before[k]:6d} {after[k]:6d} {after[k] - before[k]:+6d}  ttnn.{k}")
    total = sum(after.values())
    if before is None:
        print(f"{total:6d}  ops (deallocations, uploads and host calls not counted)")
    else:
        print(f"{sum(before.values()):6d} {total:6d} {total - sum(before.values()):+6d}  ops (deallocations, uploads and host calls not counted)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
