"""Applications: responses to jobs and offers, their pages and API."""
