"""Users and authentication.

``users`` is arrangement-owned. Two small platform tables let a login or a bearer token find
*which* arrangement to enter before any tenant row can be read: ``login_identities`` (normalised
e-mail → user id and arrangement id) and ``auth_sessions`` (hashes of browser sessions and API
tokens). They hold pointers and hashes, no tenant content.
"""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from tenants.models import ArrangementScoped, Department, DepartmentManager, Organisation, utcnow


def normalise_email(email: str) -> str:
    return email.strip().lower()


class User(UserMixin, ArrangementScoped, db.Model):
    __tablename__ = "users"
    # An address is unique within an organisation only: an organisation's identity provider or
    # its SCIM client may bring in a person whose address has an account elsewhere (they changed
    # employer), and refusing it would tell that organisation so. Such a second account signs in
    # through the provider only; ``login_identities`` keeps pointing at the first.
    __table_args__ = (
        UniqueConstraint("organisation_id", "email"),
        UniqueConstraint("sso_issuer", "sso_subject"),
        UniqueConstraint("organisation_id", "scim_external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True, default=None
    )
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(300), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    is_hr: Mapped[bool] = mapped_column(default=False)
    is_coordinator: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(String(5), default=None)
    personnel_number: Mapped[str] = mapped_column(String(40), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    contract_hours: Mapped[int | None] = mapped_column(default=None)
    weekly_digest: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Identity at the organisation's OpenID provider: the pair (issuer, sub), never the e-mail.
    sso_issuer: Mapped[str | None] = mapped_column(String(300), default=None)
    sso_subject: Mapped[str | None] = mapped_column(String(255), default=None)
    # The organisation's SCIM client's own id for this person (Entra: the object id).
    scim_external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    # The manager the SCIM client named (an id of a person of the same organisation); it also
    # made them a line manager of this person's department.
    scim_manager_id: Mapped[int | None] = mapped_column(default=None)
    # Deleted by the organisation's SCIM client: deactivated, and gone from SCIM (404), while
    # what agreements need stays; retention applies as for any leaver.
    deprovisioned_at: Mapped[datetime | None] = mapped_column(default=None)

    # Joined: every page shows the user's organisation (base.html), so it comes with the user
    # in the one query that loads them per request.
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship()

    # Flask-Login: inactive users are refused by login_user and by the session loader.
    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def managed_department_ids(self) -> set[int]:
        rows = db.session.execute(
            db.select(DepartmentManager.department_id).where(DepartmentManager.user_id == self.id)
        )
        return {row[0] for row in rows}

    @property
    def roles(self) -> list[str]:
        # deferred: import cycle: app.policy.roles imports this module (User); the policy's
        # helper asks once per request (request cache)
        from app.policy.roles import managed_department_ids

        roles = ["employee"]
        if managed_department_ids(self):
            roles.append("line_manager")
        if self.is_hr:
            roles.append("hr")
        if self.is_coordinator:
            roles.append("coordinator")
        return roles


class LoginIdentity(db.Model):
    """Platform table: which user and arrangement an e-mail address logs in to."""

    __tablename__ = "login_identities"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    user_id: Mapped[int] = mapped_column(index=True)
    arrangement_id: Mapped[int] = mapped_column(
        ForeignKey("arrangements.id", ondelete="CASCADE"), index=True
    )


class AuthSession(db.Model):
    """Platform table: a browser session or an API token, stored as a SHA-256 hash.

    A browser cookie only carries the random session id; logging out ends the row, so a cookie
    copied before logout is refused afterwards.
    """

    __tablename__ = "auth_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # "web" | "api" | "reset" | "invite"
    user_id: Mapped[int] = mapped_column(index=True)
    arrangement_id: Mapped[int] = mapped_column(
        ForeignKey("arrangements.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None] = mapped_column(default=None)


class SignInProvider(db.Model):
    """Platform table: an organisation's OpenID provider, from its arrangement's TOML file.

    Read before any arrangement is known (the login page finds the provider by the e-mail
    domain), so it holds configuration and pointers only: no personal data. The client secret
    itself is never stored; ``client_secret_env`` names the environment variable that holds it.
    """

    __tablename__ = "sign_in_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(
        ForeignKey("arrangements.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    issuer: Mapped[str] = mapped_column(String(300))
    client_id: Mapped[str] = mapped_column(String(300))
    client_secret_env: Mapped[str] = mapped_column(String(100))
    #: Space-separated, lower case: "ermelo.nl gemeente-ermelo.nl".
    email_domains: Mapped[str] = mapped_column(String(1000), default="")
    password_login: Mapped[bool] = mapped_column(default=True)

    @property
    def domains(self) -> list[str]:
        return self.email_domains.split()


class ScimToken(db.Model):
    """Platform table: an organisation's SCIM bearer token, as a SHA-256 hash.

    ``deelkracht scim token ORG`` makes a new one and ends the previous ones, so a leaked token
    is revoked by making a new one.
    """

    __tablename__ = "scim_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(
        ForeignKey("arrangements.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class ScimGroup(ArrangementScoped, db.Model):
    """A group of an organisation, as its SCIM client (Entra ID) provisions it.

    Groups carry no rights of their own: the organisation's TOML file names the groups whose
    members are its HR (``[organisations.scim] hr_groups``), by display name, so the mapping
    stays with the arrangement's owner and not with whoever can create groups at the provider.
    """

    __tablename__ = "scim_groups"
    __table_args__ = (
        UniqueConstraint("organisation_id", "display_name"),
        UniqueConstraint("organisation_id", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    display_name: Mapped[str] = mapped_column(String(255))
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[ScimGroupMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="ScimGroupMember.user_id"
    )


class ScimGroupMember(ArrangementScoped, db.Model):
    """A person of the group's own organisation in a SCIM group."""

    __tablename__ = "scim_group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("scim_groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    group: Mapped[ScimGroup] = relationship(back_populates="members")
