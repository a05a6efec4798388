"""A seeded arrangement for the report tests: jobs, placements across organisations, proposals
waiting for someone and open jobs of various ages, written straight into the database of
arrangement "meer" (tests/support/world.py: ermelo E, harderwijk H, zeewolde Z).

The period under test is PERIOD (1 March – 30 June 2023, 122 days). The expected figures are
worked out by hand in tests/reports/test_figures.py, from the comments here, not by the code.

Jobs (posted at noon UTC, i.e. that day in Amsterdam):
  J1 E, 2 places, posted 2023-02-10 (before the period)
  J2 H, 1 place,  posted 2023-03-05
  J3 Z, 3 places, posted 2023-04-01
  J4 E, 1 place,  posted 2023-05-20, still a draft (not offered)
  J5 E, 1 place,  posted 2023-06-01, nobody placed
Placements (agreed matches; hours and dates of the agreement in force):
  M1 H.emp → J1 (H → E) 16 h/wk 2023-02-15..2023-03-14 completed, agreed 2023-02-12
  M2 E.emp → J2 (E → H)  8 h/wk 2023-03-10..2023-12-31 active,    agreed 2023-03-09
     (a change to 12 h/wk waits for approval: the match row says 12, the agreement 8)
  M3 Z.emp → J3 (Z → Z) 20 h/wk 2023-04-07..2023-05-04 completed, agreed 2023-04-06
  M4 H.emp2 → J3 (H → Z) 10 h/wk 2023-04-14..2023-09-30 ended on 2023-05-11, agreed 2023-04-13
  M5 Z.emp2 → J1 (Z → E) 24 h/wk 2023-06-20..2023-08-31 agreed,   agreed 2023-06-15
  M7 E.emp2 → J3 (E → Z)  8 h/wk 2023-08-01..2023-10-31 agreed,   agreed 2023-07-20
Not placements: W5 (declined), and the waiting proposals below.
Open jobs today (posted N days ago, not expired): O1 E 2, O2 H 8, O3 Z 30, O4 E 31, O5 H 200;
  O6 E open but past its expiry date; O7 Z a draft.
Waiting proposals:
  W1 E.emp2 → O2 (H job), direct, proposed by the coordinator, no decision yet
  W2 Z.emp_other → O1 (E job), the employee approved
  W3 H.emp_other → O5 (H job), the employee and the lending side approved
  W4 = M2's change of terms (version 2), nobody approved it yet
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from app.matches.models import Agreement, Approval, Match
from app.pool.models import Job
from app.reports.period import Period

PERIOD = Period(date(2023, 3, 1), date(2023, 6, 30))


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0))


def _job(s, org, title, places, posted: date, status="filled", expires_on=None) -> Job:
    job = Job(
        organisation_id=org.id,
        title=title,
        description="",
        hours_per_week=16,
        start_date=posted,
        end_date=posted + timedelta(days=365),
        places=places,
        visibility="arrangement",
        status=status,
        expires_on=expires_on,
        created_at=noon(posted),
    )
    s.add(job)
    s.flush()
    return job


def _match(
    s, job, employee, borrowing, hours, start, end, status, agreed=None, created_at=None, **extra
):
    match = Match(
        job_id=job.id,
        employee_id=employee.id,
        lending_organisation_id=employee.organisation_id,
        borrowing_organisation_id=borrowing.id,
        hours_per_week=hours,
        start_date=start,
        end_date=end,
        status=status,
        agreed_at=noon(agreed) if agreed else None,
        agreed_terms_version=1 if agreed else None,
        employee_consented_at=extra.pop("employee_consented_at", noon(agreed) if agreed else None),
        created_at=noon(agreed - timedelta(days=1)) if agreed else created_at,
        **extra,
    )
    s.add(match)
    s.flush()
    if agreed:
        for party in ("employee", "lending", "borrowing"):
            s.add(Approval(match_id=match.id, party=party, decision="approve", terms_version=1))
        s.add(
            Agreement(
                match_id=match.id,
                version=1,
                terms_version=1,
                status="ready",
                terms={
                    "hours_per_week": hours,
                    "start_date": start.isoformat(),
                    "end_date": end.isoformat(),
                },
            )
        )
        s.flush()
    return match


def seed(world, in_arrangement, today: date | None = None) -> SimpleNamespace:
    today = today or date.today()
    meer = world.meer
    E, H, Z = meer.ermelo, meer.harderwijk, meer.zeewolde
    with in_arrangement(meer.arrangement.id) as s:
        j1 = _job(s, E.org, "Klus J1", 2, date(2023, 2, 10))
        j2 = _job(s, H.org, "Klus J2", 1, date(2023, 3, 5))
        j3 = _job(s, Z.org, "Klus J3", 3, date(2023, 4, 1))
        _job(s, E.org, "Klus J4", 1, date(2023, 5, 20), status="draft")
        _job(s, E.org, "Klus J5", 1, date(2023, 6, 1), status="closed")

        d = date
        _match(s, j1, H.emp, E.org, 16, d(2023, 2, 15), d(2023, 3, 14), "completed", d(2023, 2, 12))
        m2 = _match(
            s, j2, E.emp, H.org, 8, d(2023, 3, 10), d(2023, 12, 31), "active", d(2023, 3, 9)
        )
        _match(s, j3, Z.emp, Z.org, 20, d(2023, 4, 7), d(2023, 5, 4), "completed", d(2023, 4, 6))
        _match(
            s, j3, H.emp2, Z.org, 10, d(2023, 4, 14), d(2023, 9, 30), "ended", d(2023, 4, 13),
            ended_at=noon(d(2023, 5, 11)),
        )  # fmt: skip
        _match(s, j1, Z.emp2, E.org, 24, d(2023, 6, 20), d(2023, 8, 31), "agreed", d(2023, 6, 15))
        _match(s, j3, E.emp2, Z.org, 8, d(2023, 8, 1), d(2023, 10, 31), "agreed", d(2023, 7, 20))

        # M2's change of terms: 12 hours a week from now on, waiting for all three (W4).
        m2.hours_per_week = 12
        m2.terms_version = 2
        m2.updated_at = noon(today - timedelta(days=3))

        def open_job(org, title, age, **kw):
            kw.setdefault("expires_on", today + timedelta(days=10))
            return _job(s, org, title, 1, today - timedelta(days=age), status="open", **kw)

        o1 = open_job(E.org, "Open O1", 2)
        o2 = open_job(H.org, "Open O2", 8)
        open_job(Z.org, "Open O3", 30)
        open_job(E.org, "Open O4", 31)
        o5 = open_job(H.org, "Open O5", 200)
        open_job(E.org, "Open O6 verlopen", 5, expires_on=today - timedelta(days=1))
        _job(s, Z.org, "Concept O7", 1, today - timedelta(days=4), status="draft")

        since = noon(today - timedelta(days=6))
        w1 = _match(
            s, o2, E.emp2, H.org, 8, today, today + timedelta(days=90), "proposed",
            created_at=since, proposed_by_id=meer.coordinator.id,
        )  # fmt: skip
        w2 = _match(
            s, o1, Z.emp_other, E.org, 8, today, today + timedelta(days=90), "proposed",
            created_at=since, employee_consented_at=since,
        )  # fmt: skip
        w3 = _match(
            s, o5, H.emp_other, H.org, 8, today, today + timedelta(days=90), "proposed",
            created_at=since, employee_consented_at=since,
        )  # fmt: skip
        _match(
            s, o1, E.emp_other, E.org, 8, today, today + timedelta(days=90), "declined",
            created_at=since,
        )  # fmt: skip
        s.add(Approval(match_id=w2.id, party="employee", decision="approve"))
        s.add(Approval(match_id=w3.id, party="employee", decision="approve"))
        s.add(Approval(match_id=w3.id, party="lending", decision="approve"))
        s.commit()
        return SimpleNamespace(w1=w1.id, w2=w2.id, w3=w3.id, m2=m2.id, o1=o1.id)
