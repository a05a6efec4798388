"""The HR workspace: staff, departments and line managers, the staff import, organisation details
and logo, overviews of the organisation's placements and its staff's offers and responses, and the
data subject rights (export, erasure, retention)."""
