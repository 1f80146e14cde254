\echo Use "ALTER EXTENSION mycc UPDATE" to load this file. \quit

-- mycc 0.2.0 -> 0.3.0-dev (in development).
--
-- A development version: main always carries the next version with the
-- "-dev" label.  When 0.3.0 is released this script is renamed
-- mycc--0.2.0--0.3.0.sql and frozen; no script ever leads from a -dev
-- version, so ALTER EXTENSION mycc UPDATE never takes a database built
-- from main for a release (docs/operations.md#the-release-rule).
--
-- What changed:
