#!/usr/bin/env python3
"""Checks a Python program's use of ttnn against the ttnn API reference (../shared/spec/ttnn-api.json).

usage: validate_ttnn.py API.json PROGRAM.py

Walks the program's syntax tree and reports, with line and column, every use of ttnn that the reference does not
back:
  * every attribute chain rooted at the module (ttnn.X, ttnn.Enum.MEMBER, ttnn.device.Arch.WORMHOLE_B0) must be a
    function, type, constant, enum or enum member of the reference (module aliases such as ttnn.bfloat16 and
    ttnn.TILE_LAYOUT included; members the reference lists as newer- or older-only are refused);
  * every call of a ttnn function or type: each keyword must be one of its parameter names, keyword-only parameters
    must not be given positionally, positional-only ones must not be given by keyword, required parameters must be
    given (for functions without overloads), no *args or **kwargs (they cannot be checked);
  * the calling rules of the reference's notes: ttnn.from_torch with memory_config needs device, bfloat8_b and
    bfloat4_b need layout=TILE, ttnn.layer_norm always gets epsilon, a program that calls a conv opens its device
    (ttnn.open_device or ttnn.open_mesh_device) with l1_small_size, one that captures a trace with trace_region_size;
  * ttnn is imported as `import ttnn` and used only through attributes.
Prints one line per problem and a summary with the names used; exits 1 when there is a problem, 2 on bad usage.
"""

import ast
import json
import sys

CONVS = {"ttnn.conv1d", "ttnn.conv2d", "ttnn.conv_transpose2d"}
BLOCK_FLOATS = {"ttnn.bfloat8_b", "ttnn.bfloat4_b", "ttnn.DataType.BFLOAT8_B", "ttnn.DataType.BFLOAT4_B"}
TILE = {"ttnn.TILE_LAYOUT", "ttnn.Layout.TILE"}
OPENERS = {"ttnn.open_device", "ttnn.open_mesh_device"}


class Api:
    def __init__(self, doc):
        self.functions = doc["functions"]
        self.types = doc["types"]
        self.enums = doc["enums"]
        self.module_aliases = {}
        for enum, spec in self.enums.items():
            for alias, member in spec.get("module_aliases", {}).items():
                self.module_aliases[alias] = (enum, member)
        self.aliases = {k: v for k, v in doc.get("aliases", {}).items() if k.startswith("ttnn.") and " " not in k}

    def resolve(self, dotted):
        """(kind, spec) of a dotted ttnn name, or (None, reason)."""
        if dotted in self.functions:
            return "function", self.functions[dotted]
        if dotted in self.types:
            spec = self.types[dotted]
            target = spec.get("alias_of")
            if target in self.types:
                return "type", self.types[target]
            return ("type", spec) if "constructors" in spec else ("constant", spec)
        if dotted in self.enums:
            return "enum", self.enums[dotted]
        if dotted in self.module_aliases:
            enum, member = self.module_aliases[dotted]
            if "newer" in member:
                return None, f"{dotted} exists only in newer ttnn ({enum}.{member})"
            return "member", (enum, member)
        owner, _, member = dotted.rpartition(".")
        if owner in self.enums:
            spec = self.enums[owner]
            if member in spec.get("values", []):
                return "member", (owner, member)
            if member in spec.get("newer_values", []) or member in spec.get("older_values", []):
                return None, f"{dotted}: {member} is not in every ttnn version the reference read ({owner}: {', '.join(spec['values'])})"
            return None, f"{dotted}: {owner} has no member {member} ({', '.join(spec['values'])})"
        if dotted in self.aliases:
            return None, f"{dotted} is an alias ({self.aliases[dotted]}); use the name the reference binds"
        return None, f"{dotted} is not in the ttnn API reference"


