"""Benchmark: our agreement PDF against the bare WeasyPrint reference, side by side in one run.

(a) the reference: the 2-page contract of shared/perf-reference/weasy_bench.py (imported from
    there, rendered exactly as it does: `weasyprint.HTML(string=html).write_pdf()`);
(b) ours: `render_agreement_pdf(example_context())` - PDF/A-2b, tagged PDF/UA-1;
and, to show what the archival/accessible output costs,
(c) ours as a plain untagged PDF (`archival=False`), and
(d) ours as PDF/A + tags with pydyf's own stream compression (every stream compressed twice at
    zlib level 9, because PDF/A's file identifier serialises every object again).

Each round is a fresh process that renders N interleaved sets (the order rotates), so machine
noise hits all alike; each round gives one ratio ("pairs"), the verdict uses the median of the
rounds. Goals (issue 16): median ours/reference <= 1.3 per document and <= 1.2 per page.
Cold start (import + first render, with and without `warm_up()`) is measured in fresh processes.

Run: .venv/bin/python bench/agreement_pdf.py [--rounds 3] [--n 20] [--cold-runs 3]
     .venv/bin/python bench/agreement_pdf.py --quick     (1 round of 6, no cold start)
Exit status 1 when a goal is missed.
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
GOAL_DOCUMENT = 1.3
GOAL_PAGE = 1.2
MODES = ("reference", "ours", "ours_plain", "ours_double_compress")
LABELS = {
    "reference": "reference (bare WeasyPrint)",
    "ours": "ours (PDF/A-2b + PDF/UA-1)",
    "ours_plain": "ours, plain untagged PDF",
    "ours_double_compress": "ours, PDF/A + tags, pydyf compression",
}


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


def renderers(reference: Path) -> dict:
    """The four renders, each a function of no arguments returning PDF bytes."""
    import weasyprint

    from app.matches import pdf
    from app.matches.pdf import context as agreement_context
    from app.matches.pdf import render

    html = load_reference(reference).contract_html()
    example = pdf.example_context()

    def plain() -> bytes:
        prepared, data_uris = agreement_context.prepare(example)
        source = agreement_context.jinja_template(None).render(prepared)
        return render.html_to_pdf(source, data_uris, archival=False)

    def double_compress() -> bytes:
        optimised = render._serialise_once
        render._serialise_once = lambda base: None  # pydyf's Stream.data as it comes
        try:
            return pdf.render_agreement_pdf(example)
        finally:
            render._serialise_once = optimised

    return {
        "reference": lambda: weasyprint.HTML(string=html).write_pdf(),
        "ours": lambda: pdf.render_agreement_pdf(example),
        "ours_plain": plain,
        "ours_double_compress": double_compress,
    }


def one_round(n: int, reference: Path) -> dict:
    """One fresh process: warm every render, then n interleaved sets (rotating order)."""
    quiet()
    sys.path.insert(0, str(REPO))
    import pypdf

    from app.matches import pdf

    pdf.warm_up()
    renders = renderers(reference)
    outputs = {name: render() for name, render in renders.items()}  # warm each path
    wall: dict[str, list[float]] = {name: [] for name in renders}
    cpu: dict[str, list[float]] = {name: [] for name in renders}
    names = list(renders)
    for i in range(n):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            started, started_cpu = time.perf_counter(), time.process_time()
            outputs[name] = renders[name]()
            wall[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - started_cpu)
    return {
        name: {
            "median_ms": ms(statistics.median(wall[name])),
            "cpu_median_ms": ms(statistics.median(cpu[name])),
            "pages": len(pypdf.PdfReader(io.BytesIO(outputs[name])).pages),
            "pdf_kb": round(len(outputs[name]) / 1024, 1),
        }
        for name in renders
    }


def cold(mode: str, reference: Path) -> dict:
    """One fresh process: import (weasyprint, and our package with the app it sits in), first
    render, second render, and `warm_up()` before them when asked."""
    quiet()
    sys.path.insert(0, str(REPO))
    result = {}
    started = time.perf_counter()
    import weasyprint  # counted in import_ms for every mode

    if mode == "reference":
        html = load_reference(reference).contract_html()

        def render():
            return weasyprint.HTML(string=html).write_pdf()
    else:
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


def spawn(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def verdict(value: float, goal: float) -> str:
    return "OK" if value <= goal else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes (default 3)")
    parser.add_argument("--n", type=int, default=20, help="interleaved sets per round")
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh processes per mode")
    parser.add_argument("--quick", action="store_true", help="1 round of 6, no cold start")
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--round", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cold", choices=["reference", "ours", "ours+warm_up"], help="internal")
    args = parser.parse_args()
    if args.round:
        print(json.dumps(one_round(args.n, args.reference)))
        return 0
    if args.cold:
        print(json.dumps(cold(args.cold, args.reference)))
        return 0
    if args.quick:
        args.rounds, args.n, args.cold_runs = 1, 6, 0

    import pydyf
    import weasyprint
    from weasyprint.text import ffi

    print(f"WeasyPrint {weasyprint.__version__}, pydyf {pydyf.__version__}, Python "
          f"{sys.version.split()[0]}, {os.cpu_count()} CPUs")  # fmt: skip
    print(f"reference: {args.reference}")
    if getattr(ffi, "harfbuzz_subset", None) is None:
        print("note: HarfBuzz-subset library absent, WeasyPrint subsets fonts with fontTools")
    print(f"before: {uptime()}")

    print(f"\nWarm renders: {args.rounds} round(s), each a fresh process of {args.n} "
          "interleaved sets")  # fmt: skip
    rounds = []
    for number in range(1, args.rounds + 1):
        result = spawn("--round", "--n", str(args.n), "--reference", str(args.reference))
        rounds.append(result)
        ref, ours = result["reference"], result["ours"]
        print(
            f"  round {number}: "
            + ", ".join(f"{name} {result[name]['median_ms']:.0f} ms" for name in MODES)
            + f" -> ours/reference {ours['median_ms'] / ref['median_ms']:.2f}x"
            + f" (CPU {ours['cpu_median_ms'] / ref['cpu_median_ms']:.2f}x)"
        )
    print(f"  {'':40} {'median':>9} {'CPU med':>9} {'pages':>6} {'PDF':>9}   (median of rounds)")
    summary = {}
    for name in MODES:
        row = {key: statistics.median(r[name][key] for r in rounds) for key in rounds[0][name]}
        summary[name] = row
        print(
            f"  {LABELS[name]:40} {row['median_ms']:>6.1f} ms {row['cpu_median_ms']:>6.1f} ms "
            f"{row['pages']:>6.0f} {row['pdf_kb']:>6.1f} kB"
        )

    def ratios(key: str, per_page: bool = False, of: str = "ours", to: str = "reference"):
        values = []
        for r in rounds:
            mine, base = r[of][key], r[to][key]
            if per_page:
                mine, base = mine / r[of]["pages"], base / r[to]["pages"]
            values.append(mine / base)
        return statistics.median(values), values

    print("\nGoals (median of the rounds; the rounds' ratios in brackets):")
    failed = False
    for label, per_page, goal in (
        ("per document", False, GOAL_DOCUMENT),
        ("per page", True, GOAL_PAGE),
    ):
        value, values = ratios("median_ms", per_page)
        cpu, _ = ratios("cpu_median_ms", per_page)
        failed |= value > goal
        print(
            f"  ours/reference {label:12}: {value:.2f}x "
            f"({' '.join(f'{v:.2f}' for v in values)}), CPU {cpu:.2f}x; "
            f"goal <= {goal}x: {verdict(value, goal)}"
        )
    print("\nWhat the archival, accessible output costs (ours against ours):")
    for other, text in (
        ("ours_plain", "PDF/A-2b + tags + PDF/UA-1 vs a plain untagged PDF"),
        ("ours_double_compress", "our stream finisher vs pydyf's double level-9 compression"),
    ):
        value, values = ratios("median_ms", of="ours", to=other)
        cpu, _ = ratios("cpu_median_ms", of="ours", to=other)
        delta = summary["ours"]["median_ms"] - summary[other]["median_ms"]
        print(
            f"  {text}: {value:.2f}x ({' '.join(f'{v:.2f}' for v in values)}), "
            f"CPU {cpu:.2f}x, {delta:+.0f} ms"
        )

    if args.cold_runs:
        print(f"\nCold start, fresh processes (median of {args.cold_runs}):")
        for mode in ("reference", "ours", "ours+warm_up"):
            runs = [
                spawn("--cold", mode, "--reference", str(args.reference))
                for _ in range(args.cold_runs)
            ]
            row = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            parts = [f"import {row['import_ms']:.0f} ms"]
            if "warm_up_ms" in row:
                parts.append(f"warm_up() {row['warm_up_ms']:.0f} ms")
            parts += [
                f"first render {row['first_render_ms']:.0f} ms",
                f"second render {row['second_render_ms']:.0f} ms",
            ]
            print(f"  {mode:13} " + ", ".join(parts))
        print("  -> the worker calls warm_up() once at start, so no agreement pays the import,")
        print("     the font set-up and the first-render cost.")
    print(f"\nafter: {uptime()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
