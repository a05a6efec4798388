"""Notifications: in-app messages, the weekly digest, their pages and API."""
