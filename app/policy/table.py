"""THE table: who may see what, as a works council reads it.

Each :class:`Rule` row says: a person in this **role**, standing in this **relation** to the
resource (to the employee it is about, or to the job), may see the **resource** — always,
never, or only under the **setting** named in ``allowed``: a privacy setting of the employee's
*home* organisation, a job's own status and visibility, or a match's state (whether the
employee approved it yet). A role is what someone is (:mod:`app.policy.roles`): an employee,
a line manager (leidinggevende), HR (P&O) of an organisation, a coordinator of the
arrangement. Someone with two roles (a line manager who is also a coordinator) sees what either
row gives them, except where a row says otherwise.

The organisation's settings that change a row (``Organisation``, settings page "Privacy"):

- ``capacity_visibility``: who sees capacity offers — ``hr`` (HR of the home organisation
  only), ``hr_coordinators`` (and the coordinators), ``arrangement`` (and the hiring side:
  HR and line managers of every member organisation);
- ``line_manager_sees_own_staff``: whether line managers see their own staff's offers and
  responses (off by default: an employee may look around without their manager knowing).

And of the resource itself: a job's ``status`` (a draft is its posting side's) and
``visibility`` (``organisation`` or ``arrangement``); a match's ``employee_approved`` (the
employee decides first: before that a proposal is between the employee and the proposer).

The table is plain data: the code that applies it is :mod:`app.policy.clauses` (SQL for lists,
searches, counts, and — with ``id = :id`` — for one object, the e-mails and notifications), and
``tests/policy/test_policy_table*.py`` walk every row for every setting through the lists, the
pages, the API, the counts and the e-mails. A new row is tested the moment it is written here.
"""

from __future__ import annotations

from dataclasses import dataclass

#: ``allowed`` values besides "always" and "never": the settings (field, values that allow)
#: that must all hold.
CONDITIONS: dict[str, tuple[tuple[str, frozenset], ...]] = {
    "when capacity_visibility is arrangement": (
        ("capacity_visibility", frozenset({"arrangement"})),
    ),
    "when capacity_visibility is hr_coordinators or arrangement": (
        ("capacity_visibility", frozenset({"hr_coordinators", "arrangement"})),
    ),
    "when line_manager_sees_own_staff is on": (("line_manager_sees_own_staff", frozenset({True})),),
    "when the job is published": (("job_status", frozenset({"open"})),),
    "when the job is published with visibility arrangement": (
        ("job_status", frozenset({"open"})),
        ("job_visibility", frozenset({"arrangement"})),
    ),
    "when the employee has approved": (("employee_approved", frozenset({True})),),
}

OFFER = "capacity offer"
RESPONSE = "response to a job"
JOB = "job"
MATCH = "match (a proposal to place the employee on a job)"

#: The settings each resource's rows depend on, with their possible values.
SETTINGS: dict[str, dict[str, tuple]] = {
    OFFER: {
        "capacity_visibility": ("hr", "hr_coordinators", "arrangement"),
        "line_manager_sees_own_staff": (False, True),
    },
    RESPONSE: {"line_manager_sees_own_staff": (False, True)},
    JOB: {"job_status": ("draft", "open"), "job_visibility": ("organisation", "arrangement")},
    MATCH: {"employee_approved": (False, True)},
}


@dataclass(frozen=True)
class Rule:
    """One row: ``role`` in ``relation`` to a ``resource`` may see it: ``allowed``."""

    resource: str
    role: str
    relation: str
    allowed: str  # "always", "never", or a key of CONDITIONS
    why: str = ""

    def allows(self, settings: dict) -> bool:
        """The row's answer under these settings of the employee's home organisation."""
        if self.allowed in ("always", "never"):
            return self.allowed == "always"
        return all(settings[field] in values for field, values in CONDITIONS[self.allowed])


