"""Turn the live AWS CLI command table into the catalog's data model.

Data model (JSON, before compression), documented for the Rust side in
``aws-mcp-core/src/catalog/format.rs``:

index:   {format, sources, global_args: [Arg], partitions: [Partition],
          partitions_data: "<botocore partitions.json text>",
          services: [{name, api, full_name, protocol, api_version, signing_name,
                      endpoint_prefix, metadata, commands: [Summary], detail}]}
          (the writer, ``generate.py``, stores each service's ``commands`` and
          ``detail`` in frames of their own)
service: {commands: [{args: [Arg], paginator, op, waiter}], shapes: {name: Shape},
          endpoint_rules: "<endpoint-rule-set-1.json text>"}

Command summaries with ``removed: true`` are the API operations awscli keeps
out of its command table (``add_removed_operations``), after the table's
commands: the native executor's customizations call them, users never see
them.

Shapes are every shape reachable from an operation's input, output and
errors, in botocore's raw form without documentation, and the schemas of
customization arguments that take a structure, list or map
(``cli:<service>/<command>:<argument>:<name>``, see ``describe_arg``). Structure members keep
the model's order (the AWS CLI prints response members in that order).
"""
import json
import os

from awscli.arguments import BooleanArgument, CLIArgument
from awscli.clidriver import ServiceCommand
from awscli.customizations.paginate import PageArgument

import walk

RAW_DROP = {"documentation", "deprecatedMessage", "pattern", "retryable", "documentationUrl",
            "examples"}
METADATA_DROP = {"documentation"}


def strip(d):
    """A raw model dict (shape, member reference or operation) without its
    documentation and error-only keys.

    Only trait keys are dropped: a structure's ``members`` map is keyed by
    member names, which may well be ``pattern`` or ``error`` (codebuild's
    ``WebhookFilter.pattern``), so member names are kept and only each
    member reference is stripped.
    """
    out = {}
    for k, v in d.items():
        if k in RAW_DROP:
            continue
        if k == "members" and isinstance(v, dict):
            v = {name: strip(ref) for name, ref in v.items()}
        elif k in ("member", "key", "value") and isinstance(v, dict):
            v = strip(v)
        out[k] = v
    return out


class ServiceData:
    def __init__(self, loader, name, api_version):
        self.raw = loader.load_service_model(name, "service-2", api_version)
        try:
            self.paginators = loader.load_service_model(name, "paginators-1", api_version)["pagination"]
        except Exception:
            self.paginators = {}
        try:
            rules = loader.load_service_model(name, "endpoint-rule-set-1", api_version)
            self.endpoint_rules = json.dumps(rules, separators=(",", ":"))
        except Exception:
            self.endpoint_rules = None
        try:
            self.waiters = loader.load_service_model(name, "waiters-2", api_version)["waiters"]
        except Exception:
            self.waiters = {}
        self.shapes = {}

    def metadata(self):
        """The service metadata (protocols, JSON version, target prefix, XML
        namespace, signing) and the client context parameters of the
        endpoint rules, without documentation."""
        md = {k: v for k, v in self.raw.get("metadata", {}).items() if k not in METADATA_DROP}
        if "clientContextParams" in self.raw:
            md["clientContextParams"] = {k: {kk: vv for kk, vv in v.items() if kk != "documentation"}
                                         for k, v in self.raw["clientContextParams"].items()}
        return md

    def add_operation(self, raw_op):
        """Add the shapes an operation reads, writes and fails with."""
        for key in ("input", "output"):
            if key in raw_op:
                self.add_shape_closure(raw_op[key]["shape"])
        for err in raw_op.get("errors", []):
            self.add_shape_closure(err["shape"])

    def add_shape_closure(self, name):
        todo = [name]
        raw_shapes = self.raw["shapes"]
        while todo:
            n = todo.pop()
            if n in self.shapes or n not in raw_shapes:
                continue
            s = strip(raw_shapes[n])
            self.shapes[n] = s
            for m in s.get("members", {}).values():
                todo.append(m["shape"])
            for k in ("member", "key", "value"):
                if k in s:
                    todo.append(s[k]["shape"])


def shape_from_object(shape, prefix, table):
    """Serialize a botocore Shape object (customization schemas) into table; return its name."""
    name = prefix + shape.name
    if name in table:
        return name
    d = {"type": shape.type_name}
    table[name] = d
    md = shape.metadata or {}
    for k in ("min", "max", "enum"):
        if k in md:
            d[k] = md[k]
    if shape.type_name == "structure":
        d["members"] = {m: {"shape": shape_from_object(s, prefix, table)} for m, s in shape.members.items()}
        if shape.required_members:
            d["required"] = list(shape.required_members)
    elif shape.type_name == "list":
        d["member"] = {"shape": shape_from_object(shape.member, prefix, table)}
    elif shape.type_name == "map":
        d["key"] = {"shape": shape_from_object(shape.key, prefix, table)}
        d["value"] = {"shape": shape_from_object(shape.value, prefix, table)}
    return name


