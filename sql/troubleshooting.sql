-- What docs/troubleshooting.md says about installing and restoring mycc
-- that needs a database without mycc in it (the rest of that page is run
-- by the docs_examples test).
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP DATABASE IF EXISTS mycc_trouble;
DROP ROLE IF EXISTS regress_mycc_db_owner;
RESET client_min_messages;
CREATE ROLE regress_mycc_db_owner;
CREATE DATABASE mycc_trouble OWNER regress_mycc_db_owner;
\c mycc_trouble
-- mycc is not trusted: only a superuser creates it, even in a database
-- that the role owns.
SELECT superuser, trusted FROM pg_available_extension_versions
WHERE name = 'mycc' AND version = (SELECT default_version FROM pg_available_extensions WHERE name = 'mycc');
SET ROLE regress_mycc_db_owner;
CREATE EXTENSION mycc;
-- A restore by that role runs what pg_dump wrote (below): the schema is
-- created, the extension is not.
CREATE SCHEMA mycc;
CREATE EXTENSION IF NOT EXISTS mycc WITH SCHEMA mycc;
RESET ROLE;
-- Then a superuser's restore into the same database finds the schema
-- that role left, and refuses it (docs/operations.md, hostile schemas).
CREATE EXTENSION IF NOT EXISTS mycc WITH SCHEMA mycc;
-- In a fresh database (here: the schema dropped) it works.
DROP SCHEMA mycc;
CREATE SCHEMA mycc;
CREATE EXTENSION IF NOT EXISTS mycc WITH SCHEMA mycc;
-- What pg_dump writes: the schema, then the extension without a version,
-- so a restore creates the version installed on the target server.
\! pg_dump -s mycc_trouble | grep -E '^CREATE (SCHEMA|EXTENSION)'
\c contrib_regression
DROP DATABASE mycc_trouble;
DROP ROLE regress_mycc_db_owner;
