"""Merges every Cobertura report under a folder (coverlet) and prints line coverage per Helix assembly.

A line counts as covered when any test project's run hit it, so the Gateway's end-to-end tests count towards
Helix.Core too. The issue asks 95% on Helix.Core; this prints the figure, it does not fail the run.
"""
import collections
import glob
import sys
import xml.etree.ElementTree as ET


def main(folder: str) -> None:
    lines = collections.defaultdict(dict)  # package -> {(file, line): hit}
    for path in glob.glob(f"{folder}/**/coverage.cobertura.xml", recursive=True):
        root = ET.parse(path).getroot()
        for package in root.iter("package"):
            name = package.get("name")
            bucket = lines[name]
            for cls in package.iter("class"):
                filename = cls.get("filename")
                for line in cls.iter("line"):
                    key = (filename, int(line.get("number")))
                    bucket[key] = bucket.get(key, False) or int(line.get("hits", 0)) > 0
    if not lines:
        print("no coverage reports found")
        return
    for name in sorted(lines):
        if not name.startswith("Helix."):
            continue
        bucket = lines[name]
        covered = sum(1 for hit in bucket.values() if hit)
        print(f"  {name}: {100.0 * covered / len(bucket):.1f}% of {len(bucket)} lines")


if __name__ == "__main__":
    main(sys.argv[1])
