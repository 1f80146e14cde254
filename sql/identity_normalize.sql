-- mycc.normalize_identity: the normalisation table of good and bad inputs,
-- the default country code, the identifier kinds.
SET search_path = public, mycc;

SELECT mycc.identity_kinds();
SHOW mycc.default_region;

-- Phones: libphonenumber's E.164 form of a valid number; one number
-- written many ways is one number.
SELECT v AS written, mycc.normalize_identity('phone', v) AS normalized
FROM unnest(ARRAY[
	'13800138000', '138 0013 8000', '138-0013-8000', ' 138.0013.8000 ',
	'+86 138 0013 8000', '+86-138-0013-8000', '0086 13800138000', '(+86) 138 0013 8000', '+86 (0)10 8765 4321',
	'010-8765 4321', '(010) 87654321', '0755 1234 5678', '010/8765 4321',
	'+1 (415) 555-0100', '001 415 555 0100', '+44 20 7946 0958', '+852 2345 6789',
	'+44 (0)20 7946 0958'
]) AS v;
SELECT mycc.normalize_identity('phone', E'\t+8613800138000\n') AS tab_and_newline_trimmed;

-- Issue 15: the spellings people write are one number.  A country code
-- without "+", a trunk 0 kept after +86, full-width digits and signs from
-- Chinese input methods, ideographic spaces and NBSP.
SELECT v AS written, mycc.normalize_identity('phone', v) AS normalized,
	mycc.normalize_identity('phone', v) = '+8613800138000' AS same_mobile
FROM unnest(ARRAY[
	'86 13800138000', '13800138000', '+86 0138 0013 8000', '8613800138000',
	'１３８００１３８０００', '＋８６　１３８　００１３　８０００', '+８６-１３８-００１３-８０００',
	E'\u00a0138 0013 8000\u3000', E'138\u00a00013\u00a08000', '（+86）13800138000'
]) AS v;
SELECT v AS written, mycc.normalize_identity('phone', v) AS normalized,
	mycc.normalize_identity('phone', v) = '+861087654321' AS same_landline
FROM unnest(ARRAY['+86 010 8765 4321', '010-87654321', '+86 (0)10 8765 4321', '0086 10 8765 4321', '０１０－８７６５４３２１']) AS v;

-- Extensions are kept apart from the number, after ";ext=" (RFC 3966):
-- the number stays E.164; a person behind a switchboard is not the
-- switchboard.
SELECT v AS written, mycc.normalize_identity('phone', v) AS normalized
FROM unnest(ARRAY[
	'010 8765 4321 ext. 123', '010-87654321 ext 123', '010-87654321 x123', '010-87654321#123',
	'010-87654321 转 123', '010-87654321 分机 123', '010-87654321 分机号：123', '+861087654321;ext=123',
	'138 0013 8000 ext. 5', '+86 138 0013 8000 EXT 5', '010-87654321 ｅｘｔ．１２３'
]) AS v;
-- ... and an extension glued on with a dash is refused, with a hint.
SELECT mycc.normalize_identity('phone', '010-87654321-123');
SELECT mycc.normalize_identity('phone', '010-87654321 ext.');
SELECT mycc.normalize_identity('phone', '010-87654321 ext. 12345678901');
SELECT mycc.normalize_identity('phone', 'ext. 123');

-- Short and service numbers (10086 China Mobile, 95588 ICBC, 110) are a
-- company's, not a person's: refused.  So are numbers libphonenumber calls
-- possible but not valid (12345 has a possible length, no valid range).
SELECT mycc.normalize_identity('phone', '10086');
SELECT mycc.normalize_identity('phone', '95588');
SELECT mycc.normalize_identity('phone', '110');
SELECT mycc.normalize_identity('phone', '12345');
SELECT mycc.normalize_identity('phone', '+86 12345');
SELECT mycc.normalize_identity('phone', '+1234567');
SELECT mycc.normalize_identity('phone', '+123456789012345');

