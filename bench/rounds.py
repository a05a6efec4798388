"""Interleaved A/B rounds (ours, the reference, ours, ...): medians and the ratio per page."""

from __future__ import annotations

import contextlib
import dataclasses
import statistics
from collections.abc import Sequence

from bench.base import CONNECTIONS, ServerSpec, log
from bench.prepare import cpu_busy_pct, wait_for_quiet
from bench.server import preflight, start_server
from bench.wrk import WrkResult, run_page

# --------------------------------------------------------------------------------------------
# Interleaved A/B rounds
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Comparison:
    """Compare ours.pages[ours_page] against reference.pages[ref_page] under `label`.

    goal_ratio: minimum ours/reference req/s. unloaded: also pair 1-connection runs of both
    pages (unloaded latency, p50/p95)."""

    label: str
    ref_page: str
    ours_page: str
    goal_ratio: float | None = None
    unloaded: bool = False


@dataclasses.dataclass
class ComparisonResult:
    label: str
    ref_rps: float  # median over rounds
    ours_rps: float
    ratio: float  # ours median / reference median
    pair_ratios: list[float]  # ours/reference of each back-to-back pair (one per round)
    goal_ratio: float | None
    ref_runs: list[WrkResult]
    ours_runs: list[WrkResult]
    ref_unloaded: list[WrkResult]  # 1-connection runs, if Comparison.unloaded
    ours_unloaded: list[WrkResult]

    @property
    def meets_goal(self) -> bool | None:
        return None if self.goal_ratio is None else self.ratio >= self.goal_ratio


# label (label + "@c1" for unloaded runs) -> {"reference": [runs], "ours": [runs]}
Runs = dict[str, dict[str, list[WrkResult]]]


def interleave(
    reference: ServerSpec,
    ours: ServerSpec,
    comparisons: Sequence[Comparison],
    *,
    rounds: int,
    duration: float,
    warmup: float = 2.0,
    connections: int = CONNECTIONS,
    unloaded_duration: float | None = None,
    tag: str = "",
    db_pid: int | None = None,
    quiet_wait: float = 0.0,
) -> Runs:
    """Interleaved A/B rounds, reference (A) against ours (B).

    Each round starts a fresh gunicorn for both apps side by side (an idle sync server costs no
    CPU), logs in, checks every page answers 200 and warms every page up; then, per comparison,
    it loads the reference page and right after it our page: A/B/A/B. Ratios come from these
    back-to-back pairs, so the shared machine's drift hits both sides alike. db_pid: the
    PostgreSQL postmaster, to report DB CPU per request (see pg_postmaster_pid). quiet_wait:
    before each round wait up to that many seconds for other load to go (wait_for_quiet).
    """
    unloaded_duration = unloaded_duration or max(2.0, duration / 2)
    runs: Runs = {}
    sides = (("reference", reference), ("ours", ours))
    page_of = {"reference": "ref_page", "ours": "ours_page"}
    for rnd in range(1, rounds + 1):
        busy = wait_for_quiet(quiet_wait) if quiet_wait > 0 else cpu_busy_pct(0.5)
        if busy is not None:
            log(f"  round {rnd}: other load before the round {busy:.0f} % CPU")
        with contextlib.ExitStack() as stack:
            servers, cookies = {}, {}
            for side, spec in sides:
                servers[side] = stack.enter_context(start_server(spec, tag=f"{tag}_{side}"))
                cookies[side] = spec.login(servers[side].base_url) if spec.login else None
            for side, _spec in sides:
                keys = dict.fromkeys(getattr(c, page_of[side]) for c in comparisons)
                for key in keys:
                    preflight(servers[side], key, cookies[side])
                    if warmup > 0:
                        run_page(servers[side], key, warmup, cookie=cookies[side])
            for c in comparisons:
                plan = [(c.label, connections, duration)]
                if c.unloaded:
                    plan.append((c.label + "@c1", 1, unloaded_duration))
                for label, conns, secs in plan:
                    for side, _spec in sides:
                        key = getattr(c, page_of[side])
                        r = run_page(
                            servers[side], key, secs, cookie=cookies[side], connections=conns,
                            db_pid=db_pid,
                        )  # fmt: skip
                        r.other_load_pct = busy
                        runs.setdefault(label, {}).setdefault(side, []).append(r)
                        log(f"  round {rnd} {label:12} {side:9} {key:8} c{conns}: {fmt_run(r)}")
    return runs


def compare(runs: Runs, comparisons: Sequence[Comparison]) -> list[ComparisonResult]:
    """Medians per side and the ratio ours/reference per comparison."""
    out = []
    for c in comparisons:
        ref, ours = runs[c.label]["reference"], runs[c.label]["ours"]
        ref_med = statistics.median(r.rps for r in ref)
        ours_med = statistics.median(r.rps for r in ours)
        c1 = runs.get(c.label + "@c1", {})
        out.append(
            ComparisonResult(
                label=c.label,
                ref_rps=ref_med,
                ours_rps=ours_med,
                ratio=ours_med / ref_med if ref_med else float("nan"),
                pair_ratios=[o.rps / r.rps for r, o in zip(ref, ours, strict=True) if r.rps],
                goal_ratio=c.goal_ratio,
                ref_runs=ref,
                ours_runs=ours,
                ref_unloaded=c1.get("reference", []),
                ours_unloaded=c1.get("ours", []),
            )
        )
    return out


def med_range(values: Sequence[float], nd: int = 0) -> str:
    vals = [v for v in values if v == v]  # drop NaN
    if not vals:
        return "-"
    return f"{statistics.median(vals):,.{nd}f} ({min(vals):,.{nd}f}-{max(vals):,.{nd}f})"


def fmt_run(r: WrkResult) -> str:
    s = (
        f"{r.rps:,.0f} req/s, p50 {r.p50_ms:.2f} p90 {r.p90_ms:.2f} p95 {r.p95_ms:.2f} "
        f"p99 {r.p99_ms:.2f} ms"
    )
    if r.server_cpu_ms_per_req is not None:
        s += f", srv CPU {r.server_cpu_ms_per_req:.2f} ms/req"
    if r.db_cpu_ms_per_req is not None:
        s += f", db CPU {r.db_cpu_ms_per_req:.2f} ms/req"
    if r.non2xx or r.socket_errors:
        s += f", NON-2xx {r.non2xx}, socket errors {r.socket_errors}"
    return s


def summarize_runs(runs: Sequence[WrkResult]) -> dict[str, str]:
    """Median (min-max) strings of the main figures of several runs."""

    def med(attr: str) -> str:
        vals = [getattr(r, attr) for r in runs]
        vals = [v for v in vals if v is not None and v == v]  # drop None and NaN
        return f"{statistics.median(vals):.2f}" if vals else "-"

    return {
        "rps": med_range([r.rps for r in runs]),
        "p50": med("p50_ms"),
        "p90": med("p90_ms"),
        "p95": med("p95_ms"),
        "p99": med("p99_ms"),
        "cpu": med("server_cpu_ms_per_req"),
        "db": med("db_cpu_ms_per_req"),
        "errors": str(sum(r.non2xx + r.socket_errors for r in runs)),
    }
