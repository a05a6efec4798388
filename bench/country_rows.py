"""Who is where in the country-scale data (organisations, departments and people by
arithmetic) and how rows go in: COPY into a model table, timed, table by table."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time
from array import array
from collections.abc import Callable
from typing import Any

from bench.country_config import DEPARTMENTS_PER_ORG, SKILLS_PER_ARRANGEMENT, Scale


class Layout:
    """Who is where: arrangements, organisations, departments and people, by arithmetic."""

    def __init__(self, scale: Scale):
        self.scale = scale
        n_org = scale.organisations
        # organisation o (1-based) -> arrangement
        self.org_arr = [0] * (n_org + 1)
        for o in range(1, n_org + 1):
            if o <= scale.big_organisations:
                self.org_arr[o] = 1
            else:
                self.org_arr[o] = 2 + (o - scale.big_organisations - 1) % (scale.arrangements - 1)
        self.arr_orgs: dict[int, list[int]] = {}
        for o in range(1, n_org + 1):
            self.arr_orgs.setdefault(self.org_arr[o], []).append(o)
        # people: an equal share per organisation, the remainder to the first ones
        base, extra = divmod(scale.people, n_org)
        self.org_first_user = [0] * (n_org + 2)
        first = 1
        for o in range(1, n_org + 1):
            self.org_first_user[o] = first
            first += base + (1 if o <= extra else 0)
        self.org_first_user[n_org + 1] = first
        self.user_org = array("i", [0]) * (scale.people + 1)
        for o in range(1, n_org + 1):
            for u in range(self.org_first_user[o], self.org_first_user[o + 1]):
                self.user_org[u] = o

    def users_of(self, org: int) -> range:
        return range(self.org_first_user[org], self.org_first_user[org + 1])

    # Per organisation: index 0 is HR, 1..DEPARTMENTS_PER_ORG lead department 1..n, index 6
    # (in each arrangement's first organisation) is the coordinator; the rest are employees.
    def hr_of(self, org: int) -> int:
        return self.org_first_user[org]

    def manager_of(self, org: int, dept_no: int) -> int:
        return self.org_first_user[org] + dept_no

    def coordinator_of(self, arr: int) -> int:
        return self.org_first_user[self.arr_orgs[arr][0]] + DEPARTMENTS_PER_ORG + 1

    def department_id(self, org: int, dept_no: int) -> int:
        return (org - 1) * DEPARTMENTS_PER_ORG + dept_no

    def department_of_user(self, user: int) -> int:
        org = self.user_org[user]
        k = user - self.org_first_user[org]
        if 1 <= k <= DEPARTMENTS_PER_ORG:
            return self.department_id(org, k)
        return self.department_id(org, 1 + user % DEPARTMENTS_PER_ORG)

    def employee_of(self, org: int) -> int:
        """A plain employee (no roles) of the organisation."""
        return self.org_first_user[org] + DEPARTMENTS_PER_ORG + 4

    def random_employee(self, rng: random.Random, org: int) -> int:
        lo, hi = self.org_first_user[org] + DEPARTMENTS_PER_ORG + 2, self.org_first_user[org + 1]
        return rng.randrange(lo, hi)


def email_of(user: int, org: int) -> str:
    return f"p{user}@o{org}.bench"


def _copy(cur, table, columns: list[str], rows) -> int:
    """COPY rows (tuples in `columns` order) into a model table; columns left out get their
    model default when they need one (NOT NULL without a server default)."""
    from psycopg.types.json import Json
    from sqlalchemy import JSON

    extra_cols, extra_vals = [], []
    for col in table.columns:
        if col.name in columns:
            continue
        if (
            col.nullable
            or col.server_default is not None
            or (col.autoincrement is True and col.primary_key)
        ):
            continue
        default = col.default
        if default is None or not default.is_scalar:
            raise RuntimeError(f"{table.name}.{col.name} needs a value")
        value = default.arg
        extra_cols.append(col.name)
        extra_vals.append(Json(value) if isinstance(col.type, JSON) else value)
    json_idx = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, JSON)]
    names = ", ".join(f'"{c}"' for c in [*columns, *extra_cols])
    n = 0
    extra = tuple(extra_vals)
    with cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as cp:
        for row in rows:
            if json_idx:
                row = list(row)
                for i in json_idx:
                    row[i] = Json(row[i])
            cp.write_row((*row, *extra) if extra else row)
            n += 1
    return n


JOB_STATUS = {0: "open", 1: "filled", 2: "closed", 3: "expired", 4: "draft"}


def skill_id(arr: int, k: int) -> int:
    """Skill k (0-based) of arrangement `arr`: the same list in every arrangement."""
    return (arr - 1) * SKILLS_PER_ARRANGEMENT + k + 1


@dataclasses.dataclass
class LoadContext:
    """What every table's loader needs: the cursor, the model tables, the layout and the
    generation moment; ``timed`` copies one table and logs its row count and time."""

    cur: Any
    tables: Any
    scale: Scale
    today: dt.date
    now: dt.datetime
    span_days: int
    lay: Layout
    common: Any
    log: Callable[[str], None]
    counts: dict[str, int] = dataclasses.field(default_factory=dict)

    def timed(self, name: str, fn: Callable[[], int]) -> None:
        t = time.monotonic()
        self.counts[name] = fn()
        self.log(f"    {name:20} {self.counts[name]:>10,} rows  {time.monotonic() - t:6.1f} s")