-- Bad phones: 22023 naming the kind and the value, one per line.
SELECT mycc.normalize_identity('phone', '');
SELECT mycc.normalize_identity('phone', '   ');
SELECT mycc.normalize_identity('phone', E'\u3000');
SELECT mycc.normalize_identity('phone', '138 0013 800O');
SELECT mycc.normalize_identity('phone', '1-800-FLOWERS');
SELECT mycc.normalize_identity('phone', '13800138000abc');
SELECT mycc.normalize_identity('phone', E'138\t0013 8000');
SELECT mycc.normalize_identity('phone', E'138\u00850013 8000');
SELECT mycc.normalize_identity('phone', '86+13800138000');
SELECT mycc.normalize_identity('phone', '++8613800138000');
SELECT mycc.normalize_identity('phone', '+999 1234 5678');
SELECT mycc.normalize_identity('phone', '+123456');
SELECT mycc.normalize_identity('phone', '+1234567890123456');
SELECT mycc.normalize_identity('phone', '00');
SELECT mycc.normalize_identity('phone', '0');
SELECT mycc.normalize_identity('phone', '+0 123 4567 890');
SELECT mycc.normalize_identity('phone', '-()- .');
SELECT mycc.normalize_identity('phone', '+44 (0)');
SELECT mycc.normalize_identity('phone', repeat('1', 2000));
\set VERBOSITY sqlstate
SELECT mycc.normalize_identity('phone', 'call me');
SELECT mycc.normalize_identity('phone', '10086');
\set VERBOSITY default

-- National numbers take mycc.default_region (CN by default; any case,
-- shown upper-case); empty refuses them.
SHOW mycc.default_region;
SET mycc.default_region = 'us';
SHOW mycc.default_region;
SELECT mycc.normalize_identity('phone', '415 555 0100') AS us, mycc.normalize_identity('phone', '+86 13800138000') AS intl;
SELECT mycc.normalize_identity('phone', '13800138000');
SET mycc.default_region = 'GB';
SELECT mycc.normalize_identity('phone', '020 7946 0958') AS uk_trunk_zero_dropped;
SET mycc.default_region = '';
SELECT mycc.normalize_identity('phone', '+8613800138000') AS international_needs_no_region;
SELECT mycc.normalize_identity('phone', '13800138000');
SELECT mycc.normalize_identity('phone', '010 8765 4321');
SET mycc.default_region = 'XX';
SET mycc.default_region = '86';
SET mycc.default_region = 'CHN';
RESET mycc.default_region;
-- A number read for one region is read again for another (the backend's
-- cache of numbers is keyed by region too): in CN, 0415 is Dandong.
SELECT mycc.normalize_identity('phone', '415 555 0100');
SELECT mycc.normalize_identity('phone', '415 555 0100', 'US') AS us_again, mycc.normalize_identity('phone', '+14155550100', '') AS us_e164;
-- Deprecated mycc.default_country_code: empty by default; a calling code
-- wins over mycc.default_region, as its main region (86 CN, 1 US, 44 GB).
SHOW mycc.default_country_code;
SET mycc.default_country_code = '1';
SELECT mycc.normalize_identity('phone', '415 555 0100') AS us_by_code;
SET mycc.default_country_code = '44';
SELECT mycc.normalize_identity('phone', '020 7946 0958') AS uk_by_code;
SET mycc.default_country_code = '+86';
SET mycc.default_country_code = '086';
SET mycc.default_country_code = '1234';
SET mycc.default_country_code = '999';
SET mycc.default_country_code = 'cn';
RESET mycc.default_country_code;

-- The three-argument form takes the region as an argument (immutable):
-- an ISO 3166 code, a calling code (deprecated), or '' for none.
SELECT mycc.normalize_identity('phone', '415 555 0100', 'US') AS us, mycc.normalize_identity('phone', '415 555 0100', '1') AS us_by_code,
	mycc.normalize_identity('phone', '020 7946 0958', 'gb') AS uk, mycc.normalize_identity('phone', '+8613800138000', '') AS e164;
