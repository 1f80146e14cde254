\echo Use "CREATE EXTENSION mycc" to load this file. \quit

-- mycc install script, generated from src/sql/*.sql parts in the order the
-- Makefile lists them.  Every reference is schema-qualified; nothing is
-- CREATE OR REPLACE'd.

-- The types and pure functions are for everyone, like pg_catalog's; the
-- tables and views grant nothing until a DBA does (docs/operations.md).
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
