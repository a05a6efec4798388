"""Capacity offers: the hours an employee offers, who may see them, their pages and API."""