SELECT mycc.normalize_identity('phone', '13800138000', '');
SELECT mycc.normalize_identity('phone', '415 555 0100', '01');
SELECT mycc.normalize_identity('phone', '415 555 0100', 'x');
SELECT mycc.normalize_identity('phone', '415 555 0100', 'XX');

-- E-mail: trimmed, local part lower-cased (ASCII), one @, a dotted domain
-- in its IDNA (punycode) form, lower-cased in Unicode.
SELECT v AS written, mycc.normalize_identity('email', v) AS normalized
FROM unnest(ARRAY[
	'Li.Lei@Example.COM', '  wang.fang+travel@mail.example.cn  ', 'a@b.co',
	'USER_1@Sub-Domain.Example.org', '王芳@例子.中国', '王芳@例子。中国', 'o''brien@example.ie',
	'li@ＥＸＡＭＰＬＥ．ｃｏｍ', 'hans@Faß.de'
]) AS v;
-- Issue 15: one domain in Unicode, upper or lower case, or punycode is one
-- identity.
SELECT v AS written, mycc.normalize_identity('email', v) AS normalized,
	mycc.normalize_identity('email', v) = 'user@xn--mnchen-3ya.de' AS same
FROM unnest(ARRAY['user@MÜNCHEN.de', 'user@münchen.de', 'user@xn--mnchen-3ya.de', 'USER@XN--MNCHEN-3YA.DE', E'\u3000user@München.DE\u00a0']) AS v;
SELECT mycc.normalize_identity('email', 'li@xn--zz.com');
SELECT mycc.normalize_identity('email', 'li@ab--cd.com');
SELECT mycc.normalize_identity('email', 'li@例子.中国.');
SELECT mycc.normalize_identity('email', E'li\u0085lei@example.com');
SELECT mycc.normalize_identity('email', 'li.lei');
SELECT mycc.normalize_identity('email', 'li@lei@example.com');
SELECT mycc.normalize_identity('email', '@example.com');
SELECT mycc.normalize_identity('email', 'li@');
SELECT mycc.normalize_identity('email', 'li@localhost');
SELECT mycc.normalize_identity('email', 'li@example.');
SELECT mycc.normalize_identity('email', 'li@.example.com');
SELECT mycc.normalize_identity('email', 'li@example..com');
SELECT mycc.normalize_identity('email', 'li@-example.com');
SELECT mycc.normalize_identity('email', 'li@example-.com');
SELECT mycc.normalize_identity('email', 'li lei@example.com');
SELECT mycc.normalize_identity('email', 'li@exa_mple.com');
SELECT mycc.normalize_identity('email', 'li@exam ple.com');
SELECT mycc.normalize_identity('email', repeat('x', 65) || '@example.com');
SELECT mycc.normalize_identity('email', 'x@' || repeat('a', 64) || '.com');
SELECT mycc.normalize_identity('email', 'x@' || repeat('abcdefghi.', 26) || 'com');

-- QQ: 5 to 11 digits, no leading zero.
SELECT v AS written, mycc.normalize_identity('qq', v) AS normalized
FROM unnest(ARRAY['10001', ' 123456789 ', '12345678901']) AS v;
SELECT mycc.normalize_identity('qq', '1234');
SELECT mycc.normalize_identity('qq', '123456789012');
SELECT mycc.normalize_identity('qq', '012345');
SELECT mycc.normalize_identity('qq', '12345a');
SELECT mycc.normalize_identity('qq', '123 456');

