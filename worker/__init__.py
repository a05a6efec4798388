"""Background work: outbox delivery, agreement PDFs, e-mail and schedules (RQ on Redis).

Jobs take plain ids, set the arrangement themselves, reload and re-check (DESIGN.md rule 7).
"""
