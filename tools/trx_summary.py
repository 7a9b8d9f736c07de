"""Counts the results of every TRX file under a folder and prints 'N passed, N failed'.

Exit code 1 when any test failed or when no test ran at all (a run that tests nothing is not a pass).
"""
import glob
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def main(folder: str) -> int:
    passed = failed = skipped = 0
    for path in sorted(glob.glob(f"{folder}/**/*.trx", recursive=True)):
        counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", NS)
        if counters is None:
            continue
        p = int(counters.get("passed", 0))
        f = int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
        s = int(counters.get("notExecuted", 0))
        print(f"  {path.split('/')[-2]}: {p} passed, {f} failed, {s} skipped")
        passed, failed, skipped = passed + p, failed + f, skipped + s
        for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", NS):
            if result.get("outcome") == "Failed":
                print(f"    FAILED {result.get('testName')}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