RULES: tuple[Rule, ...] = (
    # --- an employee's capacity offer (open) -------------------------------------------------
    Rule(OFFER, "employee", "their own", "always"),
    Rule(OFFER, "employee", "a colleague's in the same team", "never"),
    Rule(
        OFFER,
        "line manager",
        "of the employee (own staff)",
        "when line_manager_sees_own_staff is on",
        "looking around must not be seen by one's own manager unless the organisation says so",
    ),
    Rule(
        OFFER,
        "line manager",
        "of another department of the same organisation",
        "when capacity_visibility is arrangement",
    ),
    Rule(
        OFFER,
        "line manager",
        "of another organisation of the arrangement",
        "when capacity_visibility is arrangement",
    ),
    Rule(OFFER, "HR", "of the employee's own organisation", "always"),
    Rule(
        OFFER,
        "HR",
        "of another organisation of the arrangement",
        "when capacity_visibility is arrangement",
    ),
    Rule(
        OFFER,
        "coordinator",
        "of the arrangement",
        "when capacity_visibility is hr_coordinators or arrangement",
    ),
    Rule(OFFER, "anyone", "of another arrangement", "never", "the arrangement is a wall"),
    # --- an employee's response to a job of another organisation --------------------------------
    Rule(RESPONSE, "employee", "their own", "always"),
    Rule(RESPONSE, "employee", "a colleague's in the same team", "never"),
    Rule(
        RESPONSE,
        "line manager",
        "of the employee (own staff)",
        "when line_manager_sees_own_staff is on",
    ),
    Rule(RESPONSE, "line manager", "of another department of the same organisation", "never"),
    Rule(RESPONSE, "line manager", "of another organisation of the arrangement", "never"),
    Rule(
        RESPONSE,
        "line manager",
        "of the job's department, who posted it (posting side)",
        "always",
        "the employee chose to respond to that job",
    ),
    Rule(RESPONSE, "line manager", "of another department of the job's organisation", "never"),
    Rule(RESPONSE, "HR", "of the employee's own organisation", "always"),
    Rule(RESPONSE, "HR", "of the job's organisation (posting side)", "always"),
    Rule(RESPONSE, "HR", "of a third organisation of the arrangement", "never"),
    Rule(RESPONSE, "coordinator", "of the arrangement", "always"),
    Rule(RESPONSE, "anyone", "of another arrangement", "never", "the arrangement is a wall"),
    # --- a job of a department of one organisation ---------------------------------------------
    Rule(JOB, "line manager", "of the job's department, who posted it (posting side)", "always"),
    Rule(JOB, "HR", "of the job's organisation (posting side)", "always"),
    Rule(
        JOB,
        "line manager",
        "of another department of the job's organisation",
        "when the job is published",
    ),
    Rule(JOB, "employee", "of the job's organisation", "when the job is published"),
    Rule(
        JOB,
        "employee",
        "of another organisation of the arrangement",
        "when the job is published with visibility arrangement",
    ),
    Rule(
        JOB,
        "line manager",
        "of another organisation of the arrangement",
        "when the job is published with visibility arrangement",
    ),
    Rule(
        JOB,
        "HR",
        "of another organisation of the arrangement",
        "when the job is published with visibility arrangement",
    ),
    Rule(
        JOB,
        "coordinator",
        "of the arrangement, member of another organisation",
        "when the job is published with visibility arrangement",
    ),
    Rule(JOB, "anyone", "of another arrangement", "never", "the arrangement is a wall"),
    # --- a match: the employee proposed, by HR of the job's organisation, for a job there ------
    Rule(MATCH, "employee", "their own", "always"),
    Rule(MATCH, "HR", "of the job's organisation, who proposed it", "always"),
    Rule(
        MATCH,
        "line manager",
        "of the employee (own staff, the lending side)",
        "when the employee has approved",
        "a proposal the employee may still decline quietly is between them and the proposer",
    ),
    Rule(
        MATCH,
        "HR",
        "of the employee's own organisation (lending side)",
        "when the employee has approved",
    ),
    Rule(
        MATCH,
        "line manager",
        "of the job's department, who posted it (borrowing side)",
        "when the employee has approved",
    ),
    Rule(MATCH, "coordinator", "of the arrangement", "when the employee has approved"),
    Rule(MATCH, "employee", "a colleague's in the same team", "never"),
    Rule(MATCH, "line manager", "of another department of the same organisation", "never"),
    Rule(MATCH, "line manager", "of another department of the job's organisation", "never"),
    Rule(MATCH, "HR", "of a third organisation of the arrangement", "never"),
    Rule(MATCH, "anyone", "of another arrangement", "never", "the arrangement is a wall"),
)


def rows(resource: str | None = None) -> tuple[Rule, ...]:
    return tuple(r for r in RULES if resource is None or r.resource == resource)