def describe_arg(arg, name, svc, shapes, cmd_path):
    a = {"name": name, "type": arg.cli_type_name or "string"}
    if arg.required:
        a["required"] = True
    if getattr(arg, "positional_arg", False):
        a["positional"] = True
    nargs = getattr(arg, "nargs", None)
    if nargs is not None:
        a["nargs"] = str(nargs)
    if getattr(arg, "_UNDOCUMENTED", False):
        a["hidden"] = True
    try:
        doc = arg.documentation
    except Exception:
        doc = ""
    d = walk.one_line(doc, 200)
    if d:
        a["doc"] = d
    model = getattr(arg, "argument_model", None)
    if isinstance(arg, PageArgument):
        a["kind"] = "pagination"
        a["member"] = arg._serialized_name
    elif isinstance(arg, CLIArgument):
        a["member"] = arg._serialized_name
        if isinstance(arg, BooleanArgument) and getattr(arg, "_action", None) == "store_false":
            a["negated"] = True
        if model is not None and svc is not None and model.name in svc.raw["shapes"]:
            svc.add_shape_closure(model.name)
            a["shape"] = model.name
    else:
        a["kind"] = "custom"
        if model is not None and model.type_name in ("structure", "list", "map"):
            # awscli builds each argument's schema apart, with its own
            # generated names (InputShape, IntegerType1, ...): one prefix
            # per argument keeps them apart.
            a["shape"] = shape_from_object(model, "cli:" + "/".join(cmd_path) + ":" + name + ":",
                                           shapes)
    choices = None
    try:
        choices = arg.choices
    except Exception:
        pass
    if choices:
        a["choices"] = [str(c) for c in choices]
    elif model is not None and getattr(model, "enum", None):
        a["choices"] = list(model.enum)
    return a


def waiter_model(cmd, svc):
    """A waiter command's botocore waiter (``waiters-2.json``): its name,
    delay, maximum attempts and acceptors, without the description."""
    name = cmd._operation_caller._waiter_name
    w = svc.waiters[name]
    out = {"name": name, "delay": w["delay"], "maxAttempts": w["maxAttempts"],
           "acceptors": w["acceptors"]}
    if w["operation"] != cmd._operation_model.name:
        raise SystemExit(f"waiter {name} polls {w['operation']}, its command calls "
                         f"{cmd._operation_model.name}")
    return out


def add_command(entry, path, cmd, svc, removed=False):
    """Describe one command (summary and detail) into its top-level entry."""
    op_model = getattr(cmd, "_operation_model", None)
    kind = "custom"
    cls = type(cmd).__name__
    if cls == "WaiterStateCommand":
        kind = "waiter"
    elif cls == "ServiceOperation":
        kind = "operation"
    summary = {"name": " ".join(path[1:]), "kind": kind}
    if op_model is not None and svc is not None:
        summary["api"] = op_model.name
        if kind == "waiter":
            summary["description"] = walk.one_line(getattr(cmd, "DESCRIPTION", ""), 240)
        else:
            summary["description"] = walk.one_line(op_model.documentation, 240)
        if op_model.deprecated:
            summary["deprecated"] = True
    else:
        summary["description"] = walk.one_line(walk.command_description(cmd), 240)
    if getattr(cmd, "_UNDOCUMENTED", False):
        summary["hidden"] = True
    if removed:
        summary["removed"] = True
    shapes = entry["detail"]["shapes"]
    args = [describe_arg(arg, name, svc, shapes, path) for name, arg in walk.arg_table(cmd).items()]
    detail = {"args": args}
    if op_model is not None and svc is not None:
        raw_op = svc.raw["operations"].get(op_model.name, {})
        op = strip({k: v for k, v in raw_op.items() if k not in ("name",)})
        detail["op"] = op
        svc.add_operation(raw_op)
        if kind == "operation" and op_model.name in svc.paginators:
            detail["paginator"] = svc.paginators[op_model.name]
        if kind == "waiter":
            detail["waiter"] = waiter_model(cmd, svc)
    entry["commands"].append(summary)
    entry["detail"]["commands"].append(detail)


