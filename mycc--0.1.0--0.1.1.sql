\echo Use "ALTER EXTENSION mycc UPDATE" to load this file. \quit

-- mycc 0.1.0 -> 0.1.1 (in development: this script is edited until 0.1.1
-- is released, then frozen like every released file).
--
-- What changed:
-- - next_contact and finish are C (src/assignment.c), no longer PL/pgSQL:
--   prepared statements; a claim locks about one contact instead of the
--   first contact of every queue the agent covers.  Same signatures,
--   results, errors and rights; finish adds 40001 for a contact given to
--   another agent while it waited.
--
-- The upgrade regression test proves the result equals a fresh install by
-- comparing the catalog after ALTER EXTENSION mycc UPDATE with a fresh
-- CREATE EXTENSION mycc.
--
-- Every SQL change to the parts in src/sql/ is repeated here, in the same
-- words (docs/operations.md#upgrades): new objects with their COMMENT and
-- GRANT lines, a changed function by CREATE OR REPLACE FUNCTION with the
-- part's text (PostgreSQL refuses to replace an object that is not a member
-- of mycc), a column added at the end of its CREATE TABLE.  Every reference
-- is schema-qualified (@extschema@., pg_catalog.), as in the install script.

-- Agents take and finish contacts: C with prepared statements
-- (src/assignment.c explains the claim and its locks).
CREATE OR REPLACE FUNCTION @extschema@.next_contact(agent_id bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_next_contact' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
CREATE OR REPLACE FUNCTION @extschema@.finish(contact_id bigint, outcome text) RETURNS void
	AS 'MODULE_PATHNAME', 'mycc_finish' LANGUAGE C VOLATILE PARALLEL UNSAFE;
