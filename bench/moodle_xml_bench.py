"""Benchmark of Moodle XML reading and writing, without a database.

    .venv/bin/python bench/moodle_xml_bench.py [--copies 143] [--runs 5]

Writes the Moodle-style sample (tests/quizzes/fixtures/moodle_sample.xml, seven questions of every
type) `--copies` times over as one file (143 copies: 1,001 questions, about 1 MB), then times reading
it back (parse, validate every spec) and writing it, best and median of `--runs`, and how long a
10,000-deep file takes to be refused. Prints the machine and its load average first.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(action, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=143)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from quizzes.domain.moodle_xml_reading import MoodleXmlError, parse_moodle_xml
    from quizzes.domain.moodle_xml_writing import write_moodle_xml

    sample = parse_moodle_xml((ROOT / "tests/quizzes/fixtures/moodle_sample.xml").read_text(encoding="utf-8"))
    specs = [question.spec for question in sample] * args.copies
    xml = write_moodle_xml(specs)
    deep = "<quiz>" + "<a>" * 10_000 + "</a>" * 10_000 + "</quiz>"

    def refuse_deep() -> None:
        try:
            parse_moodle_xml(deep)
        except MoodleXmlError:
            return
        raise AssertionError("a 10,000-deep file was read")

    figures = {"questions": len(specs), "megabytes": round(len(xml.encode()) / 1e6, 2),
               "read_ms": timed(lambda: parse_moodle_xml(xml), args.runs),
               "write_ms": timed(lambda: write_moodle_xml(specs), args.runs),
               "refuse_deep_ms": timed(refuse_deep, args.runs)}
    print(f"{platform.node()} · {platform.machine()} · Python {platform.python_version()} · "
          f"load average {os.getloadavg()[0]:.1f} · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"\n{figures['questions']} questions, {figures['megabytes']} MB\n")
    print("| step | best (ms) | median (ms) |\n| --- | --- | --- |")
    for step in ("read_ms", "write_ms", "refuse_deep_ms"):
        print(f"| {step[:-3].replace('_', ' ')} | {min(figures[step]):.1f} | {statistics.median(figures[step]):.1f} |")
    print("\n" + json.dumps(figures))


if __name__ == "__main__":
    main()
