"""operations: inbox leases and conversation keys, request ids, scheduled-job lock rows, wake-ups

Several worker processes share the inbox: each pending event gets the key of its
conversation (channel, platform, user) and a weight (long messages after short ones), and
a worker leases the oldest pending event of a conversation before running its turn. On
PostgreSQL, inserts into the inbox and the outbox NOTIFY the workers (LISTEN) at commit.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

NOTIFY_FUNCTION = """
CREATE OR REPLACE FUNCTION madoguchi_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""
# Per statement, not per row: a batch insert wakes the workers once. Inserts only: the
# status changes of every turn would wake every worker for nothing (re-queued events and
# messages are found by the polling fallback within seconds).
TRIGGERS = {
    "inbound_event_notify": ("inbound_event", "INSERT", "madoguchi_inbox"),
    "outbox_notify": ("outbox", "INSERT", "madoguchi_outbox"),
}


def upgrade() -> None:
    with op.batch_alter_table("inbound_event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sender_key", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True)
        )
        batch_op.add_column(sa.Column("weight", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("lease_owner", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("lease_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("request_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("request_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    # The claim reads the pending rows only, grouped by conversation.
    op.create_index(
        "ix_inbound_event_pending_sender",
        "inbound_event",
        ["sender_key", "id"],
        postgresql_where=sa.text("status = 'pending'"),
        sqlite_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "scheduled_job",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("last_slot", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("last_run_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_owner", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("last_result", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(NOTIFY_FUNCTION)
        for name, (table, events, channel) in TRIGGERS.items():
            op.execute(
                f"CREATE TRIGGER {name} AFTER {events} ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION madoguchi_notify('{channel}')"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, (table, _, _) in TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS madoguchi_notify()")
    op.drop_table("scheduled_job")
    op.drop_index("ix_inbound_event_pending_sender", table_name="inbound_event")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("request_id")
    with op.batch_alter_table("inbound_event", schema=None) as batch_op:
        batch_op.drop_column("request_id")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("lease_owner")
        batch_op.drop_column("weight")
        batch_op.drop_column("sender_key")
