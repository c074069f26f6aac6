#!/usr/bin/env python3
"""Prints a short digest of a failed `mvn -B verify`: every failed or erroring test case (Surefire and
bnd-testing XML reports) with the first lines of its message, then the last ERROR lines of the in-framework
gateway log. CI shows only the tail of its output, so this is what the next engineer gets to read."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

root = sys.argv[1] if len(sys.argv) > 1 else "."
failed = []
for report in sorted(glob.glob(os.path.join(root, "**", "target", "**", "TEST-*.xml"), recursive=True)):
    try:
        tree = ET.parse(report)
    except ET.ParseError as e:
        failed.append(f"{report}: unreadable report ({e})")
        continue
    for case in tree.iter("testcase"):
        for kind in ("failure", "error"):
            node = case.find(kind)
            if node is not None:
                message = (node.get("message") or node.text or "").strip().splitlines()
                text = " | ".join(line.strip() for line in message[:4])[:600]
                failed.append(f"{kind.upper()} {case.get('classname')}#{case.get('name')}: {text}")
print(f"{len(failed)} failed test case(s):")
for line in failed[:40]:
    print("  " + line)
for log in sorted(glob.glob(os.path.join(root, "bundles", "*", "target", "itest-logs", "cellgate.log"))):
    with open(log, encoding="utf-8", errors="replace") as f:
        errors = [line.rstrip()[:400] for line in f if " ERROR " in line]
    print(f"last ERROR lines of {log} ({len(errors)} in all):")
    for line in errors[-15:]:
        print("  " + line)
