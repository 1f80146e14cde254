#!/usr/bin/env python3
"""Checks META.json against the PGXN Meta Spec, version 1.0
(https://pgxn.org/spec/, "PGXN Meta Spec - The PGXN distribution metadata
specification"; section names below are the spec's), then against this
project's own rules (docs/operations.md, "META.json").

Usage: pgxn_meta.py META.json [mycc.control debian/pgversions src/mycc.h]
Prints one line per problem and exits 1 when there is any.  With only
META.json, checks the spec alone.
"""
import json
import os
import re
import sys

# Version Format: Semantic Versioning 2.0.0 (semver.org's own expression).
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")
# Version Ranges: a version, or operators and versions AND-ed by commas.
RANGE_PART = re.compile(r"^(==|!=|<=|>=|<|>)?\s*(\S+)$")
# License String: the spec's list (Map of names to URIs also allowed).
LICENSES = {
    "agpl_3", "apache_1_1", "apache_2_0", "artistic_1", "artistic_2", "bsd",
    "freebsd", "gfdl_1_2", "gfdl_1_3", "gpl_1", "gpl_2", "gpl_3", "lgpl_2_1",
    "lgpl_3_0", "mit", "mozilla_1_0", "mozilla_1_1", "openssl", "perl_5",
    "postgresql", "qpl_1_0", "ssleay", "sun", "zlib", "open_source",
    "restricted", "unrestricted", "unknown"}
REQUIRED = ["abstract", "maintainer", "license", "provides", "meta-spec",
            "name", "version"]
OPTIONAL = ["description", "generated_by", "tags", "no_index", "prereqs",
            "release_status", "resources"]
PHASES = ["configure", "build", "test", "runtime", "develop"]
RELATIONS = ["requires", "recommends", "suggests", "conflicts"]
URI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")

problems = []


def problem(where, what):
    problems.append(f"META.json {where}: {what}")


def is_custom(key):
    """Custom keys start with x_ or X_ (Custom Keys)."""
    return key[:2] in ("x_", "X_")


def keys(where, value, allowed, required=()):
    if not isinstance(value, dict):
        problem(where, "must be a map")
        return False
    for key in required:
        if key not in value:
            problem(where, f"{key} is required")
    for key in value:
        if key not in allowed and key not in required and not is_custom(key):
            problem(where, f"{key} is not a key the spec defines (custom keys start with x_)")
    return True


def string(where, value):
    if not isinstance(value, str) or not value:
        problem(where, "must be a non-empty string")
        return False
    return True


def term(where, value):
    """Term: at least two characters, no slash, backslash, space or control."""
    if not isinstance(value, str) or len(value) < 2 or \
            re.search(r"[/\\\s\x00-\x1f\x7f]", value):
        problem(where, f"{value!r} is not a Term (2+ characters, no / \\ space or control)")


def tag(where, value):
    if not isinstance(value, str) or not 2 <= len(value) <= 255 or \
            re.search(r"[/\\\x00-\x1f\x7f]", value):
        problem(where, f"{value!r} is not a Tag (2 to 255 characters, no / \\ or control)")


def version(where, value):
    if not isinstance(value, str) or not SEMVER.match(value):
        problem(where, f"{value!r} is not a semantic version (x.y.z[-pre])")


def path(where, value):
    """Paths are relative, with unix conventions."""
    if not isinstance(value, str) or len(value) < 2 or value.startswith("/") or "\\" in value:
        problem(where, f"{value!r} is not a relative unix path")


def uri(where, value):
    if not isinstance(value, str) or not URI.match(value):
        problem(where, f"{value!r} is not a URI")


def version_range(where, value):
    if value == 0:
        return
    if not isinstance(value, str):
        problem(where, "a Version Range is a string or the integer 0")
        return
    for part in value.split(","):
        m = RANGE_PART.match(part.strip())
        if not m or not SEMVER.match(m.group(2)):
            problem(where, f"{value!r} is not a Version Range (part {part.strip()!r})")


