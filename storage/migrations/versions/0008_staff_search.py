"""staff search, duplicate links, staff-channel posts (issue 13)

`proposal.search_text` becomes the folded text of storage.search (kana, width, legal forms
and spaces folded; contact, e-mail and notes included) and is recomputed here for every
proposal; `proposal.org_key` is the folded organisation name (same-organisation detection).
Typo-tolerant search runs on a trigram index: pg_trgm's GIN index on PostgreSQL (when the
extension can be created), an FTS5 trigram table on SQLite (kept up to date by the repository).

Revision ID: 0008
Revises: 0007
"""

import json
import logging

import sqlalchemy as sa
import sqlmodel
from alembic import op

from storage.search import FTS_TABLE, org_key, search_text

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None
log = logging.getLogger("alembic.madoguchi")


def upgrade() -> None:
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "org_key",
                sqlmodel.sql.sqltypes.AutoString(length=200),
                nullable=False,
                server_default="",
            )
        )
        batch_op.create_index(batch_op.f("ix_proposal_org_key"), ["org_key"], unique=False)
    op.create_table(
        "proposal_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposal.id"]),
        sa.ForeignKeyConstraint(["other_id"], ["proposal.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("proposal_id", "other_id", "kind"),
    )
    op.create_index("ix_proposal_link_proposal_id", "proposal_link", ["proposal_id"])
    op.create_index("ix_proposal_link_other_id", "proposal_link", ["other_id"])
    op.create_table(
        "staff_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("posted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("followup_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.ForeignKeyConstraint(["platform_id"], ["platform.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform_id", "kind", "item_id"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_text, tokenize='trigram')")
    elif bind.dialect.name == "postgresql":
        _trigram_index(bind)
    _refold(bind)


def _trigram_index(bind: sa.engine.Connection) -> None:
    """pg_trgm's GIN index when the extension exists or may be created (guarded: a role
    without the right keeps working, the LIKE searches just read the table)."""
    schema = bind.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
        )
    ).scalar()
    if schema is None:
        savepoint = bind.begin_nested()
        try:
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
            savepoint.commit()
            schema = "public"
        except sa.exc.DBAPIError as exc:  # no privilege, or a concurrent creation
            savepoint.rollback()
            log.warning("pg_trgm not available (%s): search works without its index", exc)
            schema = bind.execute(
                sa.text(
                    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
                )
            ).scalar()
    if schema is not None:
        op.execute(
            f'CREATE INDEX ix_proposal_search_trgm ON proposal USING gin (search_text "{schema}".gin_trgm_ops)'
        )


def _refold(bind: sa.engine.Connection) -> None:
    """Recompute every proposal's search text and organisation key with the new folding."""
    rows = bind.execute(
        sa.text(
            "SELECT p.id, p.title, p.organisation, p.record, c.display_name, c.email "
            "FROM proposal p JOIN contact c ON c.id = p.contact_id"
        )
    ).all()
    for row in rows:
        record = row.record if isinstance(row.record, dict) else json.loads(row.record or "{}")
        notes = [
            n
            for (n,) in bind.execute(
                sa.text(
                    "SELECT note FROM proposal_event WHERE proposal_id = :id AND note IS NOT NULL"
                ),
                {"id": row.id},
            )
        ]
        text = search_text(
            title=row.title,
            organisation=row.organisation,
            record=record,
            contact_name=row.display_name,
            contact_email=row.email,
            notes=notes,
        )
        bind.execute(
            sa.text("UPDATE proposal SET search_text = :t, org_key = :k WHERE id = :id"),
            {"t": text, "k": org_key(row.organisation), "id": row.id},
        )
        if bind.dialect.name == "sqlite":
            bind.execute(
                sa.text(f"INSERT INTO {FTS_TABLE} (rowid, search_text) VALUES (:id, :t)"),
                {"id": row.id, "t": text},
            )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_proposal_search_trgm")
    op.drop_table("staff_post")
    op.drop_index("ix_proposal_link_other_id", table_name="proposal_link")
    op.drop_index("ix_proposal_link_proposal_id", table_name="proposal_link")
    op.drop_table("proposal_link")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_org_key"))
        batch_op.drop_column("org_key")
