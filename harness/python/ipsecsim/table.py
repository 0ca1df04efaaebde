"""A sweep's table: one row per run, with the scenario, the parameters, the
seed and every field of its report under a dotted key.

Maps become dotted keys (`lifecycle.summary.pairs_up`). A list of maps that
each carry a distinct `name`, `node` or `id` (the first of these all items
have) becomes columns per item under that value: `flows.a-to-b.verdict`,
`nodes.worker-0.sa_count`, `preflight.P1.status`. Any other list, empty ones
included, is one column of compact JSON text (`expectations`,
`lifecycle.pairs`, `nodes.worker-0.ike_sas`).
"""
from __future__ import annotations

import csv
import importlib.util
import json
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence

Row = Dict[str, Any]
ITEM_KEYS = ("name", "node", "id")
MEASURED = "wall_seconds"  # the only column two runs of one point may differ in


def _item_key(items: List[Any]) -> Optional[str]:
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    for key in ITEM_KEYS:
        values = [item.get(key) for item in items]
        if all(isinstance(v, str) for v in values) and len(set(values)) == len(values):
            return key
    return None


def flatten(report: Dict[str, Any]) -> Row:
    """A report as {dotted key: scalar or JSON text}, in the report's order."""
    out: Row = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else key, item)
        elif isinstance(value, list):
            key = _item_key(value)
            if key is None:
                out[prefix] = json.dumps(value, separators=(",", ":"))
            else:
                for item in value:
                    walk(f"{prefix}.{item[key]}",
                         {k: v for k, v in item.items() if k != key})
        else:
            out[prefix] = value

    walk("", report)
    return out


def row(point: Dict[str, Any], fields: Row, wall: float) -> Row:
    """scenario, the parameters, seed, the report's fields, wall_seconds. A
    report field named like a parameter is kept as report.<key>."""
    out: Row = {"scenario": fields.get("scenario")}
    out.update(point)
    out["seed"] = fields.get("seed")
    for key, value in fields.items():
        if key in ("scenario", "seed"):
            continue
        out[f"report.{key}" if key in point or key == MEASURED else key] = value
    out[MEASURED] = wall
    return out


def columns(rows: Iterable[Row]) -> List[str]:
    """Every column of the rows, in the order they first appear."""
    seen: Dict[str, None] = {}
    for r in rows:
        for key in r:
            seen.setdefault(key, None)
    return list(seen)


def as_frame(rows: Sequence[Row]):
    """The rows as a pandas DataFrame (python3-pandas), columns in table order."""
    import pandas

    return pandas.DataFrame(list(rows), columns=columns(rows))


def check_output(path: str) -> str:
    """'csv' or 'parquet' for an output name; ValueError before any run when
    it cannot be written as such."""
    if path.endswith(".csv"):
        return "csv"
    if path.endswith(".parquet"):
        if importlib.util.find_spec("pyarrow") is None:
            raise ValueError(f"{path}: a .parquet table needs pyarrow (python3-pyarrow), "
                             "which this Python cannot import; name a .csv table instead")
        if importlib.util.find_spec("pandas") is None:
            raise ValueError(f"{path}: a .parquet table needs pandas (python3-pandas), "
                             "which this Python cannot import; name a .csv table instead")
        return "parquet"
    raise ValueError(f"{path}: expected a table name ending in .csv or .parquet")


def write(rows: Sequence[Row], path: str) -> None:
    """CSV (empty cells where a row has no such column) or Parquet, by the
    name's ending."""
    kind = check_output(path)
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    if kind == "parquet":
        as_frame(rows).to_parquet(path, index=False)
        return
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns(rows), restval="")
        writer.writeheader()
        writer.writerows(rows)
