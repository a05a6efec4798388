"""Issue 10, finding 2: HR's invitation and the staff import do not tell whether an e-mail address
has an account outside HR's own organisation (another member of the arrangement, another
arrangement). Such an address is answered exactly like a new one; no second account is made and
the address's holder gets a notice instead (app.accounts.operations.invite)."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from app.accounts.models import LoginIdentity, User
from tests.ids import api_id


def _invite(client, email):
    return client.post(
        "/medewerkers/uitnodigen", data={"name": "Nieuwe Collega", "email": email, "department": 0}
    )


def _identities(in_arrangement) -> int:
    with in_arrangement(None) as session:
        return session.scalar(select(func.count()).select_from(LoginIdentity))


def _without_tokens(page: str) -> str:
    """The page without its form tokens (they carry a timestamp)."""
    return re.sub(r'name="csrf_token"( type="hidden")? value="[^"]+"', "<csrf>", page)


def _page_after(client, response) -> str:
    """What HR sees: the answer, and the page it leads to (with the flashed message)."""
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_inviting_an_address_of_another_arrangement_or_organisation_looks_like_a_new_one(
    client, world, login, in_arrangement, mail_outbox
):
    """The same status, redirect and page for a new address, an address of another organisation
    of the arrangement and one of another arrangement; only the new one gets an account and an
    invitation, the two holders get a notice that names no inviter."""
    meer, elders = world.meer, world.elders
    login(client, meer.ermelo.hr)
    before = _identities(in_arrangement)
    answers, pages = [], set()
    for address in ("heel-nieuw@ermelo.test", meer.harderwijk.emp.email, elders.andere.emp.email):
        response = _invite(client, address.upper())
        answers.append((response.status_code, response.headers.get("Location")))
        pages.add(_without_tokens(_page_after(client, response)))
    assert len(set(answers)) == 1 and answers[0][0] == 302
    assert len(pages) == 1 and "De uitnodiging is verstuurd." in pages.pop()

    assert _identities(in_arrangement) == before + 1
    with in_arrangement(elders.arrangement) as session:
        holder = session.get(User, elders.andere.emp.id)
        assert holder.organisation_id == elders.andere.org.id  # the account stays its holder's
    by_address = {m.to[0]: m for m in mail_outbox}
    assert set(by_address) == {
        "heel-nieuw@ermelo.test",
        meer.harderwijk.emp.email,
        elders.andere.emp.email,
    }
    assert "/uitnodiging/" in by_address["heel-nieuw@ermelo.test"].body
    for holder_address in (meer.harderwijk.emp.email, elders.andere.emp.email):
        notice = by_address[holder_address]
        assert "/uitnodiging/" not in notice.body
        assert "al een account" in notice.subject
        assert "Ermelo" not in notice.body  # the inviting organisation is not named


def test_notices_to_one_holder_are_limited(client, world, login, mail_outbox):
    """Inviting the same taken address again and again mails its holder a few times at most."""
    login(client, world.meer.ermelo.hr)
    for _ in range(6):
        assert _invite(client, world.elders.andere.emp.email).status_code == 302
    assert len(mail_outbox) == 3


HEADER = "E-mailadres;Naam"


def _upload_and_preview(client, rows) -> str:
    data = ("\n".join([HEADER, *rows]) + "\n").encode("utf-8-sig")
    response = client.post(
        "/medewerkers/importeren",
        data={"file": (io.BytesIO(data), "export.csv")},
        content_type="multipart/form-data",
    )
    batch_id = int(re.search(r"/importeren/(\d+)/kolommen", response.headers["Location"]).group(1))
    mapped = client.post(
        f"/medewerkers/importeren/{api_id('batch', batch_id)}/kolommen",
        data={"email": "E-mailadres", "name": "Naam"},
    )
    assert mapped.status_code == 302
    page = client.get(f"/medewerkers/importeren/{api_id('batch', batch_id)}").get_data(as_text=True)
    return batch_id, page


def _neutral(page: str, batch_id: int, addresses) -> str:
    """The preview without what differs by construction: the addresses typed, the batch id and
    the digest and form token."""
    for number, address in enumerate(addresses):
        page = page.replace(address, f"<address {number}>")
    page = page.replace(f"/{batch_id}/", "/<batch>/").replace(f'/{batch_id}"', '/<batch>"')
    page = re.sub(r'value="[0-9a-f]{64}"', 'value="<digest>"', page)
    return _without_tokens(page)


def test_the_import_preview_is_the_same_for_taken_and_new_addresses(
    client, world, login, in_arrangement, mail_outbox
):
    """An upload of addresses that have accounts elsewhere previews byte for byte like one of new
    addresses (same actions, same counts, no "in use"): an import is no oracle, however many
    rows it has. Confirming makes accounts for the new ones only and notifies the holders."""
    meer, elders = world.meer, world.elders
    taken = [meer.harderwijk.emp.email, elders.andere.emp.email, meer.zeewolde.hr.email]
    fresh = ["vers1@ermelo.test", "vers2@ermelo.test", "vers3@ermelo.test"]
    login(client, meer.ermelo.hr)
    taken_batch, taken_page = _upload_and_preview(client, [f"{a};Iemand" for a in taken])
    fresh_batch, fresh_page = _upload_and_preview(client, [f"{a};Iemand" for a in fresh])
    assert "in gebruik" not in taken_page
    assert "3 nieuw (met uitnodiging)" in taken_page
    assert _neutral(taken_page, taken_batch, taken) == _neutral(fresh_page, fresh_batch, fresh)

    before = _identities(in_arrangement)
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', taken_page).group(1)
    confirmed = client.post(
        f"/medewerkers/importeren/{api_id('batch', taken_batch)}/bevestigen",
        data={"digest": digest},
    )
    assert confirmed.status_code == 302
    assert _identities(in_arrangement) == before  # no second account for any of them
    assert sorted(m.to[0] for m in mail_outbox) == sorted(taken)
    assert all("/uitnodiging/" not in m.body for m in mail_outbox)
