"""Benchmark: rank 5,000 capacity offers against 5,000 jobs, both ways (goal: at most 2 s each).

The data is made in memory, shaped like a shared-service arrangement's pool: a vocabulary of
Dutch skill names (compound words, some with synonyms), popularity skewed (a few skills such as
"communicatie" are everywhere), 1-8 skills per job and offer, hours 4-36, periods within two
years. It runs the code the pages run (``app.matches.pool_index.RankingIndex``, the one shared
index of an arrangement): per direction, stemming the skills into concepts (cold caches),
building the index and ranking every job's best 20 offers, or every offer's best 20 jobs.
Each figure is the median wall-clock time of ``--repeat`` runs, each run's time shown; the
issue-16 goal is at most 2 s for each direction.

Run: .venv/bin/python bench/ranking.py [--jobs 5000] [--offers 5000] [--seed 7] [--repeat 3]
Exit status 1 when either direction misses its goal.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.matches import concepts, ranking
from app.matches.pool_index import RankingIndex

GOAL_SECONDS = 2.0  # per direction (issue 16)

_STEM_TEXT = (
    "beleid advies project communicatie vergunning financiën inkoop juridisch planning "
    "burgerzaken belasting subsidie archief informatie data software netwerk ruimte wonen "
    "verkeer groen water afval riolering onderwijs jeugd zorg welzijn participatie sport "
    "cultuur economie toerisme handhaving veiligheid crisis evenement personeel salaris "
    "administratie boekhouding control audit privacy security bestuur raad griffie secretariaat "
    "notulen verslag klant contact telefoon balie post facilitair schoonmaak catering bouw"
)
STEMS = _STEM_TEXT.split()
ENDINGS = (
    "",
    "beleid",
    "advisering",
    "beheer",
    "coördinatie",
    "ondersteuning",
    "ontwikkeling",
    "analyse",
    "planning",
    "uitvoering",
)
VERBS = ("", " schrijven", " organiseren", " begeleiden", " controleren", " verbeteren")


def vocabulary(rng: random.Random, size: int) -> list[tuple[str, list[str]]]:
    names: set[str] = set()
    while len(names) < size:
        names.add(rng.choice(STEMS) + rng.choice(ENDINGS) + rng.choice(VERBS))
    ordered = sorted(names)
    skills = []
    for name in ordered:
        synonyms = rng.sample(ordered, 2) if rng.random() < 0.15 else []
        skills.append((name, synonyms))
    return skills


def make_raw(rng, skills, count, weights, *, open_end_share) -> list[tuple]:
    """(skill numbers, hours, start, end) per job or offer: the data, before any stemming."""
    start0 = date(2026, 1, 1)
    raw = []
    for _ in range(count):
        picked = {rng.choices(range(len(skills)), weights)[0] for _ in range(rng.randint(1, 8))}
        start = start0 + timedelta(days=rng.randint(0, 540))
        end = None
        if rng.random() >= open_end_share:
            end = start + timedelta(days=rng.randint(30, 365))
        raw.append((sorted(picked), rng.randint(4, 36), start, end))
    return raw


def to_sides(raw, concept_sets, first_id) -> list[ranking.Side]:
    return [
        ranking.Side(
            id=first_id + number,
            skills=tuple(concept_sets[i] for i in picked),
            hours=hours,
            start=start,
            end=end,
        )
        for number, (picked, hours, start, end) in enumerate(raw)
    ]


def _figures(wall: list[float], cpu: list[float]) -> dict:
    return {
        "wall_median": round(statistics.median(wall), 3),
        "wall_max": round(max(wall), 3),
        "cpu_median": round(statistics.median(cpu), 3),
        "runs_wall": [round(t, 3) for t in wall],
    }


def timed_direction(skills, raw_jobs, raw_offers, direction: str) -> tuple[float, float, dict]:
    """Stem the skill list (cold caches), build the sides and the shared index, and rank every
    job's best offers ("jobs") or every offer's best jobs ("offers")."""
    concepts.stem_phrase.cache_clear()
    concepts.stem_word.cache_clear()
    t0, c0 = time.perf_counter(), time.process_time()
    concept_sets = [concepts.concepts(name, synonyms) for name, synonyms in skills]
    jobs = to_sides(raw_jobs, concept_sets, 1)
    offers = to_sides(raw_offers, concept_sets, 100_000)
    index = RankingIndex(jobs, offers)
    if direction == "jobs":
        result = {job.id: index.offers_for(job, 20) for job in jobs}
    else:
        result = {offer.id: index.jobs_for(offer, 20) for offer in offers}
    return time.perf_counter() - t0, time.process_time() - c0, result


def run(jobs_n: int, offers_n: int, seed: int, repeat: int, vocab: int) -> dict:
    rng = random.Random(seed)
    skills = vocabulary(rng, vocab)
    # Zipf-like popularity: a few skills are in a third of all offers, most are rare.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(skills))]
    rng.shuffle(weights)
    raw_jobs = make_raw(rng, skills, jobs_n, weights, open_end_share=0.0)
    raw_offers = make_raw(rng, skills, offers_n, weights, open_end_share=0.4)

    timings = {"jobs": ([], []), "offers": ([], [])}
    results = {}
    for _ in range(repeat):  # the two directions interleaved, so both see the same load
        for direction, (wall, cpu) in timings.items():
            seconds, cpu_seconds, results[direction] = timed_direction(
                skills, raw_jobs, raw_offers, direction
            )
            wall.append(seconds)
            cpu.append(cpu_seconds)
    forward = _figures(*timings["jobs"])
    reverse = _figures(*timings["offers"])
    for figures in (forward, reverse):
        figures["goal_s"] = GOAL_SECONDS
        figures["goal_met"] = figures["wall_median"] <= GOAL_SECONDS

    result = results["jobs"]
    first_job = min(result)
    first = result[first_job][:1]
    per_job = [len(v) for v in result.values()]
    per_offer = [len(v) for v in results["offers"].values()]
    return {
        "jobs": jobs_n,
        "offers": offers_n,
        "vocabulary": vocab,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "every_jobs_best_offers_s": forward,
        "every_offers_best_jobs_s": reverse,
        "suggestions_per_job": {"mean": round(statistics.mean(per_job), 1), "min": min(per_job)},
        "suggestions_per_offer": {
            "mean": round(statistics.mean(per_offer), 1),
            "min": min(per_offer),
        },
        "example": (
            {
                "job": first_job,
                "best_offer": first[0].offer_id,
                "score": first[0].score,
                "skills": f"{first[0].skills_matched} van {first[0].skills_total}",
            }
            if first
            else None
        ),
        "goal_s": GOAL_SECONDS,
        "goal_met": forward["goal_met"] and reverse["goal_met"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=5000)
    parser.add_argument("--offers", type=int, default=5000)
    parser.add_argument("--vocabulary", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures = run(args.jobs, args.offers, args.seed, args.repeat, args.vocabulary)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    # The goals: stemming, indexing and ranking, per direction (the median run, wall clock).
    print(f"\nranking {args.jobs:,} jobs x {args.offers:,} offers, load {figures['load_average']}")
    for label, key in (
        ("every job's best offers", "every_jobs_best_offers_s"),
        ("every offer's best jobs", "every_offers_best_jobs_s"),
    ):
        f = figures[key]
        runs = ", ".join(f"{t:.2f}" for t in f["runs_wall"])
        verdict = "OK" if f["goal_met"] else "MISSED"
        print(
            f"  {label}: median {f['wall_median']:.2f} s (runs: {runs}; CPU "
            f"{f['cpu_median']:.2f} s); goal <= {GOAL_SECONDS:.1f} s {verdict}"
        )
    return 0 if figures["goal_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
