"""Plain test helpers, importable from any test module: the environment the tests run in
(backends, servers), the test databases, and the standard arrangement world. The fixtures built
on them are in tests/fixtures/ (pytest plugins, loaded by tests/conftest.py)."""
