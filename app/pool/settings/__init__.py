"""Organisation settings: privacy settings and job defaults, their page and API."""
