#!/usr/bin/env python3
"""Measure the classifier and the policy on security_dev.jsonl, before the validator exists.

    python3 tools/eval/policy_security_dev.py ../shared/eval/security_dev.jsonl

Builds a ``ValidatedCommand`` for each item with a deliberately small
stand-in for the validator (shell-style split, service and command looked
up in ``aws-mcp catalog``, ``--name values`` pairs, global options, the
positional arguments of the few customizations the set uses, ``file://``
values as local paths), runs them through ``examples/decide`` twice
(default policy, then ``READ_OPERATIONS_ONLY=true``) and compares:

* ``expect`` with the default policy's decision (accept = allow), for items
  whose verdict depends on the policy: items the stand-in cannot build
  (shell operators, unknown names, wrong types, homoglyphs...) are the
  validator's and are reported as ``validator``;
* ``read_only`` (when labelled) with the classifier's ``read_only``.

Once the validator lands, ``aws-mcp check`` replaces the stand-in.
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GLOBAL_VALUE = {"region", "profile", "endpoint-url", "output", "query", "ca-bundle", "color",
                "cli-read-timeout", "cli-connect-timeout"}
GLOBAL_FLAG = {"debug", "no-paginate", "no-verify-ssl", "no-sign-request", "version", "v2-debug"}
POSITIONAL = {("s3", "ls"): ["paths"], ("s3", "cp"): ["paths"], ("s3", "mv"): ["paths"],
              ("s3", "sync"): ["paths"], ("s3", "rm"): ["paths"], ("s3", "rb"): ["paths"],
              ("s3", "mb"): ["paths"], ("s3", "presign"): ["path"],
              ("configure", "get"): ["varname"], ("configure", "set"): ["varname", "value"],
              ("s3api", "get-object"): ["outfile"]}


def load_catalog():
    out = subprocess.run([os.path.join(ROOT, "target/debug/aws-mcp"), "catalog"], check=True,
                         capture_output=True, text=True).stdout
    cat = {}
    for line in out.splitlines():
        d = json.loads(line)
        cat[(d["service"], d["operation"])] = d
    return cat


def camel(name):
    return "".join(p[:1].upper() + p[1:] for p in name.split("-"))


# Categories whose verdict is the parser's or validator's alone (types,
# enums, required members, input size): the stand-in does not judge them.
VALIDATOR_CATEGORIES = {"wrong_type", "invalid_enum", "missing_required", "long_input"}


def build(command, cat, category=None):
    """A ValidatedCommand, or None when the validator would have to judge the text."""
    if category in VALIDATOR_CATEGORIES:
        return None
    if any(ord(c) > 127 for c in command):
        return None
    try:
        toks = shlex.split(command, posix=True)
    except ValueError:
        return None
    ops = {"|", "||", "&&", ";", "<", ">", "&"}
    if not toks or toks[0] != "aws" or any(t in ops or "$(" in t or "`" in t for t in toks):
        return None
    if any(("$(" in t or "`" in t or ";" in t) for t in shlex.split(command, posix=False)):
        return None
    words = toks[1:]
    if len(words) < 1:
        return None
    service = words[0]
    rest = words[1:]
    op = None
    for n in (2, 1, 0):
        cand = " ".join(w for w in rest[:n] if not w.startswith("--"))
        if len(cand.split()) == n and (service, cand) in cat:
            op, rest = cand, rest[n:]
            break
    if op is None:
        return None
    entry = cat[(service, op)]
    known = {a["name"]: a for a in entry["args"]}
    globals_ = {"debug": False, "no_paginate": False, "no_verify_ssl": False,
                "no_sign_request": False, "version": False, "v2_debug": False}
    args, params, local, positional = [], {}, [], []
    i = 0
    while i < len(rest):
        t = rest[i]
        if t.startswith("--"):
            name, _, inline = t[2:].partition("=")
            vals = [inline] if inline else []
            j = i + 1
            takes = known.get(name, {}).get("type")
            while not inline and j < len(rest) and not rest[j].startswith("--"):
                if takes == "boolean" or (vals and takes != "list"):
                    break
                vals.append(rest[j])
                j += 1
            i = j
            if name in GLOBAL_FLAG:
                globals_[name.replace("-", "_")] = True
                continue
            if name in GLOBAL_VALUE:
                globals_[name.replace("-", "_")] = vals[0] if vals else None
                continue
            if name not in known:
                return None  # unknown or abbreviated option: the validator's call
            args.append({"name": name, "values": vals})
            if entry["kind"] != "custom" and vals:
                params[camel(name)] = vals[0] if len(vals) == 1 else vals
            for v in vals:
                for pre, origin in (("fileb://", "fileb_url"), ("file://", "file_url")):
                    if v.lower().startswith(pre):
                        local.append({"path": v[len(pre):], "access": "read", "arg": name,
                                      "origin": "fileb_url" if pre == "fileb://" else "file_url"})
                        break
        else:
            positional.append(t)
            i += 1
    names = POSITIONAL.get((service, op), [])
    if positional and not names:
        return None
    if names == ["paths"] or names == ["path"]:
        args.insert(0, {"name": names[0], "values": positional})
    else:
        for n, v in zip(names, positional):
            args.insert(0, {"name": n, "values": [v]})
    for k in ("cli_read_timeout", "cli_connect_timeout"):
        if globals_.get(k) is not None:
            globals_[k] = int(globals_[k])
    api = entry["api"]
    return {"service": service, "operation": op, "kind": entry["kind"], "api": api,
            "region": globals_.get("region"), "globals": globals_, "parameters": params,
            "args": args, "local_paths": local, "argv": words}


def run(cmds, env_extra):
    with tempfile.TemporaryDirectory() as home:
        work = os.path.join(home, "work")
        os.makedirs(work)
        env = {"PATH": os.environ.get("PATH", ""), "AWS_REGION": "us-east-1", "HOME": home,
               "AWS_API_MCP_WORKING_DIR": work, **env_extra}
        p = subprocess.run([os.path.join(ROOT, "target/debug/examples/decide")],
                           input="\n".join(json.dumps(c) for c in cmds) + "\n",
                           capture_output=True, text=True, env=env, check=True)
        return [json.loads(l) for l in p.stdout.splitlines()]


def main():
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                           "shared", "eval", "security_dev.jsonl")
    path = sys.argv[1] if len(sys.argv) > 1 else default
    items = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    cat = load_catalog()
    built = [(it, build(it["command"], cat, it.get("category"))) for it in items]
    todo = [(it, c) for it, c in built if c is not None]
    default = run([c for _, c in todo], {})
    ro = run([c for _, c in todo], {"READ_OPERATIONS_ONLY": "true"})
    results = {it["id"]: (d, r) for (it, _), d, r in zip(todo, default, ro)}
    ok = bad = skipped = ro_ok = ro_bad = 0
    for it in items:
        if it["id"] not in results:
            skipped += 1
            print(f"{it['id']}\tvalidator\texpect={it['expect']}\t{it['category']}")
            continue
        d, r = results[it["id"]]
        verdict = "accept" if d["decision"] == "allow" else "reject"
        good = verdict == it["expect"]
        ok += good
        bad += not good
        ro_note = ""
        if it["read_only"] is not None:
            agree = d["read_only"] == it["read_only"]
            ro_ok += agree
            ro_bad += not agree
            ro_note = f"read_only={d['read_only']}({'ok' if agree else 'MISMATCH'})"
        print(f"{it['id']}\t{'PASS' if good else 'FAIL'}\texpect={it['expect']}\tgot={d['decision']}"
              f"\t{ro_note}\tro-mode={r['decision']}\t{d['reason'] or ''}")
    print(f"\npolicy verdicts: {ok} pass, {bad} fail; read_only labels: {ro_ok} agree, "
          f"{ro_bad} disagree; {skipped} items are the validator's (not built here)")
    # read_only disagreements on contested items (credential minting) are by design.
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