def add_removed_operations(entry, top, svc, session):
    """Add the service's API operations that awscli keeps out of its command
    table, as commands flagged ``removed``.

    awscli drops some generated commands (``customizations/removals.py``:
    ``emr run-job-flow``, ``emr add-job-flow-steps``, ...) or replaces them
    with a hand-written command of the same name (``emr describe-cluster``);
    its customizations still call those operations through the client. They
    are described exactly as awscli would have generated them (a
    ``ServiceOperation`` named ``xform_name(operation, '-')``, with its
    argument table, operation model, paginator and shapes), after the
    table's own commands, so that the native executor can run a
    customization's API calls; users never see them (the catalog reader
    keeps them out of every lookup and listing but its internal one).
    """
    from awscli.clidriver import CLIOperationCaller, ServiceOperation
    from botocore import xform_name

    called = {s["api"] for s in entry["commands"] if s["kind"] == "operation" and "api" in s}
    sm = top._get_service_model()
    for op_name in sm.operation_names:
        if op_name in called:
            continue
        cli_name = xform_name(op_name, "-")
        cmd = ServiceOperation(name=cli_name, parent_name=top._name, session=session,
                               operation_model=sm.operation_model(op_name),
                               operation_caller=CLIOperationCaller(session))
        cmd.lineage = top.lineage + [cmd]
        add_command(entry, [entry["name"], cli_name], cmd, svc, removed=True)


def build_catalog(pins):
    drv = walk.driver()
    session = drv.session
    loader = session.get_component("data_loader")
    global_args = []
    for name, arg in drv._get_argument_table().items():
        gtype = getattr(arg, "cli_type_name", "string") or "string"
        g = {"name": name, "type": {"int": "integer", "str": "string"}.get(gtype, gtype)}
        act = getattr(arg, "_action", None)
        if act in ("store_true", "store_false"):
            g["type"] = "boolean"
        if getattr(arg, "choices", None):
            g["choices"] = list(arg.choices)
        if getattr(arg, "nargs", None):
            g["nargs"] = str(arg.nargs)
        d = walk.one_line(getattr(arg, "documentation", ""), 200)
        if d:
            g["doc"] = d
        global_args.append(g)
    endpoints = loader.load_data("endpoints")
    partitions = [{"id": p["partition"], "regex": p.get("regionRegex", ""),
                   "regions": sorted(p.get("regions", {}).keys())} for p in endpoints["partitions"]]
    try:
        pdata = loader.load_data("partitions")
        for p in pdata["partitions"]:
            for q in partitions:
                if q["id"] == p["id"]:
                    q["regions"] = sorted(set(q["regions"]) | set(p.get("regions", {}).keys()))
                    q["regex"] = p.get("regionRegex", q["regex"])
    except Exception:
        pass

    services = {}
    order = []
    svc_data = {}
    tops = {}
    for path, cmd, top in walk.iter_commands(drv):
        top_name = path[0]
        if top_name not in services:
            api = top._service_name if isinstance(top, ServiceCommand) else None
            entry = {"name": top_name, "api": api, "commands": [],
                     "detail": {"commands": [], "shapes": {}}}
            if api:
                sm = top._get_service_model()
                md = sm.metadata
                entry.update({"full_name": md.get("serviceFullName", ""), "protocol": md.get("protocol"),
                              "api_version": sm.api_version, "signing_name": sm.signing_name,
                              "endpoint_prefix": sm.endpoint_prefix, "service_id": md.get("serviceId")})
                svc_data[top_name] = ServiceData(loader, api, sm.api_version)
                entry["metadata"] = svc_data[top_name].metadata()
            else:
                entry["full_name"] = walk.one_line(walk.command_description(top), 120)
            services[top_name] = entry
            tops[top_name] = top
            order.append(top_name)
        entry = services[top_name]
        add_command(entry, path, cmd, svc_data.get(top_name))
    for name, svc in svc_data.items():
        add_removed_operations(services[name], tops[name], svc, session)
    for name, svc in svc_data.items():
        # The API shapes and the customizations' own (``cli:<path>:<name>``,
        # written by describe_arg), one sorted table.
        shapes = dict(services[name]["detail"]["shapes"])
        for k, v in svc.shapes.items():
            if k in shapes and shapes[k] != v:
                raise SystemExit(f"{name}: shape {k} is both an API shape and a customization's")
            shapes[k] = v
        services[name]["detail"]["shapes"] = {k: shapes[k] for k in sorted(shapes)}
        if svc.endpoint_rules is not None:
            services[name]["detail"]["endpoint_rules"] = svc.endpoint_rules
    from awscli import __version__ as awscli_version

    return {
        "format": 4,
        "sources": {"awscli": awscli_version, "botocore_data": pins["botocore"],
                    "generator": "tools/catalog-gen/generate.py"},
        "global_args": global_args,
        "partitions": partitions,
        "partitions_data": json.dumps(loader.load_data("partitions"), separators=(",", ":")),
        "services": [services[n] for n in order],
    }
