"""Reading API answers in tests: problem details (RFC 9457) as the API gives them."""

from __future__ import annotations


def problem_fields(response_or_body) -> dict[str, list[str]]:
    """The ``invalidParams`` of a problem as ``{name: [reasons]}`` (empty when there are none).

    Also checks the problem's form, so every test that reads a field error checks it too:
    ``application/problem+json`` with ``type``, ``title``, ``status`` and ``detail``.
    """
    body = response_or_body
    if hasattr(response_or_body, "get_json"):
        assert response_or_body.mimetype == "application/problem+json", response_or_body.mimetype
        body = response_or_body.get_json()
    assert {"type", "title", "status", "detail"} <= set(body), body
    out: dict[str, list[str]] = {}
    for param in body.get("invalidParams", []):
        assert set(param) == {"name", "code", "reason"}, param
        out.setdefault(param["name"], []).append(param["reason"])
    return out
