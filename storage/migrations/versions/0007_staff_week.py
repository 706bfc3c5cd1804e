"""staff week: follow-ups, reply clocks, versions (issue 13)

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("awaiting_staff_since", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("last_activity_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("next_action_due", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.create_index(
            batch_op.f("ix_proposal_awaiting_staff_since"), ["awaiting_staff_since"], unique=False
        )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposal_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_message_proposal_id"), ["proposal_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_message_proposal_id_proposal"), "proposal", ["proposal_id"], ["id"]
        )
    with op.batch_alter_table("staff_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "language",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                nullable=False,
                server_default="ja",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_account", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_message_proposal_id_proposal"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_message_proposal_id"))
        batch_op.drop_column("proposal_id")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_awaiting_staff_since"))
        batch_op.drop_column("version")
        batch_op.drop_column("next_action_due")
        batch_op.drop_column("last_activity_at")
        batch_op.drop_column("awaiting_staff_since")
