"""Issue 10, finding 11: ids are opaque public ids, not the shared sequence of keys (app/ids.py).

Before: ``/klussen/7`` and ``{"id": 7}`` were the row's key, one sequence for all arrangements, so
the gaps between one's own ids told how much other arrangements created, and the next id could be
guessed. After: every id that leaves the application is a keyed permutation of the key (a Feistel
network over 52 bits, a permutation per kind of resource): a round trip gives the key back, keys
in sequence give unrelated ids, a guessed id names nothing (404, as another arrangement's row).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from flask import url_for

from app import ids
from tests.ids import internal_id, public_id
from tests.pool.jobs_factory import make_job

CHANGELOG = Path(__file__).resolve().parents[3] / "docs" / "api-changelog.md"

#: The dialect matters (integer columns, 404 before the database sees a value): both backends.
pytestmark = pytest.mark.sqlite

KEY = b"k" * 32
SAMPLE = range(1, 5001)


@pytest.mark.parametrize("kind", sorted(ids.KINDS))
def test_a_round_trip_gives_the_key_back_and_no_two_keys_share_an_id(kind):
    """A permutation: on a sample of keys (the first 5,000 and some near the top) every public id
    is distinct, within 2^31 … 2^52-1 (above every key; a JSON integer JavaScript holds
    exactly), and decodes back."""
    keys = [*SAMPLE, *range(ids.MAX_ID - 500, ids.MAX_ID + 1)]
    out = [ids.public_id(kind, n, key=KEY) for n in keys]
    assert len(set(out)) == len(out)
    assert all(ids.MAX_ID < p <= ids.MAX_PUBLIC_ID < 2**53 for p in out)
    assert [ids.internal_id(kind, p, key=KEY) for p in out] == keys
    assert [ids.internal_id(kind, str(p), key=KEY) for p in out] == keys


def test_sequential_keys_give_unrelated_public_ids():
    """Counts and order cannot be read: consecutive keys give ids far apart, in no order."""
    out = [ids.public_id("job", n, key=KEY) for n in SAMPLE]
    steps = [b - a for a, b in itertools.pairwise(out)]
    assert min(abs(s) for s in steps) > 2**20
    rising = sum(1 for s in steps if s > 0)
    assert 0.4 * len(steps) < rising < 0.6 * len(steps)
    # The ids of the first 5,000 rows are spread over the whole range, not packed low.
    assert max(out) > 2**51 and min(out) < 2**48


def test_kinds_have_their_own_ids():
    """A job's public id used as a match's (or a user's) names no row of that kind: each kind is
    its own permutation (the kind is the tweak)."""
    for n in SAMPLE:
        job = ids.public_id("job", n, key=KEY)
        assert job != ids.public_id("match", n, key=KEY)
        assert ids.internal_id("match", job, key=KEY) is None  # beyond every key
        assert ids.internal_id("user", job, key=KEY) is None


def test_what_names_no_row():
    """Malformed, a key (below 2^31: no public id), beyond 2^52 or decoding beyond the keys'
    range: None (a 404)."""
    keys = (1, 5, ids.MAX_ID, "7")
    odd = (None, True, "", "0", 0, -5, "-5", "1e3", " 12", "١٢", 2**52, "9" * 5000, "x")
    for value in (*keys, *odd):
        assert ids.internal_id("job", value, key=KEY) is None, value


def test_the_key_decides_and_id_key_is_its_own():
    """``ID_KEY`` decides the ids; unset, a key derived from ``SECRET_KEY`` (not the secret);
    set, changing ``SECRET_KEY`` leaves the ids alone."""
    derived = ids.id_key({"SECRET_KEY": "s1"})
    assert derived != b"s1"
    assert ids.id_key({"SECRET_KEY": "s1"}) != ids.id_key({"SECRET_KEY": "s2"})
    assert ids.id_key({"ID_KEY": "k", "SECRET_KEY": "s1"}) == ids.id_key(
        {"ID_KEY": "k", "SECRET_KEY": "s2"}
    )
    a = ids.public_id("job", 1, key=ids.id_key({"ID_KEY": "a"}))
    b = ids.public_id("job", 1, key=ids.id_key({"ID_KEY": "b"}))
    assert a != b


def test_url_for_writes_public_ids_and_the_test_helper_agrees(app):
    """``url_for`` takes the key and writes the public id (the variable's name names the kind);
    the tests' helper computes the same ids as the app."""
    with app.test_request_context():
        assert url_for("pool.job_detail", job_id=5) == f"/klussen/{public_id('job', 5)}"
        assert url_for("matches.detail", match_id=5) == f"/detacheringen/{public_id('match', 5)}"
    assert public_id("job", 5) != 5


def test_a_rule_naming_no_kind_is_refused_at_start_up(app):
    """``<int:NAME>`` must name a kind: a new route cannot hand out keys by accident."""
    from werkzeug.routing import Map

    rule = ids.IdRule("/x/<int:page>")
    with pytest.raises(LookupError):
        Map([rule], converters={"int": ids.IdConverter})


def test_pages_and_api_answer_by_public_id_and_404_for_anything_else(
    app, world, in_arrangement, login, api_token
):
    """The owner reaches a job by its public id; its key, a neighbouring id, the id of another
    kind, 0, 2^52 and 5,000 digits are a 404 on pages and in the API, as for an outsider's
    request for the real id."""
    lead = world.meer.ermelo.lead
    job_id = make_job(in_arrangement, lead, title="Klus met publiek nummer")
    pid = public_id("job", job_id)
    client = app.test_client()
    login(client, lead)
    headers = api_token(lead)

    assert client.get(f"/klussen/{pid}").status_code == 200
    answer = client.get(f"/api/v1/jobs/{pid}", headers=headers)
    assert answer.status_code == 200
    assert answer.get_json()["id"] == pid

    unknown = [job_id, pid + 1, pid - 1, public_id("match", job_id), 0, 2**52, "9" * 5000]
    for value in unknown:
        assert client.get(f"/klussen/{value}").status_code == 404, value
        assert client.get(f"/klussen/{value}/bewerken").status_code == 404, value
        api = client.get(f"/api/v1/jobs/{value}", headers=headers)
        assert api.status_code == 404, value
        assert api.mimetype == "application/problem+json"

    outsider = world.elders.andere.hr
    other = app.test_client()
    login(other, outsider)
    assert other.get(f"/klussen/{pid}").status_code == 404
    outsider_headers = api_token(outsider)
    assert other.get(f"/api/v1/jobs/{pid}", headers=outsider_headers).status_code == 404


def test_json_bodies_take_public_ids(app, world, in_arrangement, login, api_token):
    """In a JSON body a well-formed id that names nothing is answered as a row out of sight (the
    same 404 as another arrangement's job); beyond 2^52 it is a 400 naming the field; ids given
    out are public and lead back to the row."""
    hr = world.meer.harderwijk.hr
    client = app.test_client()
    headers = api_token(hr)
    own_job = make_job(in_arrangement, world.meer.ermelo.lead, title="Klus in Ermelo")
    elders_job = make_job(in_arrangement, world.elders.andere.lead, title="Klus elders")
    emp = public_id("user", world.meer.harderwijk.emp.id)

    listed = client.get("/api/v1/jobs", headers=headers).get_json()["items"]
    assert [item["id"] for item in listed] == [public_id("job", own_job)]
    assert internal_id("job", listed[0]["id"]) == own_job

    def propose(job):
        body = {"jobId": job, "employeeId": emp, "startDate": "2031-01-05"}
        return client.post("/api/v1/matches", json=body, headers=headers)

    other_arrangement = propose(public_id("job", elders_job))
    assert other_arrangement.status_code == 404
    for unknown in (own_job, public_id("job", own_job) + 1, public_id("match", own_job)):
        answer = propose(unknown)
        assert answer.status_code == other_arrangement.status_code, unknown
        assert answer.get_json()["detail"] == other_arrangement.get_json()["detail"]
    too_big = propose(2**53)
    assert too_big.status_code == 400
    assert "jobId" in {p["name"] for p in too_big.get_json()["invalidParams"]}


def test_scim_ids_are_the_public_user_ids(app, world, scim_token, api_token):
    """A person's SCIM id is the same public id as the API's ``/me`` id; their key is no id."""
    emp = world.meer.ermelo.emp
    client = app.test_client()
    headers = scim_token(world.meer.ermelo.org)
    found = client.get(f'/scim/v2/Users?filter=userName eq "{emp.email}"', headers=headers)
    scim_id = found.get_json()["Resources"][0]["id"]
    me = client.get("/api/v1/me", headers=api_token(emp)).get_json()
    assert scim_id == str(me["id"]) == str(public_id("user", emp.id))
    assert client.get(f"/scim/v2/Users/{scim_id}", headers=headers).status_code == 200
    assert client.get(f"/scim/v2/Users/{emp.id}", headers=headers).status_code == 404


def test_openapi_describes_path_ids_as_public(app):
    """The OpenAPI document: path ids are integers up to 2^52-1; the version is 1.2.0 (public
    ids) or later, and it is the newest one the changelog describes."""
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    version = tuple(int(n) for n in spec["info"]["version"].split("."))
    assert version >= (1, 2, 0)
    newest = re.search(r"^## (\d+\.\d+\.\d+) ", CHANGELOG.read_text(), re.M).group(1)
    assert spec["info"]["version"] == newest
    parameters = [
        p
        for path in spec["paths"].values()
        for holder in (path, *(o for o in path.values() if isinstance(o, dict)))
        for p in (holder.get("parameters") if isinstance(holder.get("parameters"), list) else [])
        if p.get("in") == "path" and p["name"].endswith("_id")
    ]
    assert len(parameters) > 10
    for p in parameters:
        assert p["schema"] == {"type": "integer", "minimum": 1, "maximum": ids.MAX_PUBLIC_ID}, p


def test_form_choices_carry_public_ids(client, world, login):
    """A form's choices of rows (departments, contact persons) carry public ids, never keys."""
    import re

    lead = world.meer.ermelo.lead
    login(client, lead)
    html = client.get("/klussen/nieuw").get_data(as_text=True)
    values = {int(v) for v in re.findall(r'<option[^>]*value="(\d+)"', html)}
    assert public_id("department", world.meer.ermelo.team.id) in values
    assert public_id("user", lead.id) in values
    assert all(v > ids.MAX_ID for v in values - {0}), values
