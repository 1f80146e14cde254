#!/usr/bin/python3
"""Spellings of Chinese phone numbers and an independent reference answer.

Writes N spellings (default 4000), one a line, tab-separated: a number,
the spelling, and the E.164 form (with ";ext=N" for an extension) that
python3-phonenumbers (David Drysdale's pure-Python port of libphonenumber,
Debian's python3-phonenumbers: not the C++ library mycc links) gives it
when it calls the number valid, parsed with region CN; an empty field when
it does not.  The spellings cover mobile and landline numbers, valid and
not, written with +86, 0086, 86, (0), a kept trunk 0, spaces, dashes,
dots, brackets, full-width forms, surrounding Unicode spaces, extensions,
and short or service numbers.  The same seed gives the same spellings.

    /usr/bin/python3 tools/phone_reference.py [N [SEED]] > spellings.tsv
"""
import random
import sys
import unicodedata

import phonenumbers
from phonenumbers import PhoneNumberFormat

MOBILE_PREFIXES = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
                   "145", "147", "150", "151", "152", "153", "155", "156", "157", "158",
                   "159", "166", "170", "171", "173", "175", "176", "177", "178", "180",
                   "181", "182", "183", "184", "185", "186", "187", "188", "189", "191",
                   "198", "199",
                   # not allocated to mobiles: the reference calls them invalid
                   "100", "110", "120", "140", "160"]
# area code: subscriber digits
AREAS = {"10": 8, "20": 8, "21": 8, "22": 8, "23": 8, "24": 8, "25": 8, "27": 8,
         "28": 8, "29": 8, "311": 7, "351": 7, "371": 8, "431": 8, "512": 8,
         "571": 8, "591": 8, "731": 8, "755": 8, "871": 8, "898": 8}
SHORT = ["10086", "10010", "10000", "95588", "95533", "95555", "12345", "12306",
         "110", "119", "120", "114", "12315", "4008108888", "400-810-8888",
         "800-820-8820", "1234", "123456"]
EXT_MARKS = [" ext. ", " ext ", " x ", " x", "#", ";ext=", " EXT. "]
SPACES = ["\u00a0", "\u3000", "\u2003", " ", "\u200b"]


def mobile(rng):
    return rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))


def landline(rng):
    area = rng.choice(list(AREAS))
    first = rng.choice("2345678" * 6 + "019")
    rest = "".join(rng.choice("0123456789") for _ in range(AREAS[area] - 1))
    return area, first + rest


def group(digits, sizes, sep):
    out, i = [], 0
    for size in sizes:
        if i >= len(digits):
            break
        out.append(digits[i:i + size])
        i += size
    if i < len(digits):
        out.append(digits[i:])
    return sep.join(out)


def national_significant(rng):
    """An NSN with its grouping: (nsn digits, area or '', rest)."""
    if rng.random() < 0.5:
        nsn = mobile(rng)
        sep = rng.choice([" ", "-", "", ".", " - "])
        return nsn, group(nsn, [3, 4, 4], sep), True
    area, sub = landline(rng)
    sep = rng.choice([" ", "-", "", "."])
    body = group(sub, [4, 4] if len(sub) == 8 else [3, 4], rng.choice([" ", "", "-"]))
    return area + sub, (area, sep, body), False


def spell(rng):
    nsn, grouped, is_mobile = national_significant(rng)
    if is_mobile:
        national, after_cc = grouped, grouped
        trunk_forms = [grouped]
    else:
        area, sep, body = grouped
        national = rng.choice(["0" + area + sep + body, "(0" + area + ") " + body, "0" + area + "-" + body])
        after_cc = area + sep + body
        trunk_forms = ["0" + area + sep + body, "(0)" + area + sep + body, "(0) " + area + " " + body]
    prefix = rng.choice(["", "", "+86 ", "+86-", "+86", "0086 ", "0086-", "86 ", "86",
                         "(+86) ", "(86) ", "+ 86 ", "trunk"])
    if prefix == "":
        text = national
    elif prefix == "trunk":
        text = "+86 " + rng.choice(trunk_forms)
    else:
        text = prefix + after_cc
    return text


def full_width(text, rng):
    mode = rng.random()
    if mode < 0.8:
        return text
    out = []
    for ch in text:
        if ("0" <= ch <= "9" or ch in "+-()") and (mode > 0.9 or ch.isdigit()):
            out.append(chr(ord(ch) + 0xFEE0))
        elif ch == " " and mode > 0.95:
            out.append("\u3000")
        else:
            out.append(ch)
    return "".join(out)


def decorate(text, rng):
    """Full-width forms, an extension, surrounding spaces.  The extension is
    added after the full-width forms: the reference does not see an
    extension mark after an ideographic space (U+3000) and calls the
    number invalid, where mycc reads it as NFKC gives it (a space)."""
    text = full_width(text, rng)
    if rng.random() < 0.1:
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 5)))
        text = text + rng.choice(EXT_MARKS) + full_width(digits, rng)
    if rng.random() < 0.1:
        text = rng.choice(SPACES) + text + rng.choice(SPACES)
    return text


def reference(text):
    """The reference's E.164 (with ;ext=) of a valid number, else ''."""
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if not number.extension:
        return e164
    # The port keeps an extension's digits as written (full-width too).
    return e164 + ";ext=" + unicodedata.normalize("NFKC", number.extension)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 15)
    for n in range(1, count + 1):
        if rng.random() < 0.05:
            text = decorate(rng.choice(SHORT), rng)
        else:
            text = decorate(spell(rng), rng)
        sys.stdout.write("%d\t%s\t%s\n" % (n, text, reference(text)))


if __name__ == "__main__":
    main()
