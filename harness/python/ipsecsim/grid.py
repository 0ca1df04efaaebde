"""The points of a sweep: parameters as paths into a scenario's keys, set on a
copy of the scenario for each point, and every point loaded before any run.

A path is the key's dotted name as the loader's messages spell it, with
0-based list indices: `cluster.host_mtu`, `cluster.pools[1].nodes`,
`lifecycle.procedure.steps[0].upgrade`. `[name=worker]` picks the list item
whose `name` is worker: `cluster.pools[name=worker].nodes`. Missing maps on
the way are created, so `cluster.ipsec.full.encapsulation` works on a
scenario that says `ipsec: {mode: Full}`; a list item must exist.
"""
from __future__ import annotations

import copy
import itertools
import json
import os
import re
from typing import Any, Callable, Dict, Iterable, List, Mapping, Sequence, Tuple, Union

from ._ipsecsim import ScenarioError, load_text, yaml_to_json
from .scenario import Scenario, to_yaml

Step = Union[str, int, Tuple[str, str]]
Point = Dict[str, Any]
MAX_SEED = 4294967295

_KEY = r"[^.\[\]=\s]+"
_FIRST = re.compile(f"({_KEY})")
_STEP = re.compile(rf"\.({_KEY})|\[(\d+)\]|\[({_KEY})=([^\[\]]+)\]")


# The scenario loader's nesting limit (harness/yaml_reader.h kMaxYamlNesting):
# a longer path could only build a scenario the loader refuses, and building
# one of thousands of steps overflowed Python's recursion in json.dumps.
MAX_PATH_STEPS = 64
# As the loader's PrintableText shows what the user wrote (harness/scenario.cc).
_MAX_SHOWN = 1024


def _shown(text: str) -> str:
    """The text, or its first 1024 characters and its length, for a message."""
    if len(text) <= _MAX_SHOWN:
        return text
    return f"{text[:_MAX_SHOWN]}... ({len(text.encode())} bytes in all)"


