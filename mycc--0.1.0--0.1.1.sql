\echo Use "ALTER EXTENSION mycc UPDATE" to load this file. \quit

-- mycc 0.1.0 -> 0.1.1 (in development: this script is edited until 0.1.1
-- is released, then frozen like every released file).
--
-- What changed, so far: nothing in SQL.  0.1.0's objects are exactly the
-- current install script's; the upgrade regression test proves it by
-- comparing the catalog after ALTER EXTENSION mycc UPDATE with a fresh
-- CREATE EXTENSION mycc.
--
-- Every SQL change to the parts in src/sql/ is repeated here, in the same
-- words (docs/operations.md#upgrades): new objects with their COMMENT and
-- GRANT lines, a changed function by CREATE OR REPLACE FUNCTION with the
-- part's text (PostgreSQL refuses to replace an object that is not a member
-- of mycc), a column added at the end of its CREATE TABLE.  Every reference
-- is schema-qualified (@extschema@., pg_catalog.), as in the install script.