def chain(node):
    """'ttnn.a.b' for an attribute chain rooted at the name ttnn, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id == "ttnn" and parts:
        return ".".join(["ttnn"] + parts[::-1])
    return None


def positional_capacity(spec):
    """How many arguments a function takes positionally, over its main signature and its overloads."""
    main = sum(1 for p in spec.get("params", []) if p["kind"] != "keyword")
    best = main
    for overload in spec.get("overloads", []):
        params = overload.get("params", [])
        count = 0
        for p in params:
            if p.strip() == "*" or p.startswith("..."):
                break
            count += 1
        best = max(best, count)
    return best


def keyword_names(spec):
    names = set(spec.get("all_keyword_names", []))
    names.update(p["name"] for p in spec.get("params", []) if p["kind"] != "positional_only")
    return names


class Checker(ast.NodeVisitor):
    def __init__(self, api, path):
        self.api = api
        self.path = path
        self.problems = []
        self.used = {}
        self.calls = 0
        self.conv_calls = []
        self.trace_calls = []
        self.open_device_calls = []

    def problem(self, node, message):
        self.problems.append(f"{self.path}:{node.lineno}:{node.col_offset + 1}: {message}")

    # imports -----------------------------------------------------------------------------------------------------
    def visit_Import(self, node):
        for alias in node.names:
            if alias.name == "ttnn" and alias.asname not in (None, "ttnn"):
                self.problem(node, f"import ttnn as {alias.asname}: write `import ttnn` so every use can be checked")
            elif alias.name.startswith("ttnn."):
                self.problem(node, f"import {alias.name}: write `import ttnn` and use attributes")
        self.generic_visit(node)

    def visit_ImportFrom(self, node):
        if node.module and (node.module == "ttnn" or node.module.startswith("ttnn.")):
            self.problem(node, f"from {node.module} import ...: write `import ttnn` and use attributes")
        self.generic_visit(node)

    # names and attributes ----------------------------------------------------------------------------------------
    def visit_Name(self, node):
        parent = getattr(node, "parent", None)
        if node.id == "ttnn" and not isinstance(parent, ast.Attribute):
            self.problem(node, "ttnn used as a value: only its attributes can be checked")

    def visit_Attribute(self, node):
        parent = getattr(node, "parent", None)
        dotted = chain(node)
        if dotted is not None and not (isinstance(parent, ast.Attribute) and parent.value is node):
            kind, spec = self.api.resolve(dotted)
            if kind is None:
                self.problem(node, spec)
            else:
                self.used[dotted] = kind
                if isinstance(node.ctx, (ast.Store, ast.Del)):
                    self.problem(node, f"{dotted} is assigned: the program must not change ttnn")
            return  # the chain's inner attributes are part of it
        self.generic_visit(node)

    # calls -------------------------------------------------------------------------------------------------------
    def visit_Call(self, node):
        dotted = chain(node.func)
        if dotted is not None:
            kind, spec = self.api.resolve(dotted)
            if kind is not None:
                self.calls += 1
                self.check_call(node, dotted, kind, spec)
        self.generic_visit(node)

    def check_call(self, node, name, kind, spec):
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            self.problem(node, f"{name}: *args or **kwargs cannot be checked against the reference")
            return
        given = [k.arg for k in node.keywords]
        for k in set(given):
            if given.count(k) > 1:
                self.problem(node, f"{name}: keyword {k} given twice")
        if kind == "function":
            self.check_function(node, name, spec, given)
        elif kind == "type":
            self.check_constructor(node, name, spec, given)
        else:
            self.problem(node, f"{name} is a {kind}, not a function or type")
            return
        self.check_conventions(node, name)

    def check_function(self, node, name, spec, given):
        names = keyword_names(spec)
        for k in given:
            if k not in names:
                self.problem(node, f"{name}: no keyword {k} (it takes {', '.join(sorted(names))})")
        capacity = positional_capacity(spec)
        if len(node.args) > capacity:
            self.problem(node, f"{name}: {len(node.args)} positional arguments, it takes at most {capacity} (the rest are keyword-only)")
        params = spec.get("params", [])
        if "overloads" in spec:
            return
        for i, p in enumerate(params[: len(node.args)]):
            if p["name"] in given:
                self.problem(node, f"{name}: {p['name']} given both positionally and by keyword")
        missing = [p["name"] for i, p in enumerate(params) if p.get("required") and i >= len(node.args) and p["name"] not in given]
        if missing:
            self.problem(node, f"{name}: required argument{'s' if len(missing) > 1 else ''} {', '.join(missing)} missing")

    def check_constructor(self, node, name, spec, given):
        reasons = []
        for constructor in spec["constructors"]:
            params = constructor["params"]
            positional = [p for p in params if p["kind"] != "keyword"]
            names = {p["name"] for p in params if p["kind"] != "positional_only"}
            why = None
            if len(node.args) > len(positional):
                why = f"{len(node.args)} positional arguments, at most {len(positional)}"
            elif any(k not in names for k in given):
                bad = [k for k in given if k not in names]
                why = f"no keyword {', '.join(bad)} (it takes {', '.join(sorted(names)) or 'none'})"
            else:
                filled = {p["name"] for p in positional[: len(node.args)]} | set(given)
                missing = [p["name"] for p in params if p.get("required") and p["name"] not in filled]
                if missing:
                    why = f"required argument {', '.join(missing)} is missing"
            if why is None:
                return
            reasons.append(why)
        self.problem(node, f"{name}: no constructor fits: {'; '.join(reasons)}")

    # the notes' calling rules -------------------------------------------------------------------------------------
    def check_conventions(self, node, name):
        keywords = {k.arg: k.value for k in node.keywords}
        if name == "ttnn.from_torch":
            if "memory_config" in keywords and "device" not in keywords:
                self.problem(node, "ttnn.from_torch: memory_config without device raises")
            dtype = keywords.get("dtype", node.args[1] if len(node.args) > 1 else None)
            if dtype is not None and chain(dtype) in BLOCK_FLOATS:
                layout = keywords.get("layout")
                if layout is None or (chain(layout) is not None and chain(layout) not in TILE):
                    self.problem(node, f"ttnn.from_torch: {chain(dtype)} needs layout=ttnn.TILE_LAYOUT")
        elif name == "ttnn.layer_norm" and "epsilon" not in keywords:
            self.problem(node, "ttnn.layer_norm: pass epsilon (TTNN's default is 1e-12, not 1e-5)")
        elif name in CONVS:
            self.conv_calls.append(node)
        elif name == "ttnn.begin_trace_capture":
            self.trace_calls.append(node)
        elif name in OPENERS:
            self.open_device_calls.append((node, name, keywords))

    def finish(self):
        for uses, keyword, why in ((self.conv_calls, "l1_small_size", "runs convs, which need l1_small_size > 0"),
                                   (self.trace_calls, "trace_region_size", "captures a trace, which needs trace_region_size > 0")):
            if not uses:
                continue
            for node, name, keywords in self.open_device_calls:
                if keyword not in keywords:
                    self.problem(node, f"{name}: the program {why}")
            if not self.open_device_calls:
                self.problem(uses[0], f"the program {why.split(',')[0]} but never opens a device with {' or '.join(sorted(OPENERS))}")


def main(argv):
    if len(argv) != 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        api = Api(json.load(f))
    with open(argv[2], encoding="utf-8") as f:
        source = f.read()
    try:
        tree = ast.parse(source, filename=argv[2])
    except SyntaxError as e:
        print(f"{argv[2]}:{e.lineno}:{e.offset}: syntax error: {e.msg}")
        return 1
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            child.parent = parent
    checker = Checker(api, argv[2])
    checker.visit(tree)
    checker.finish()
    for p in checker.problems:
        print(p)
    kinds = {}
    for dotted, kind in checker.used.items():
        kinds.setdefault(kind, []).append(dotted)
    print(f"checked {checker.calls} ttnn calls and {len(checker.used)} distinct ttnn names against {argv[1]}: {len(checker.problems)} problems")
    for kind in sorted(kinds):
        print(f"  {kind}: {', '.join(sorted(kinds[kind]))}")
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
