-- mycc.normalize_identity: the normalisation table of good and bad inputs,
-- the default country code, the identifier kinds.
SET search_path = public, mycc;

SELECT mycc.identity_kinds();
SHOW mycc.default_country_code;

-- Phones: one number written many ways is one E.164 number.
SELECT v AS written, mycc.normalize_identity('phone', v) AS normalized
FROM unnest(ARRAY[
	'13800138000', '138 0013 8000', '138-0013-8000', ' 138.0013.8000 ',
	'+86 138 0013 8000', '+86-138-0013-8000', '0086 13800138000', '(+86) 138 0013 8000', '+86 (0)10 8765 4321',
	'010-8765 4321', '(010) 87654321', '0755 1234 5678',
	'+1 (415) 555-0100', '001 415 555 0100', '+44 20 7946 0958', '+852 2345 6789',
	'+44 (0)20 7946 0958', '+1234567', '+123456789012345'
]) AS v;
SELECT mycc.normalize_identity('phone', E'\t+8613800138000\n') AS tab_and_newline_trimmed;

-- Bad phones: 22023 naming the kind and the value, one per line.
SELECT mycc.normalize_identity('phone', '');
SELECT mycc.normalize_identity('phone', '   ');
SELECT mycc.normalize_identity('phone', '138 0013 800O');
SELECT mycc.normalize_identity('phone', '+86 138 0013 8000 ext 12');
SELECT mycc.normalize_identity('phone', '86+13800138000');
SELECT mycc.normalize_identity('phone', '++8613800138000');
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
\set VERBOSITY default

-- National numbers follow mycc.default_country_code; an 11-digit mainland
-- mobile number gets +86 when the default is 86 or unset.
SET mycc.default_country_code = '1';
SELECT mycc.normalize_identity('phone', '415 555 0100') AS us, mycc.normalize_identity('phone', '+86 13800138000') AS intl,
	mycc.normalize_identity('phone', '13800138000') AS us_not_china;
SET mycc.default_country_code = '44';
SELECT mycc.normalize_identity('phone', '020 7946 0958') AS uk_trunk_zero_dropped;
SET mycc.default_country_code = '';
SELECT mycc.normalize_identity('phone', '13800138000') AS mobile_without_default;
SELECT mycc.normalize_identity('phone', '010 8765 4321');
SET mycc.default_country_code = '+86';
SET mycc.default_country_code = '086';
SET mycc.default_country_code = '1234';
SET mycc.default_country_code = 'cn';
RESET mycc.default_country_code;
SHOW mycc.default_country_code;

-- The three-argument form takes the country code as an argument (immutable).
SELECT mycc.normalize_identity('phone', '415 555 0100', '1') AS us, mycc.normalize_identity('phone', '13800138000', '') AS cn;
SELECT mycc.normalize_identity('phone', '415 555 0100', '');
SELECT mycc.normalize_identity('phone', '415 555 0100', '01');
SELECT mycc.normalize_identity('phone', '415 555 0100', 'x');

-- E-mail: trimmed, lower-cased, one @, a dotted domain.
SELECT v AS written, mycc.normalize_identity('email', v) AS normalized
FROM unnest(ARRAY[
	'Li.Lei@Example.COM', '  wang.fang+travel@mail.example.cn  ', 'a@b.co',
	'USER_1@Sub-Domain.Example.org', '王芳@例子.中国', 'o''brien@example.ie'
]) AS v;
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
FROM (VALUES ('phone', '138 0013 8000'), ('phone', '+1 (415) 555-0100'), ('email', ' A@B.Cd '), ('qq', '10001'), ('wechat', ' o6 ')) AS t(k, v);
RESET search_path;
