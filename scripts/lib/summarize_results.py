"""Sums lit's and GoogleTest's JUnit XML reports into one closing line.

Usage: summarize_results.py RESULTS_DIR
Prints the failing test names, then "N passed, N failed, N skipped".
Exits 1 when any test failed or when no test ran at all.
"""
import os
import sys
import xml.etree.ElementTree as ET


def main(results_dir):
    passed = failed = skipped = 0
    failures = []
    reports = sorted(f for f in os.listdir(results_dir) if f.endswith(".xml"))
    for report in reports:
        path = os.path.join(results_dir, report)
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as e:
            failures.append(f"{report}: unreadable report ({e})")
            failed += 1
            continue
        for case in root.iter("testcase"):
            name = f"{case.get('classname', '')}.{case.get('name', '')}"
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
                failures.append(name)
            elif case.find("skipped") is not None or case.get("result") == "skipped" \
                    or case.get("status") == "notrun":
                skipped += 1
            else:
                passed += 1
    for f in failures:
        print(f"FAILED: {f}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