-- Other kinds: trimmed, case kept, at most 255 bytes, no control characters.
SELECT k AS kind, mycc.normalize_identity(k, '  oX9_aBc-123  ') AS normalized
FROM unnest(mycc.identity_kinds()) AS k
WHERE k OPERATOR(pg_catalog.<>) ALL (ARRAY['phone', 'email', 'qq'])
ORDER BY k;
SELECT mycc.normalize_identity('weibo', '微博用户 李雷') AS spaces_inside_kept;
SELECT length(mycc.normalize_identity('app', repeat('x', 255))) AS longest;
SELECT mycc.normalize_identity('app', repeat('x', 256));
SELECT mycc.normalize_identity('wechat', E'o6_\x01abc');
-- Issue 15: every Unicode white space around any kind is trimmed (U+3000
-- ideographic space, NBSP, U+2003 em space, zero-width space, BOM); C0 and
-- C1 control characters inside are refused.
SELECT k AS kind, v AS written, mycc.normalize_identity(k, v) AS normalized
FROM (VALUES ('wechat', E'\u3000abc\u3000'), ('qq', E'\u00a010001\u00a0'), ('weibo', E'\u2003李雷\u200b'),
	('app', E'\ufeffu-1\u2029'), ('in_game', E'\u0085r 1\u0085'), ('qq', '１０００１')) AS t(k, v);
SELECT mycc.normalize_identity('wechat', E'\u3000abc\u3000') = mycc.normalize_identity('wechat', 'abc') AS ideographic_space_trimmed;
SELECT mycc.normalize_identity('wechat', E'o6_\u0085abc');
SELECT mycc.normalize_identity('web', E'a\u009fb');
SELECT mycc.normalize_identity('store', E'a\u007fb');
SELECT mycc.normalize_identity('app', E'\u3000\u00a0\u200b');
\set VERBOSITY sqlstate
SELECT mycc.normalize_identity('wechat', E'o6_\u0085abc');
\set VERBOSITY default
SELECT mycc.normalize_identity('wechat_unionid', '');
SELECT mycc.normalize_identity('store', repeat('é', 100));

-- Unknown kinds: 22023 listing the kinds; kinds are exact lower-case names.
SELECT mycc.normalize_identity('fax', '123');
SELECT mycc.normalize_identity('Phone', '13800138000');
SELECT mycc.normalize_identity('sms', '13800138000');
SELECT mycc.normalize_identity('', 'x');
\set VERBOSITY sqlstate
SELECT mycc.normalize_identity('fax', '123');
SELECT mycc.normalize_identity('email', 'nobody');
\set VERBOSITY default

-- NULL in, NULL out.
SELECT mycc.normalize_identity(NULL, 'x') IS NULL AS null_kind, mycc.normalize_identity('phone', NULL) IS NULL AS null_value;

-- Normalising is idempotent.
SELECT bool_and(mycc.normalize_identity(k, mycc.normalize_identity(k, v)) = mycc.normalize_identity(k, v)) AS idempotent
FROM (VALUES ('phone', '138 0013 8000'), ('phone', '+1 (415) 555-0100'), ('phone', '010-87654321 ext. 123'), ('email', ' A@B.Cd '),
	('email', 'user@MÜNCHEN.de'), ('qq', '１０００１'), ('wechat', E' o6\u3000')) AS t(k, v);

-- Issue 15, as a user met it: each group of spellings resolves to one
-- customer, not two (rolled back: the identity test owns the data).
BEGIN;
SELECT g AS spellings, count(DISTINCT mycc.resolve(k, v)) AS customers
FROM (VALUES ('mobile', 'phone', '86 13800138000'), ('mobile', 'phone', '13800138000'), ('mobile', 'phone', '+86 0138 0013 8000'),
	('mobile', 'phone', '１３８００１３８０００'), ('mobile', 'phone', '＋８６ １３８ ００１３ ８０００'),
	('landline', 'phone', '+86 010 8765 4321'), ('landline', 'phone', '010-87654321'),
	('e-mail', 'email', 'user@MÜNCHEN.de'), ('e-mail', 'email', 'user@münchen.de'), ('e-mail', 'email', 'user@xn--mnchen-3ya.de'),
	('wechat', 'wechat', E'\u3000abc\u3000'), ('wechat', 'wechat', 'abc'), ('wechat', 'wechat', E'\u00a0abc')) AS t(g, k, v)
GROUP BY g ORDER BY g;
ROLLBACK;
RESET search_path;
