"""The staff import from a CSV export (issue 5 acceptance): the preview says per row what will be
created, updated and rejected and why; confirming applies exactly that and nothing else; a second
import updates instead of duplicating."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from app.accounts.models import LoginIdentity, User
from app.workspace.models import ImportBatch
from tests.ids import api_id, key_of
from tests.workspace.db_state import diff, snapshot

HEADER = "E-mailadres;Naam;Afdeling;Personeelsnummer;Functie;Contracturen"
ROWS = [
    "nieuw1@ermelo.test;Nieuwe Een;Team Uitvoering;P-101;Adviseur;36",  # 2 create
    ";Zonder Mail;Team Beleid;P-102;;32",  # 3 missing e-mail
    "nieuw3@ermelo.test;Onbekend Team;Team Onbekend;P-103;;",  # 4 unknown department
    "dubbel@ermelo.test;Dubbel Een;;P-104;;",  # 5 duplicate
    "DUBBEL@ermelo.test;Dubbel Twee;;P-105;;",  # 6 duplicate
    "emp@ermelo.test;Emp Ermelo;Team Beleid;P-1;Beleidsmedewerker;24",  # 7 update (e-mail)
    "nieuw-adres@ermelo.test;Emp2 Ermelo;;P-2;;",  # 8 update (personnel number, new address)
    "empother@ermelo.test;Empother Ermelo;Team Beleid;;;",  # 9 unchanged
    "emp@harderwijk.test;Iemand Anders;;;;",  # 10 another organisation: planned as new
    "emp@andere.test;Nog Iemand;;;;",  # 11 another arrangement: planned as new
    "geen-adres;Fout Adres;;;;",  # 12 invalid e-mail
    "nieuw2@ermelo.test;;;;;",  # 13 new without a name
    "nieuw4@ermelo.test;Nieuwe Vier;team;P-106;;36,0",  # 14 create (department by slug)
]
EXPECTED = {
    2: "create",
    3: "reject",
    4: "reject",
    5: "reject",
    6: "reject",
    7: "update",
    8: "update",
    9: "unchanged",
    10: "create",
    11: "create",
    12: "reject",
    13: "reject",
    14: "create",
}
REASONS = {
    3: "E-mailadres ontbreekt.",
    4: "Afdeling „Team Onbekend” bestaat niet in je organisatie.",
    5: "Dit e-mailadres staat vaker in het bestand (ook regel 6).",
    6: "Dit e-mailadres staat vaker in het bestand (ook regel 5).",
    12: "E-mailadres „geen-adres” is ongeldig.",  # the rejected value is shown
    13: "Naam ontbreekt (nodig voor een nieuwe medewerker).",
}
# Compared before and after: the session rows only touch their activity time.
SKIP = {"auth_sessions": {"last_seen_at"}, "import_batches": {"*"}}


def csv_bytes(rows=ROWS, header=HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8-sig")


def upload(client, data: bytes) -> int:
    response = client.post(
        "/medewerkers/importeren",
        data={"file": (io.BytesIO(data), "export.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(re.search(r"/importeren/(\d+)/kolommen", response.headers["Location"]).group(1))


def map_columns(client, batch_id: int, mapping: dict | None = None) -> None:
    mapping = mapping or {
        "email": "E-mailadres",
        "name": "Naam",
        "department": "Afdeling",
        "personnel_number": "Personeelsnummer",
        "job_title": "Functie",
        "contract_hours": "Contracturen",
    }
    response = client.post(
        f"/medewerkers/importeren/{api_id('batch', batch_id)}/kolommen", data=mapping
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def preview(client, batch_id: int) -> tuple[dict[int, str], str, str]:
    """(line → action, digest, page)."""
    page = client.get(f"/medewerkers/importeren/{api_id('batch', batch_id)}").get_data(as_text=True)
    actions = {
        int(line): action
        for action, line in re.findall(r'<tr class="import-(\w+)">\s*<td>(\d+)</td>', page)
    }
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', page)
    return actions, digest.group(1) if digest else "", page


def reasons_of(page: str, line: int) -> str:
    row = re.search(rf'<tr class="import-\w+">\s*<td>{line}</td>(.*?)</tr>', page, re.S).group(1)
    return row


def prepare(world, in_arrangement):
    """Emp2 of Ermelo has personnel number P-2 in the HR system and in Deelkracht."""
    with in_arrangement(world.meer.arrangement) as s:
        s.get(User, world.meer.ermelo.emp2.id).personnel_number = "P-2"
        s.commit()


def test_preview_confirm_and_reimport(client, world, login, in_arrangement, schema, mail_outbox):
    """The preview classifies every row with its reason; confirming changes exactly the two new
    colleagues (invited by e-mail) and the two updates, nothing else; the same file again changes
    nothing, and a changed file updates instead of duplicating."""
    ermelo = world.meer.ermelo
    prepare(world, in_arrangement)
    login(client, ermelo.hr)
    batch_id = upload(client, csv_bytes())
    # The mapping screen guessed the Dutch headers already.
    mapping_page = client.get(
        f"/medewerkers/importeren/{api_id('batch', batch_id)}/kolommen"
    ).get_data(as_text=True)
    assert '<option selected value="E-mailadres">' in mapping_page
    map_columns(client, batch_id)
    actions, digest, page = preview(client, batch_id)
    assert actions == EXPECTED
    for line, reason in REASONS.items():
        assert reason in reasons_of(page, line), (line, reasons_of(page, line))
    assert "<td><del>geen-adres</del></td>" in reasons_of(page, 12)  # not an empty cell
    assert "afdeling: Team Uitvoering → Team Beleid" in reasons_of(page, 7)
    assert "e-mailadres: emp2@ermelo.test → nieuw-adres@ermelo.test" in reasons_of(page, 8)
    assert "Herkend aan het personeelsnummer." in reasons_of(page, 8)
    # Nothing about who uses the address elsewhere (issue 10, finding 2: not even that someone
    # does; tests/hardening/accounts/test_address_oracle.py).
    assert "Harderwijk" not in reasons_of(page, 10) and "Andere" not in reasons_of(page, 11)
    assert "4 nieuw (met uitnodiging), 2 bijgewerkt, 1 ongewijzigd, 6 afgewezen" in page, re.search(
        r"import-counts.*", page
    ).group(0)

    before = snapshot(schema.owner_engine, skip=SKIP)
    confirmed = client.post(
        f"/medewerkers/importeren/{api_id('batch', batch_id)}/bevestigen", data={"digest": digest}
    )
    assert confirmed.status_code == 302
    after = snapshot(schema.owner_engine, skip=SKIP)
    changes = diff(before, after)
    assert set(changes) == {"users", "login_identities", "outbox"}, changes.keys()

    users = changes["users"]
    assert users["removed"] == {}
    added = sorted(users["added"].values(), key=lambda u: u["email"])
    assert [
        (u["email"], u["name"], u["department_id"], u["personnel_number"], u["job_title"])
        for u in added
    ] == [
        ("nieuw1@ermelo.test", "Nieuwe Een", ermelo.team.id, "P-101", "Adviseur"),
        ("nieuw4@ermelo.test", "Nieuwe Vier", ermelo.team.id, "P-106", ""),
    ]
    assert all(u["contract_hours"] == 36 and u["organisation_id"] == ermelo.org.id for u in added)
    assert all(not u["is_hr"] and u["password_hash"] is None for u in added)
    assert users["changed"] == {
        (ermelo.emp.id,): {
            "department_id": (ermelo.team.id, ermelo.other.id),
            "personnel_number": ("", "P-1"),
            "job_title": ("", "Beleidsmedewerker"),
            "contract_hours": (None, 24),
        },
        (ermelo.emp2.id,): {"email": ("emp2@ermelo.test", "nieuw-adres@ermelo.test")},
    }
    identities = changes["login_identities"]
    assert set(identities["removed"]) == {("emp2@ermelo.test",)}
    assert set(identities["added"]) == {
        ("nieuw-adres@ermelo.test",),
        ("nieuw1@ermelo.test",),
        ("nieuw4@ermelo.test",),
    }
    assert identities["changed"] == {}
    outbox = changes["outbox"]
    invitations = [r for r in outbox["added"].values() if r["kind"] == "accounts.invitation"]
    assert {r["recipient_id"] for r in invitations} == {u["id"] for u in users["added"].values()}
    # The two addresses with an account elsewhere: no account, a notice to their holders.
    notices = [r for r in outbox["added"].values() if r["kind"] == "accounts.address_in_use"]
    assert sorted(r["recipient_id"] for r in notices) == sorted(
        [world.meer.harderwijk.emp.id, world.elders.andere.emp.id]
    )
    assert len(outbox["added"]) == 4
    assert outbox["removed"] == {} and outbox["changed"] == {}
    invited = sorted(m.to[0] for m in mail_outbox)
    assert invited == [
        "emp@andere.test",
        "emp@harderwijk.test",
        "nieuw1@ermelo.test",
        "nieuw4@ermelo.test",
    ]
    # The new address logs in for Emp2; the old one no longer does.
    assert (
        client.post(
            "/api/v1/auth/token",
            json={"email": "nieuw-adres@ermelo.test", "password": "geheim-wachtwoord-1"},
        ).status_code
        == 200
    )
    assert (
        client.post(
            "/api/v1/auth/token",
            json={"email": "emp2@ermelo.test", "password": "geheim-wachtwoord-1"},
        ).status_code
        == 401
    )
    # The applied batch keeps counts only, no names or addresses.
    with in_arrangement(world.meer.arrangement) as s:
        batch = s.get(ImportBatch, key_of("batch", batch_id))
        assert (batch.status, batch.rows, batch.headers) == ("applied", [], [])
        assert batch.summary == {"create": 4, "update": 2, "unchanged": 1, "reject": 6}
        staff_before = s.scalar(select(func.count(User.id)))

    # The same file again: nothing to create, nothing to update.
    again = upload(client, csv_bytes())
    map_columns(client, again)
    actions, digest, _page = preview(client, again)
    assert actions[2] == actions[14] == actions[7] == actions[8] == actions[9] == "unchanged"
    assert (
        client.post(
            f"/medewerkers/importeren/{api_id('batch', again)}/bevestigen", data={"digest": digest}
        ).status_code
        == 302
    )
    # A changed export: a new job title for Nieuwe Een, matched on the e-mail address.
    changed = upload(client, csv_bytes(["nieuw1@ermelo.test;Nieuwe Een;;P-101;Teamleider;36"]))
    map_columns(client, changed)
    actions, digest, page = preview(client, changed)
    assert actions == {2: "update"}
    assert "functie: Adviseur → Teamleider" in page
    client.post(
        f"/medewerkers/importeren/{api_id('batch', changed)}/bevestigen", data={"digest": digest}
    )
    with in_arrangement(world.meer.arrangement) as s:
        assert s.scalar(select(func.count(User.id))) == staff_before
        assert (
            s.scalar(select(User.job_title).where(User.email == "nieuw1@ermelo.test"))
            == "Teamleider"
        )
        assert s.scalar(select(func.count()).select_from(LoginIdentity)) >= staff_before
    # No second invitation (the holders of addresses elsewhere got a notice per import).
    assert sorted(m.to[0] for m in mail_outbox if m.to[0].endswith("@ermelo.test")) == [
        "nieuw1@ermelo.test",
        "nieuw4@ermelo.test",
    ]


def test_confirming_applies_only_the_preview_that_was_seen(
    client, world, login, in_arrangement, schema
):
    """A changed situation since the preview, a forged digest, or a second click: nothing is
    applied (409), and the new preview is shown."""
    ermelo = world.meer.ermelo
    login(client, ermelo.hr)
    batch_id = upload(client, csv_bytes(ROWS[:1]))
    map_columns(client, batch_id)
    actions, digest, _ = preview(client, batch_id)
    assert actions == {2: "create"}
    before = snapshot(schema.owner_engine, skip=SKIP)
    forged = client.post(
        f"/medewerkers/importeren/{api_id('batch', batch_id)}/bevestigen", data={"digest": "f" * 64}
    )
    assert forged.status_code == 409
    # Meanwhile somebody invites the same person by hand.
    client.post(
        "/medewerkers/uitnodigen",
        data={"name": "Nieuwe Een", "email": "nieuw1@ermelo.test", "department": 0},
    )
    middle = snapshot(schema.owner_engine, skip=SKIP)
    stale = client.post(
        f"/medewerkers/importeren/{api_id('batch', batch_id)}/bevestigen", data={"digest": digest}
    )
    assert stale.status_code == 409
    assert "Er is niets verwerkt" in stale.get_data(as_text=True)
    assert diff(middle, snapshot(schema.owner_engine, skip=SKIP)) == {}
    assert set(diff(before, middle)) == {"users", "login_identities", "outbox"}  # the invite only
    actions, digest, _ = preview(client, batch_id)
    assert actions == {2: "update"}  # the invited colleague gets the number, title and hours
    assert (
        client.post(
            f"/medewerkers/importeren/{api_id('batch', batch_id)}/bevestigen",
            data={"digest": digest},
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/medewerkers/importeren/{api_id('batch', batch_id)}/bevestigen",
            data={"digest": digest},
        ).status_code
        == 409
    )


def test_the_mapping_must_name_the_email_column_once(client, world, login):
    """Unknown headers are not guessed; without an e-mail column, or with one column for two
    fields, the mapping is refused (400)."""
    login(client, world.meer.ermelo.hr)
    batch_id = upload(client, csv_bytes(["a@ermelo.test,A"], header="Werkadres,Wie"))
    url = f"/medewerkers/importeren/{api_id('batch', batch_id)}/kolommen"
    page = client.get(url).get_data(as_text=True)
    assert "selected" not in page.split("<form", 1)[1].split("</form>", 1)[0].replace(
        'selected value=""', ""
    )
    assert client.post(url, data={"name": "Wie"}).status_code == 400
    assert client.post(url, data={"email": "Werkadres", "name": "Werkadres"}).status_code == 400
    assert client.post(url, data={"email": "Bestaat niet"}).status_code == 400
    assert (
        client.get(f"/medewerkers/importeren/{api_id('batch', batch_id)}").status_code == 302
    )  # not mapped yet
    map_columns(client, batch_id, {"email": "Werkadres", "name": "Wie"})
    actions, _digest, _page = preview(client, batch_id)
    assert actions == {2: "create"}


def test_unreadable_uploads_are_refused(client, world, login, in_arrangement):
    """Empty, binary, header-only and too large files: 400 with a reason, no batch stored."""
    login(client, world.meer.ermelo.hr)
    for data, reason in (
        (b"", "Het bestand is leeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "geen CSV-bestand"),
        (b"email;naam\n", "geen medewerkers"),
        (b"email\n" + b"a@b.nl\n" * 144_000, "te groot"),  # over 1 MB: the form says so
        (b"email\n" + b"a@b.nl\n" * 200_000, ""),  # over the request limit: 413
    ):
        response = client.post(
            "/medewerkers/importeren",
            data={"file": (io.BytesIO(data), "x.csv")},
            content_type="multipart/form-data",
        )
        assert response.status_code == (400 if reason else 413), reason
        assert reason in response.get_data(as_text=True), reason
    with in_arrangement(world.meer.arrangement) as s:
        assert s.scalar(select(func.count(ImportBatch.id))) == 0


def test_windows_excel_exports_are_read(client, world, login):
    """Windows-1252 with semicolons (Dutch Excel) reads names with accents correctly."""
    login(client, world.meer.ermelo.hr)
    data = "E-mail;Naam\nzoe@ermelo.test;Zoë Ëlzinga\n".encode("cp1252")
    batch_id = upload(client, data)
    map_columns(client, batch_id, {"email": "E-mail", "name": "Naam"})
    _actions, _digest, page = preview(client, batch_id)
    assert "Zoë Ëlzinga" in page


def test_another_organisation_cannot_see_or_confirm_a_batch(client, world, login, in_arrangement):
    """HR of Harderwijk gets 404 on Ermelo's batch; an employee of Ermelo gets 403."""
    login(client, world.meer.ermelo.hr)
    batch_id = upload(client, csv_bytes(ROWS[:1]))
    map_columns(client, batch_id)
    _actions, digest, _page = preview(client, batch_id)
    login(client, world.meer.harderwijk.hr)
    base = f"/medewerkers/importeren/{api_id('batch', batch_id)}"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/kolommen").status_code == 404
    assert client.post(f"{base}/bevestigen", data={"digest": digest}).status_code == 404
    assert client.post(f"{base}/annuleren").status_code == 404
    login(client, world.meer.ermelo.emp)
    assert client.get(base).status_code == 403
    with in_arrangement(world.meer.arrangement) as s:
        assert s.get(ImportBatch, key_of("batch", batch_id)).status == "mapped"
        assert s.scalar(select(User).where(User.email == "nieuw1@ermelo.test")) is None


def test_a_cancelled_import_changes_nothing_and_forgets_the_rows(
    client, world, login, in_arrangement
):
    """Cancelling clears the stored rows; the batch can no longer be confirmed."""
    login(client, world.meer.ermelo.hr)
    batch_id = upload(client, csv_bytes(ROWS[:1]))
    map_columns(client, batch_id)
    _actions, digest, _page = preview(client, batch_id)
    assert (
        client.post(f"/medewerkers/importeren/{api_id('batch', batch_id)}/annuleren").status_code
        == 302
    )
    assert (
        client.post(
            f"/medewerkers/importeren/{api_id('batch', batch_id)}/bevestigen",
            data={"digest": digest},
        ).status_code
        == 409
    )
    with in_arrangement(world.meer.arrangement) as s:
        batch = s.get(ImportBatch, key_of("batch", batch_id))
        assert (batch.status, batch.rows) == ("discarded", [])
        assert s.scalar(select(User).where(User.email == "nieuw1@ermelo.test")) is None
