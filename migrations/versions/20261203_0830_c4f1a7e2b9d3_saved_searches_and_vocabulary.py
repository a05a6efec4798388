"""Saved searches with alerts and the search vocabulary (issue 14)

Revision ID: c4f1a7e2b9d3
Revises: c4f1a9e27b60
Create Date: 2026-12-03 08:30:00

Three arrangement-owned tables (forced RLS like the others, installed after every upgrade):
saved_searches (an employee's own searches), search_words and search_word_trigrams (the words of
arrangement-wide jobs, for "Bedoelde je …?" and compound splitting; app.pool.vocabulary). On
PostgreSQL the pg_trgm extension is created here, as the owner, where it is available; the
vocabulary is filled from the existing jobs.
"""

import sqlalchemy as sa
from alembic import op

revision = "c4f1a7e2b9d3"
down_revision = "c4f1a9e27b60"
branch_labels = None
depends_on = None


def _arrangement_fk(table: str):
    return sa.ForeignKeyConstraint(
        ["arrangement_id"],
        ["arrangements.id"],
        name=op.f(f"fk_{table}_arrangement_id_arrangements"),
        ondelete="CASCADE",
    )


def upgrade():
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.Column("unsubscribe_key", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("arrangement_id", sa.Integer(), nullable=False),
        _arrangement_fk("saved_searches"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_saved_searches_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_searches")),
    )
    with op.batch_alter_table("saved_searches") as batch:
        batch.create_index(batch.f("ix_saved_searches_arrangement_id"), ["arrangement_id"])
        batch.create_index(batch.f("ix_saved_searches_user_id"), ["user_id"])
    op.create_table(
        "search_words",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(length=40), nullable=False),
        sa.Column("arrangement_id", sa.Integer(), nullable=False),
        _arrangement_fk("search_words"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_words")),
        sa.UniqueConstraint(
            "arrangement_id", "word", name=op.f("uq_search_words_arrangement_id_word")
        ),
    )
    with op.batch_alter_table("search_words") as batch:
        batch.create_index(batch.f("ix_search_words_arrangement_id"), ["arrangement_id"])
    op.create_table(
        "search_word_trigrams",
        sa.Column("word_id", sa.Integer(), nullable=False),
        sa.Column("trigram", sa.String(length=3), nullable=False),
        sa.Column("arrangement_id", sa.Integer(), nullable=False),
        _arrangement_fk("search_word_trigrams"),
        sa.ForeignKeyConstraint(
            ["word_id"],
            ["search_words.id"],
            name=op.f("fk_search_word_trigrams_word_id_search_words"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("word_id", "trigram", name=op.f("pk_search_word_trigrams")),
    )
    with op.batch_alter_table("search_word_trigrams") as batch:
        batch.create_index(
            batch.f("ix_search_word_trigrams_arrangement_id"), ["arrangement_id"]
        )
        batch.create_index("ix_search_word_trigrams_lookup", ["arrangement_id", "trigram"])

    connection = op.get_bind()
    from app.pool.vocabulary import add_words, install, words_of

    install(connection)  # pg_trgm, as the owner, where available
    # The existing arrangement-wide jobs' words (the owner sees every arrangement's rows).
    words: dict[int, set[str]] = {}
    rows = connection.execute(
        sa.text(
            "SELECT arrangement_id, title, skills_text, description FROM jobs "
            "WHERE visibility = 'arrangement' AND status != 'draft'"
        )
    )
    for arrangement_id, *texts in rows:
        words.setdefault(arrangement_id, set()).update(words_of(*texts))
    for arrangement_id, found in words.items():
        add_words(connection, arrangement_id, found)


def downgrade():
    op.drop_table("search_word_trigrams")
    op.drop_table("search_words")
    op.drop_table("saved_searches")
