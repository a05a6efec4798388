"""In-process latency: percentiles of a function's calls, interleaved between variants."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from bench.base import BenchError, ServerSpec

# --------------------------------------------------------------------------------------------
# In-process latency
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class LatencyStats:
    n: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float


def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted sequence."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def latency_stats(samples_ms: Sequence[float]) -> LatencyStats:
    s = sorted(samples_ms)
    return LatencyStats(
        n=len(s),
        p50_ms=percentile(s, 50),
        p95_ms=percentile(s, 95),
        p99_ms=percentile(s, 99),
        mean_ms=statistics.fmean(s) if s else float("nan"),
        max_ms=s[-1] if s else float("nan"),
    )


def time_calls(
    fn: Callable[[str], object], inputs: Sequence[str], *, repeat: int = 1, warmup: int = 1
) -> list[float]:
    """Wall time in ms of fn(x) for each input, `repeat` passes after `warmup` untimed passes."""
    for _ in range(warmup):
        for x in inputs:
            fn(x)
    samples = []
    clock = time.perf_counter_ns
    for _ in range(repeat):
        for x in inputs:
            t0 = clock()
            fn(x)
            samples.append((clock() - t0) / 1e6)
    return samples


def measure_latency(
    fn: Callable[[str], object], inputs: Sequence[str], *, repeat: int = 3, warmup: int = 1
) -> LatencyStats:
    """In-process latency percentiles (p50/p95/p99) of fn over the inputs."""
    return latency_stats(time_calls(fn, inputs, repeat=repeat, warmup=warmup))


@contextlib.contextmanager
def applied_env(env: dict[str, str], path: Path | None = None) -> Iterator[None]:
    """Temporarily apply env vars (and put `path` first on sys.path)."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    added = path is not None and str(path) not in sys.path
    if added:
        sys.path.insert(0, str(path))
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        if added:
            with contextlib.suppress(ValueError):
                sys.path.remove(str(path))


def interleave_latency(
    reference: ServerSpec,
    ours: ServerSpec,
    *,
    rounds: int,
    repeat: int = 2,
    per_round: list | None = None,
) -> tuple[LatencyStats, LatencyStats]:
    """Time both search functions over their queries, alternating A/B per pass (one warm-up
    pass each, then rounds x repeat passes); pooled percentiles per side. With ``per_round``
    a list, (reference, ours) LatencyStats of each round are appended to it (the pairs)."""
    fns = {}
    for side, spec in (("reference", reference), ("ours", ours)):
        if spec.search is None:
            raise BenchError(f"{spec.name} has no SearchBench")
        with applied_env(spec.env, spec.chdir):
            fns[side] = spec.search.factory()
    samples: dict[str, list[float]] = {"reference": [], "ours": []}
    for side, spec in (("reference", reference), ("ours", ours)):
        time_calls(fns[side], spec.search.queries, repeat=0, warmup=1)
    for _ in range(rounds):
        this_round: dict[str, list[float]] = {"reference": [], "ours": []}
        for _ in range(repeat):  # A/B per pass over the queries
            for side, spec in (("reference", reference), ("ours", ours)):
                this_round[side] += time_calls(fns[side], spec.search.queries, repeat=1, warmup=0)
        for side in samples:
            samples[side] += this_round[side]
        if per_round is not None:
            per_round.append(
                (latency_stats(this_round["reference"]), latency_stats(this_round["ours"]))
            )
    return latency_stats(samples["reference"]), latency_stats(samples["ours"])
