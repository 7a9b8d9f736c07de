"""Counts the results of every TRX file under a folder and prints 'N passed, N failed, N skipped'.

Outcomes are read per test, and each failure is printed with the first lines of its message (the TRX counters do not report skipped xUnit v3 tests). Exit code 1 when any test
failed or when no test ran at all (a run that tests nothing is not a pass).
"""
import glob
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
FAILED = {"Failed", "Error", "Timeout", "Aborted"}


def main(folder: str) -> int:
    passed = failed = skipped = 0
    for path in sorted(glob.glob(f"{folder}/**/*.trx", recursive=True)):
        p = f = s = 0
        failures = []
        for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", NS):
            outcome = result.get("outcome")
            if outcome == "Passed":
                p += 1
            elif outcome in FAILED:
                f += 1
                message = result.find("t:Output/t:ErrorInfo/t:Message", NS)
                failures.append((result.get("testName"), message.text if message is not None and message.text else ""))
            else:
                s += 1
        print(f"  {path.split('/')[-2]}: {p} passed, {f} failed, {s} skipped")
        for name, message in failures:
            print(f"    FAILED {name}")
            # The first lines of the failure, so a run whose files are gone (a CI log) still says why.
            for line in message.strip().splitlines()[:6]:
                print(f"      {line[:200]}")
        passed, failed, skipped = passed + p, failed + f, skipped + s
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
