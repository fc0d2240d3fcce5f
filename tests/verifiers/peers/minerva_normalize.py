"""Runs lm-eval's own minerva_math normalization on JSON inputs (stdin: list of strings; stdout: list of results).

The functions are taken from the installed lm_eval/tasks/minerva_math/utils.py by source (ast), not re-typed:
importing that module needs math_verify and antlr4, which the peers venv does not carry, while the three
functions themselves need only `re`.
"""
import ast
import json
import re
import sys
from importlib.metadata import version

import lm_eval

path = lm_eval.__path__[0] + "/tasks/minerva_math/utils.py"
tree = ast.parse(open(path, encoding="utf8").read())
keep = {"SUBSTITUTIONS", "REMOVED_EXPRESSIONS", "normalize_final_answer", "last_boxed_only_string", "remove_boxed"}
nodes = [n for n in tree.body if (isinstance(n, ast.FunctionDef) and n.name in keep)
         or (isinstance(n, ast.Assign) and any(getattr(t, "id", None) in keep for t in n.targets))]
scope = {"re": re}
exec(compile(ast.Module(body=nodes, type_ignores=[]), path, "exec"), scope)

inputs = json.load(sys.stdin)
out = {"version": version("lm_eval"), "normalized": [scope["normalize_final_answer"](s) for s in inputs]}
json.dump(out, sys.stdout)
