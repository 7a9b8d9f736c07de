"""Merges every Cobertura report under a folder (coverlet) and prints line coverage per project of src/.

A line counts as covered when any test project's run hit it, so the Gateway's end-to-end tests count towards
Helix.Core too. Reports name files relative to their own <sources>, so each file is resolved to its absolute
path first; a source file compiled into several assemblies (the providers' linked Shared/ files) counts once, under
the project folder it lives in. The issue asks 95% on Helix.Core; this prints the figure, it does not fail the run.
"""
import collections
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET


def main(folder: str) -> None:
    lines = {}  # (absolute file, line) -> hit
    for path in glob.glob(f"{folder}/**/coverage.cobertura.xml", recursive=True):
        root = ET.parse(path).getroot()
        sources = [s.text or "" for s in root.iter("source")]
        for cls in root.iter("class"):
            name = cls.get("filename")
            absolute = name if os.path.isabs(name) else next(
                (os.path.join(s, name) for s in sources if os.path.exists(os.path.join(s, name))),
                os.path.join(sources[0] if sources else "", name))
            absolute = os.path.normpath(absolute)
            for line in cls.iter("line"):
                key = (absolute, int(line.get("number")))
                lines[key] = lines.get(key, False) or int(line.get("hits", 0)) > 0
    if not lines:
        print("no coverage reports found")
        return
    projects = collections.defaultdict(lambda: [0, 0])
    for (file, _), hit in lines.items():
        match = re.search(r"[/\\]src[/\\]([^/\\]+)[/\\]", file)
        if not match:
            continue
        projects[match.group(1)][0] += 1 if hit else 0
        projects[match.group(1)][1] += 1
    for name in sorted(projects):
        covered, total = projects[name]
        print(f"  {name}: {100.0 * covered / total:.1f}% of {total} lines ({covered} covered)")
    covered = sum(c for c, _ in projects.values())
    total = sum(t for _, t in projects.values())
    print(f"  all of src/: {100.0 * covered / total:.1f}% of {total} lines ({covered} covered)")


if __name__ == "__main__":
    main(sys.argv[1])