class ParameterError(ScenarioError):
    """A sweep parameter that cannot be set or gives a scenario that does not
    load; `parameter` is its name (the whole point's, when the combination is
    at fault)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{_shown(parameter)}: {message}")
        self.parameter = parameter


def parse_path(path: str) -> List[Step]:
    """'cluster.pools[1].nodes' -> ['cluster', 'pools', 1, 'nodes']."""
    if not isinstance(path, str) or not path:
        raise ParameterError(repr(path), "expected a path such as cluster.pools[1].nodes")
    first = _FIRST.match(path)
    if not first:
        raise ParameterError(path, "expected a path that starts with a key, such as cluster")
    steps: List[Step] = [first.group(1)]
    at = first.end()
    while at < len(path):
        m = _STEP.match(path, at)
        if not m:
            raise ParameterError(path, "expected a path such as cluster.pools[1].nodes or "
                                       f"cluster.pools[name=worker].nodes; '{_shown(path[at:])}' "
                                       f"at character {at + 1} is not .KEY, [INDEX] or "
                                       "[KEY=VALUE]")
        if len(steps) == MAX_PATH_STEPS:
            raise ParameterError(path, f"expected a path of at most {MAX_PATH_STEPS} keys and "
                                       f"indexes: a scenario nests lists and maps at most "
                                       f"{MAX_PATH_STEPS} levels deep")
        if m.group(1) is not None:
            steps.append(m.group(1))
        elif m.group(2) is not None:
            steps.append(int(m.group(2)))
        else:
            steps.append((m.group(3), m.group(4)))
        at = m.end()
    return steps


def _spell(steps: Sequence[Step]) -> str:
    out = ""
    for step in steps:
        if isinstance(step, str):
            out += ("." if out else "") + step
        elif isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f"[{step[0]}={step[1]}]"
    return out


def _describe(node: Any) -> str:
    if isinstance(node, dict):
        return "a map"
    if isinstance(node, list):
        return f"a list of {len(node)}"
    return "nothing" if node is None else f"'{node}'"


def set_path(doc: Dict[str, Any], path: str, value: Any) -> None:
    """Sets the key at `path` of a scenario dict to a copy of value."""
    steps = parse_path(path)
    node: Any = doc
    for number, step in enumerate(steps):
        last = number == len(steps) - 1
        here = _spell(steps[:number]) or "the scenario"
        if isinstance(step, str):
            if not isinstance(node, dict):
                raise ParameterError(path, f"expected a map at {here} to hold '{step}', "
                                           f"the scenario has {_describe(node)} there")
            if last:
                node[step] = copy.deepcopy(value)
            else:
                if node.get(step) is None:
                    node[step] = [] if not isinstance(steps[number + 1], str) else {}
                node = node[step]
            continue
        if not isinstance(node, list):
            raise ParameterError(path, f"expected a list at {here}, the scenario has "
                                       f"{_describe(node)} there")
        if isinstance(step, int):
            if step >= len(node):
                raise ParameterError(path, f"expected an index from 0 to {len(node) - 1} at "
                                           f"{here}, which has {len(node)} items, got {step}"
                                     if node else f"expected an item at {here}, which is empty")
            index = step
        else:
            key, wanted = step
            found = [i for i, item in enumerate(node)
                     if isinstance(item, dict) and str(item.get(key)) == wanted]
            if len(found) != 1:
                names = ", ".join(str(item.get(key)) for item in node if isinstance(item, dict))
                raise ParameterError(path, f"expected one item of {here} with {key} {wanted}, "
                                           f"found {len(found)} (its {key}s: {names or 'none'})")
            index = found[0]
        if last:
            node[index] = copy.deepcopy(value)
        else:
            node = node[index]


def points(grid: Union[Mapping[str, Iterable[Any]], Sequence[Mapping[str, Any]], None]
           ) -> List[Point]:
    """A dict {name: values} as its product (the last name changing fastest),
    or a list of points as they are."""
    if grid is None:
        return [{}]
    if isinstance(grid, Mapping):
        names = list(grid)
        values = []
        for name in names:
            if isinstance(grid[name], (str, bytes)) or not isinstance(grid[name], Iterable):
                raise ParameterError(str(name), "expected a list of values, got "
                                                f"{type(grid[name]).__name__} {grid[name]!r}")
            values.append(list(grid[name]))
            if not values[-1]:
                raise ParameterError(str(name), "expected at least one value, got none")
        return [dict(zip(names, combo)) for combo in itertools.product(*values)]
    out = [dict(point) for point in grid]
    if not out:
        raise ParameterError("grid", "expected at least one point, got an empty list")
    return out


def seed_list(seeds: Union[Iterable[int], None]) -> List[Any]:
    """The seeds as a list, each checked; [None] runs each point at its own seed."""
    if seeds is None:
        return [None]
    out = list(seeds)
    for seed in out:
        if isinstance(seed, bool) or not isinstance(seed, int) or not 1 <= seed <= MAX_SEED:
            raise ParameterError("seeds", f"expected seeds from 1 to {MAX_SEED}, got {seed!r}")
    if not out:
        raise ParameterError("seeds", "expected at least one seed, got none")
    return out


ScenarioSource = Union[str, Dict[str, Any], Scenario, "os.PathLike[str]", Callable[..., Any]]


def base_document(scenario: ScenarioSource) -> Tuple[Any, str]:
    """(a scenario dict, or the callable that makes one per point; its file name)."""
    if isinstance(scenario, os.PathLike):
        path = os.fspath(scenario)
        with open(path, encoding="utf-8") as f:
            return _document_of_text(f.read(), path), path
    if isinstance(scenario, Scenario):
        return scenario.to_dict(), "<Scenario>"
    if isinstance(scenario, dict):
        return copy.deepcopy(scenario), "<dict>"
    if isinstance(scenario, str):
        return _document_of_text(scenario, "<string>"), "<string>"
    if callable(scenario):
        return scenario, "<function>"
    raise TypeError("a scenario is YAML text, a dict, an ipsecsim.Scenario, an os.PathLike file "
                    f"or a function of the parameters, got {type(scenario).__name__}")


def _document_of_text(text: str, name: str) -> Dict[str, Any]:
    # Loaded as it is first, so that a bad file is reported at its own lines.
    return json.loads(yaml_to_json(text, name))


def point_yaml(base: Any, point: Point) -> str:
    """The YAML text of the scenario at one point."""
    if callable(base):
        made = base(**point)
        doc = made.to_dict() if isinstance(made, Scenario) else made
        return doc if isinstance(doc, str) else to_yaml(doc)
    doc = copy.deepcopy(base)
    for name, value in point.items():
        set_path(doc, name, value)
    return to_yaml(doc)


def check_point(yaml: str, name: str, point: Point) -> None:
    """Loads the scenario of a point under its file's name (a patch_file is
    found beside it); a ScenarioError becomes a ParameterError that names the
    point's parameters instead of a line of generated text."""
    try:
        load_text(yaml, name)
    except ScenarioError as e:
        message = re.sub("^" + re.escape(name) + r":\d+: ", "", str(e))
        names = ", ".join(f"{key}={_value_text(value)}" for key, value in point.items())
        raise ParameterError(names or "the scenario", message) from None


def _value_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
