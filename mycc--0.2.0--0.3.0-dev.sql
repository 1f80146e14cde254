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

-- identifiers as people write them (issue 15): phone numbers through
-- libphonenumber (mycc.default_region), e-mail domains in IDNA form,
-- Unicode white space trimmed, control characters refused.  The C changed;
-- the functions keep their names and signatures.
COMMENT ON FUNCTION @extschema@.normalize_identity(text, text) IS 'an identifier in canonical form: phones libphonenumber''s E.164 of a valid number (national numbers of mycc.default_region), extension after ;ext=; e-mail with its domain in IDNA form; QQ digits; others trimmed of Unicode white space; 22023 on bad input';
COMMENT ON FUNCTION @extschema@.normalize_identity(text, text, text) IS 'normalize_identity with the region of national phone numbers as an argument (CN; a calling code such as 86, deprecated; '''' for none); immutable, for indexes and checks';
