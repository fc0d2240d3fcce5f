"""Tooling (not product): write a notebook .ipynb from a compact list of cells.
Usage from another script: make(path, cells) with cells = [("md", text) | ("code", text) | ("params", text)]."""
import json

def make(path, cells, title=None):
    nb = {"cells": [], "metadata": {"kernelspec": {"display_name": "rlvr-lab (TypeScript)", "language": "typescript", "name": "rlvr-lab"},
          "language_info": {"name": "typescript", "file_extension": ".ts", "mimetype": "text/typescript"}},
          "nbformat": 4, "nbformat_minor": 5}
    for i, (kind, src) in enumerate(cells):
        src = src.strip("\n")
        lines = [l + "\n" for l in src.split("\n")]
        lines[-1] = lines[-1].rstrip("\n")
        cid = f"c{i:02d}"
        if kind == "md":
            nb["cells"].append({"cell_type": "markdown", "id": cid, "metadata": {}, "source": lines})
        else:
            md = {"tags": ["parameters"]} if kind == "params" else {}
            nb["cells"].append({"cell_type": "code", "id": cid, "metadata": md, "execution_count": None, "outputs": [], "source": lines})
    with open(path, "w") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")
