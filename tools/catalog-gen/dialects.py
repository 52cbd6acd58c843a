"""Merge the AWS CLI v1 and v2 command tables into one catalog.

Both tables come from ``build.build_catalog`` (run once under awscli v1, once
under awscli v2, on the same botocore data). The result has the same layout
with one more field, ``dialects``, on global options, top-level commands,
commands and arguments: ``1`` (AWS CLI v1 only) or ``2`` (AWS CLI v2 only);
absent means both. Everything both versions share is stored once:

* a command is shared when its kind, API operation, operation model and
  paginator agree (its description is v1's); otherwise each version gets its
  own entry under the same name (``sso logout`` is an API operation in v1 and
  a customization in v2);
* an argument is shared when everything but its one-line documentation agrees;
  otherwise each version gets its own entry (``--generate-cli-skeleton`` has
  a ``yaml-input`` choice in v2; v2's list arguments take ``nargs='*'``);
* the operations awscli removes from its table (``removed``, see
  ``build.add_removed_operations``) are merged apart from the table's
  commands and placed after all of them;
* argument lists are merged so that, filtered by either dialect, they are in
  that version's own order (positional arguments depend on it);
* shapes with the same name and different contents are kept apart: the v2
  one is renamed ``v2:<name>`` along with every reference to it.

The merge is deterministic: it depends only on the two tables' contents and
order.
"""
import difflib
import json

V1, V2 = 1, 2


def key(obj, drop=("doc", "description")):
    return json.dumps({k: v for k, v in obj.items() if k not in drop}, sort_keys=True)


def merge_seq(a, b, keyf, tag):
    """Merge two ordered lists; shared items once, others tagged with their dialect.

    Filtering the result by either dialect gives that list back in its own
    order.
    """
    ka = [keyf(x) for x in a]
    kb = [keyf(x) for x in b]
    out = []
    sm = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out += a[i1:i2]
            continue
        out += [tag(x, V1) for x in a[i1:i2]]
        out += [tag(x, V2) for x in b[j1:j2]]
    return out


def tagged(x, dialect):
    y = dict(x)
    y["dialects"] = dialect
    return y


def rename_refs(obj, renames):
    """Rewrite every ``shape`` reference in a shape, member reference or argument."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k == "shape" and isinstance(v, str) and v in renames:
                out[k] = renames[v]
            else:
                out[k] = rename_refs(v, renames) if isinstance(v, (dict, list)) else v
        return out
    if isinstance(obj, list):
        return [rename_refs(v, renames) if isinstance(v, (dict, list)) else v for v in obj]
    return obj


def separate_shapes(s1, s2, detail2):
    """Rename v2's shapes whose names clash with different v1 shapes.

    Renaming a shape changes the shapes that refer to it, so this runs until
    nothing clashes. Returns v2's detail with the new names.
    """
    renames = {}
    shapes2 = dict(s2)
    while True:
        clash = sorted(n for n, sh in shapes2.items() if n in s1 and s1[n] != sh and n not in renames)
        if not clash:
            break
        for n in clash:
            renames[n] = "v2:" + n
        shapes2 = {renames.get(n, n): rename_refs(sh, renames) for n, sh in s2.items()}
    if not renames:
        return detail2
    out = dict(detail2)
    out["shapes"] = shapes2
    out["commands"] = rename_refs(detail2["commands"], renames)
    return out


def merge_service(e1, e2):
    """One top-level command present in both tables."""
    entry = dict(e1)
    d1 = e1["detail"]
    d2 = separate_shapes(d1["shapes"], e2["detail"]["shapes"], e2["detail"])
    shapes = dict(d1["shapes"])
    shapes.update({k: v for k, v in d2["shapes"].items() if k not in shapes})
    pairs1 = list(zip(e1["commands"], d1["commands"]))
    pairs2 = list(zip(e2["commands"], d2["commands"]))

    def cmd_key(p):
        summary, detail = p
        return key(summary) + key({k: v for k, v in detail.items() if k != "args"})

    def tag_cmd(p, dialect):
        return (tagged(p[0], dialect), p[1])

    def merge_part(removed):
        """Merge the table's commands (``removed`` False) or the operations
        awscli removed from it (True): each part in its own order."""
        p1 = [p for p in pairs1 if bool(p[0].get("removed")) == removed]
        p2 = [p for p in pairs2 if bool(p[0].get("removed")) == removed]
        merged = merge_seq(p1, p2, cmd_key, tag_cmd)
        # Arguments of shared commands: merge the two lists.
        by_key2 = {cmd_key(p): p for p in p2}
        commands, details = [], []
        for summary, detail in merged:
            if "dialects" not in summary:
                other = by_key2[cmd_key((summary, detail))][1]
                detail = dict(detail)
                detail["args"] = merge_seq(detail["args"], other["args"], key, tagged)
            commands.append(summary)
            details.append(detail)
        # v2-only commands go after the shared and v1 ones, so that names keep
        # their v1 positions (stable lookups, smaller diffs).
        order = sorted(range(len(commands)), key=lambda i: commands[i].get("dialects") == V2)
        return [commands[i] for i in order], [details[i] for i in order]

    # The removed operations go after every command of the table, so that
    # the table's own commands keep their positions.
    commands, details = merge_part(False)
    removed_commands, removed_details = merge_part(True)
    entry["commands"] = commands + removed_commands
    detail = dict(d1)
    detail["commands"] = details + removed_details
    detail["shapes"] = {k: shapes[k] for k in sorted(shapes)}
    entry["detail"] = detail
    return entry


def merge(v1, v2):
    """The merged catalog of two ``build_catalog`` results (v1 first)."""
    if v1["partitions"] != v2["partitions"]:
        raise SystemExit("the v1 and v2 walks read different partitions: not the same botocore data")
    out = dict(v1)
    out["sources"] = dict(v1["sources"], awscli_v2=v2["sources"]["awscli"])
    out["global_args"] = merge_seq(v1["global_args"], v2["global_args"], key, tagged)
    s2 = {s["name"]: s for s in v2["services"]}
    names1 = {s["name"] for s in v1["services"]}
    services = []
    for e1 in v1["services"]:
        e2 = s2.get(e1["name"])
        services.append(merge_service(e1, e2) if e2 else tagged(e1, V1))
    for e2 in v2["services"]:
        if e2["name"] not in names1:
            services.append(tagged(e2, V2))
    out["services"] = services
    return out
