"""Benchmark: our agreement PDF against the bare WeasyPrint reference, side by side.

(a) the reference: the 2-page contract of shared/perf-reference/weasy_bench.py (imported from
    there, rendered exactly as it does: `weasyprint.HTML(string=html).write_pdf()`);
(b) ours: `render_agreement_pdf(example_context())`.
Warm renders are interleaved in one process (N each, alternating which goes first) so machine
noise hits both alike; cold start (import + first render, with and without `warm_up()`) is
measured in fresh processes. Goal: median ours/reference <= 1.3.

Run: .venv/bin/python bench/agreement_pdf.py [--n 20] [--cold-runs 3] [--reference PATH]
Exit status 1 when the goal is missed.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import logging
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO.parent / "shared" / "perf-reference" / "weasy_bench.py"
GOAL = 1.3


def quiet() -> None:
    # WeasyPrint warns on every render when HarfBuzz-subset is missing; reported once below.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="HarfBuzz-Subset will be required")


def load_reference(path: Path):
    spec = importlib.util.spec_from_file_location("weasy_bench_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def cold(mode: str, reference: Path) -> dict:
    """One fresh process: import (weasyprint, and our module with the app package it sits in),
    first render, second render, and `warm_up()` before them when asked."""
    quiet()
    sys.path.insert(0, str(REPO))
    result = {}
    started = time.perf_counter()
    if mode == "reference":
        import weasyprint

        html = load_reference(reference).contract_html()

        def render():
            return weasyprint.HTML(string=html).write_pdf()
    else:
        import weasyprint  # counted in import_ms, as for the reference

        from app.matches import pdf

        context = pdf.example_context()

        def render():
            return pdf.render_agreement_pdf(context)

    result["import_ms"] = ms(time.perf_counter() - started)
    if mode == "ours+warm_up":
        result["warm_up_ms"] = ms(pdf.warm_up())
    for key in ("first_render_ms", "second_render_ms"):
        started = time.perf_counter()
        render()
        result[key] = ms(time.perf_counter() - started)
    return result


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def warm(n: int, reference: Path) -> dict:
    quiet()
    sys.path.insert(0, str(REPO))
    import pypdf
    import weasyprint

    from app.matches import pdf

    html = load_reference(reference).contract_html()
    context = pdf.example_context()
    renders = {
        "reference": lambda: weasyprint.HTML(string=html).write_pdf(),
        "ours": lambda: pdf.render_agreement_pdf(context),
    }
    pdf.warm_up()
    outputs = {name: render() for name, render in renders.items()}  # warm both paths
    times: dict[str, list[float]] = {name: [] for name in renders}
    cpu: dict[str, list[float]] = {name: [] for name in renders}
    for i in range(n):
        order = list(renders) if i % 2 == 0 else list(reversed(renders))
        for name in order:
            started, started_cpu = time.perf_counter(), time.process_time()
            outputs[name] = renders[name]()
            times[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - started_cpu)
    summary = {}
    for name, values in times.items():
        reader = pypdf.PdfReader(io.BytesIO(outputs[name]))
        summary[name] = {
            "median_ms": ms(statistics.median(values)),
            "p90_ms": ms(percentile(values, 0.9)),
            "min_ms": ms(min(values)),
            "cpu_median_ms": ms(statistics.median(cpu[name])),
            "pages": len(reader.pages),
            "pdf_kb": round(len(outputs[name]) / 1024, 1),
        }
    return summary


def spawn(mode: str, reference: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--cold", mode, "--reference", str(reference)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="warm renders of each (default 20)")
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh processes per mode")
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--cold", choices=["reference", "ours", "ours+warm_up"], help="internal")
    args = parser.parse_args()
    if args.cold:
        print(json.dumps(cold(args.cold, args.reference)))
        return 0

    import weasyprint
    from weasyprint.text import ffi

    print(f"WeasyPrint {weasyprint.__version__}, Python {sys.version.split()[0]}")
    print(f"reference: {args.reference}")
    if getattr(ffi, "harfbuzz_subset", None) is None:
        print("note: HarfBuzz-subset library absent, WeasyPrint subsets fonts with fontTools")

    print(f"\nWarm, one process, {args.n} renders each, interleaved:")
    summary = warm(args.n, args.reference)
    print(f"  {'':10} {'median':>9} {'p90':>9} {'min':>9} {'CPU med':>9} {'pages':>6} {'PDF':>9}")
    for name, row in summary.items():
        print(
            f"  {name:10} {row['median_ms']:>6.1f} ms {row['p90_ms']:>6.1f} ms "
            f"{row['min_ms']:>6.1f} ms {row['cpu_median_ms']:>6.1f} ms {row['pages']:>6} "
            f"{row['pdf_kb']:>6.1f} kB"
        )
    ours, ref = summary["ours"], summary["reference"]
    ratio = ours["median_ms"] / ref["median_ms"]
    verdict = "OK" if ratio <= GOAL else "TOO SLOW"
    print(
        f"  ours/reference: median {ratio:.2f}x, p90 {ours['p90_ms'] / ref['p90_ms']:.2f}x, "
        f"min {ours['min_ms'] / ref['min_ms']:.2f}x, "
        f"CPU median {ours['cpu_median_ms'] / ref['cpu_median_ms']:.2f}x "
        f"(goal: median <= {GOAL}x: {verdict})"
    )
    per_page = (ours["median_ms"] / ours["pages"]) / (ref["median_ms"] / ref["pages"])
    print(f"  per page: ours/reference {per_page:.2f}x")
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1):
        print(f"  note: load average {load:.1f} on {os.cpu_count()} CPUs: a shared, busy machine")

    print(f"\nCold start, fresh processes (median of {args.cold_runs}):")
    modes = ("reference", "ours", "ours+warm_up")
    cold_runs = {
        mode: [spawn(mode, args.reference) for _ in range(args.cold_runs)] for mode in modes
    }
    for mode, runs in cold_runs.items():
        row = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        parts = [f"import {row['import_ms']:.0f} ms"]
        if "warm_up_ms" in row:
            parts.append(f"warm_up() {row['warm_up_ms']:.0f} ms")
        parts += [
            f"first render {row['first_render_ms']:.0f} ms",
            f"second render {row['second_render_ms']:.0f} ms",
        ]
        print(f"  {mode:13} " + ", ".join(parts))
    print(
        "  -> the worker calls warm_up() once at start, so no agreement pays the import, the "
        "font set-up and the first-render cost."
    )
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
