"""start page indexes (issue 15): decisions waiting and a line manager's jobs at country scale

Revision ID: e2c9d4f6a8b1
Revises: d5b8e3a1f7c2
Create Date: 2026-12-03 14:15:00

The start page's "your decision is needed" (access.decision_waiting_clause) for a line manager
of a 40-organisation arrangement read every visible match of the arrangement (~1,000 rows, 600
heap pages) and every approval of the arrangement twice (~17,000 rows each, into hash tables):
~50 ms. Now:

- ix_matches_awaiting_decision: a partial index of the matches open for a decision (a proposal,
  or changed terms waiting; ~600 of the arrangement's ~6,400);
- ix_match_approvals_party: (arrangement, party, decision, match, terms version), so "which
  matches did this party decide on" is an index-only scan (~6,000 entries, ~40 pages);
- ix_jobs_poster_arrangement, ix_jobs_department_arrangement: "the jobs a person posted" and "the
  jobs of a department" with the arrangement every scoped query adds (PostgreSQL ANDed the
  arrangement's 117,000-entry index otherwise, as ix_jobs_organisation_arrangement fixed for
  organisations).
"""

import sqlalchemy as sa
from alembic import op

revision = "e2c9d4f6a8b1"
down_revision = "d5b8e3a1f7c2"
branch_labels = None
depends_on = None

AWAITING_DECISION = (
    "status = 'proposed' OR (status IN ('agreed', 'active') "
    "AND agreed_terms_version IS NOT NULL AND terms_version <> agreed_terms_version)"
)


def upgrade():
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.create_index(
            "ix_matches_awaiting_decision",
            ["arrangement_id", "id"],
            unique=False,
            postgresql_where=sa.text(AWAITING_DECISION),
            sqlite_where=sa.text(AWAITING_DECISION),
        )
    with op.batch_alter_table("match_approvals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_match_approvals_party",
            ["arrangement_id", "party", "decision", "match_id", "terms_version"],
            unique=False,
        )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_jobs_poster_arrangement", ["posted_by_id", "arrangement_id", "id"], unique=False
        )
        batch_op.create_index(
            "ix_jobs_department_arrangement",
            ["department_id", "arrangement_id", "id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_department_arrangement")
        batch_op.drop_index("ix_jobs_poster_arrangement")
    with op.batch_alter_table("match_approvals", schema=None) as batch_op:
        batch_op.drop_index("ix_match_approvals_party")
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_index("ix_matches_awaiting_decision")
