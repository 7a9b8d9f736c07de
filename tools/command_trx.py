"""Runs a command as one test and writes its outcome as a TRX file, so tools/trx_summary.py counts it.

Usage: python3 tools/command_trx.py FOLDER TEST_NAME -- COMMAND [ARGS...]
The test passes when the command exits 0; its output is printed and kept in the TRX as the test's output.
test.sh runs the peer benchmark's CI smoke (bench/peers/run.sh --smoke) this way.
"""
import datetime
import os
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ET

NS = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    folder, name, command = argv[0], argv[1], argv[3:]
    started = time.monotonic()
    start = datetime.datetime.now(datetime.timezone.utc)
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    output = completed.stdout
    print(output, end="")
    seconds = time.monotonic() - started
    outcome = "Passed" if completed.returncode == 0 else "Failed"

    ET.register_namespace("", NS)
    run = ET.Element(f"{{{NS}}}TestRun", id=str(uuid.uuid4()), name=name)
    results = ET.SubElement(run, f"{{{NS}}}Results")
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    result = ET.SubElement(results, f"{{{NS}}}UnitTestResult", testId=str(uuid.uuid4()), testName=name,
                           outcome=outcome, startTime=start.isoformat(),
                           duration=f"{int(hours):02}:{int(minutes):02}:{secs:09.6f}")
    out = ET.SubElement(result, f"{{{NS}}}Output")
    ET.SubElement(out, f"{{{NS}}}StdOut").text = output
    if outcome == "Failed":
        info = ET.SubElement(out, f"{{{NS}}}ErrorInfo")
        ET.SubElement(info, f"{{{NS}}}Message").text = f"{' '.join(command)} exited with {completed.returncode}"
    os.makedirs(folder, exist_ok=True)
    ET.ElementTree(run).write(os.path.join(folder, f"{name}.trx"), encoding="utf-8", xml_declaration=True)
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
