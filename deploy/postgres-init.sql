-- Deelkracht's database and its two roles. The postgres image runs this once, as the superuser,
-- when it initialises an empty data volume (/docker-entrypoint-initdb.d); on another server run
-- it the same way: DEELKRACHT_OWNER_PASSWORD=... DEELKRACHT_APP_PASSWORD=... psql -U postgres -f
--
--   deelkracht_owner  owns the database and every table; `deelkracht db upgrade` connects as it
--                     (MIGRATE_DATABASE_URL). Not a superuser.
--   deelkracht_app    the web and worker processes (DATABASE_URL): neither owner nor superuser
--                     nor BYPASSRLS, so PostgreSQL's row-level security applies to every query.
--
-- The passwords come from the environment (psql 15's \getenv), never from this file.
\set ON_ERROR_STOP on
\getenv owner_password DEELKRACHT_OWNER_PASSWORD
\getenv app_password DEELKRACHT_APP_PASSWORD
\if :{?owner_password}
\else
  \warn 'DEELKRACHT_OWNER_PASSWORD is not set'
  SELECT 1 / 0 AS deelkracht_owner_password_missing;
\endif
\if :{?app_password}
\else
  \warn 'DEELKRACHT_APP_PASSWORD is not set'
  SELECT 1 / 0 AS deelkracht_app_password_missing;
\endif

CREATE ROLE deelkracht_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS
  PASSWORD :'owner_password';
CREATE ROLE deelkracht_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT
  PASSWORD :'app_password';
CREATE DATABASE deelkracht OWNER deelkracht_owner;
REVOKE ALL ON DATABASE deelkracht FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE deelkracht TO deelkracht_app;

\connect deelkracht
-- The public schema belongs to the database owner (PostgreSQL 15); the app role may use it,
-- not create in it.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO deelkracht_app;
-- Rows, never tables: the app role reads and writes what the migrations create. (Every
-- `deelkracht db upgrade` also grants this when DEELKRACHT_APP_ROLE is set.)
ALTER DEFAULT PRIVILEGES FOR ROLE deelkracht_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO deelkracht_app;
ALTER DEFAULT PRIVILEGES FOR ROLE deelkracht_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO deelkracht_app;