def check_spec(meta):
    if not keys("(top level)", meta, OPTIONAL, REQUIRED):
        return
    spec = meta.get("meta-spec", {})
    if keys("meta-spec", spec, ["url"], ["version"]):
        if not re.match(r"^1\.0\.\d+$", str(spec.get("version", ""))):
            problem("meta-spec.version", f"{spec.get('version')!r}: this checks version 1.0.x")
        if "url" in spec:
            uri("meta-spec.url", spec["url"])
    term("name", meta.get("name"))
    version("version", meta.get("version"))
    string("abstract", meta.get("abstract"))
    for key in ("description", "generated_by"):
        if key in meta:
            string(key, meta[key])
    maintainer = meta.get("maintainer")
    if isinstance(maintainer, list):
        if not maintainer or len(set(map(str, maintainer))) != len(maintainer):
            problem("maintainer", "a list must be non-empty, without repeats")
        for i, m in enumerate(maintainer):
            string(f"maintainer[{i}]", m)
    else:
        string("maintainer", maintainer)
    lic = meta.get("license")
    if isinstance(lic, dict):
        if not lic:
            problem("license", "a map must name at least one license")
        for name, link in lic.items():
            uri(f"license.{name}", link)
    else:
        for i, name in enumerate(lic if isinstance(lic, list) and lic else [lic]):
            if name not in LICENSES:
                problem(f"license[{i}]", f"{name!r} is not one of the spec's License Strings")
    provides = meta.get("provides")
    if keys("provides", provides, list(provides or {})):
        if not provides:
            problem("provides", "must name at least one extension")
        for ext, info in provides.items():
            term(f"provides key {ext!r}", ext)
            where = f"provides.{ext}"
            if keys(where, info, ["abstract", "docfile"], ["file", "version"]):
                path(f"{where}.file", info.get("file"))
                version(f"{where}.version", info.get("version"))
                if "docfile" in info:
                    path(f"{where}.docfile", info["docfile"])
                if "abstract" in info:
                    string(f"{where}.abstract", info["abstract"])
    if "tags" in meta:
        tags = meta["tags"]
        if not isinstance(tags, list) or not tags or len(set(map(str, tags))) != len(tags):
            problem("tags", "must be a non-empty list without repeats")
        else:
            for i, t in enumerate(tags):
                tag(f"tags[{i}]", t)
    if "no_index" in meta and keys("no_index", meta["no_index"], ["file", "directory"]):
        for key, paths in meta["no_index"].items():
            for p in paths if isinstance(paths, list) else [paths]:
                path(f"no_index.{key}", p)
    if "prereqs" in meta and keys("prereqs", meta["prereqs"], PHASES):
        for phase, rels in meta["prereqs"].items():
            if keys(f"prereqs.{phase}", rels, RELATIONS):
                for rel, exts in rels.items():
                    if keys(f"prereqs.{phase}.{rel}", exts, list(exts or {})):
                        for ext, rng in exts.items():
                            term(f"prereqs.{phase}.{rel} key", ext)
                            version_range(f"prereqs.{phase}.{rel}.{ext}", rng)
    if "release_status" in meta and meta["release_status"] not in ("stable", "testing", "unstable"):
        problem("release_status", f"{meta['release_status']!r} is not stable, testing or unstable")
    if "resources" in meta:
        res = meta["resources"]
        if keys("resources", res, ["homepage", "bugtracker", "repository"]):
            if "homepage" in res:
                uri("resources.homepage", res["homepage"])
            if "bugtracker" in res and keys("resources.bugtracker", res["bugtracker"], ["web", "mailto"]):
                if "web" in res["bugtracker"]:
                    uri("resources.bugtracker.web", res["bugtracker"]["web"])
                if "mailto" in res["bugtracker"] and not EMAIL.match(str(res["bugtracker"]["mailto"])):
                    problem("resources.bugtracker.mailto", "is not an e-mail address")
            if "repository" in res and keys("resources.repository", res["repository"], ["url", "web", "type"]):
                repo = res["repository"]
                for key in ("url", "web"):
                    if key in repo:
                        uri(f"resources.repository.{key}", repo[key])
                if "url" in repo and not re.match(r"^[a-z]+$", str(repo.get("type", ""))):
                    problem("resources.repository.type", "a lowercase VCS name is needed with url")


def major_range(rng):
    """The PostgreSQL major versions (10 to 99) a Version Range admits."""
    def admits(major):
        ok = True
        for part in str(rng).split(","):
            m = RANGE_PART.match(part.strip())
            op, v = (m.group(1) or ">="), tuple(int(x) for x in m.group(2).split("-")[0].split("."))
            low = (major, 0, 0)
            high = (major, 999, 999)
            ok = ok and {"==": low == v, "!=": True, ">=": high >= v, ">": high > v,
                         "<=": low <= v, "<": low < v}[op]
        return ok
    return [major for major in range(10, 100) if rng == 0 or admits(major)]


def check_project(meta, control, pgversions, header):
    """This project's rules (docs/operations.md, "META.json")."""
    with open(control) as f:
        default = re.search(r"^default_version\s*=\s*'([^']*)'", f.read(), re.M).group(1)
    versions = {meta.get("version")} | {e.get("version") for e in meta.get("provides", {}).values()}
    if versions != {default}:
        problem("version", f"{sorted(map(str, versions))} is not mycc.control's default_version {default!r}")
    # A version with a pre-release label (-dev) is main under development:
    # unstable; a release is stable.  testing is for a -beta or -rc label.
    pre = default.partition("-")[2]
    want = "stable" if not pre else "testing" if re.match(r"^(beta|rc)", pre) else "unstable"
    if meta.get("release_status") != want:
        problem("release_status", f"{meta.get('release_status')!r}, but version {default} is {want}")
    root = os.path.dirname(os.path.abspath(control))
    for ext, info in meta.get("provides", {}).items():
        for key in ("file", "docfile"):
            if key in info and not os.path.isfile(os.path.join(root, info[key])):
                problem(f"provides.{ext}.{key}", f"{info[key]} does not exist")
    # The supported PostgreSQL versions, said three times: the range in
    # prereqs, debian/pgversions (the packages built) and the #error of
    # src/mycc.h (the oldest version the code builds for).
    rng = meta.get("prereqs", {}).get("runtime", {}).get("requires", {}).get("PostgreSQL")
    if rng is None:
        problem("prereqs.runtime.requires.PostgreSQL", "is missing")
        return
    majors = major_range(rng)
    with open(pgversions) as f:
        built = [int(line) for line in (l.strip() for l in f) if line and not line.startswith("#")]
    if majors != built:
        said = f"{majors[0]} and later" if majors and majors[-1] == 99 else str(majors)
        problem("prereqs.runtime.requires.PostgreSQL",
                f"{rng!r} admits {said}, debian/pgversions lists {built}")
    with open(header) as f:
        m = re.search(r"#if PG_VERSION_NUM < (\d+)\d{4}\s*\n#error", f.read())
    if not m or int(m.group(1)) != (majors or [0])[0]:
        problem("prereqs.runtime.requires.PostgreSQL",
                f"{rng!r}, but {header} refuses versions below {m.group(1) if m else '(no #error)'}")


def main(argv):
    with open(argv[1]) as f:
        try:
            meta = json.load(f)
        except ValueError as e:
            print(f"META.json is not JSON: {e}")
            return 1
    check_spec(meta)
    if len(argv) == 5 and not problems:
        check_project(meta, *argv[2:])
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
