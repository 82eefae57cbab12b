"""Reading deal.yaml without silent changes: duplicate keys refused, text stays text.

``yaml.safe_load`` lets the last of two equal keys win without a word, and reads YAML 1.1
booleans (``Yes``, ``No``, ``on``, ``off``) and numbers where a text was meant (``title: Yes``
became ``"True"``). :func:`load_meta` uses a :class:`yaml.SafeLoader` subclass (nothing is ever
evaluated) that records every repeated key with its line, and keeps the plain scalar of a text key
(``TEXT_KEYS``) as written. A date that does not exist (``as_of: 2026-02-30``) stays the text
written, for the checks of its key to refuse by name; any other value YAML cannot build
(``!!float abc``, nesting deeper than Python's recursion limit) is a :class:`yaml.YAMLError` with
its line, never a crash.
"""
from __future__ import annotations

import yaml

__all__ = ["TEXT_KEYS", "load_meta", "read_meta"]

# keys of deal.yaml whose value is text (or an id): a plain scalar is kept exactly as written
TEXT_KEYS = frozenset({"id", "title", "decision", "us", "counterpart", "currency", "prepared_for",
                       "decision_rule"})


class _Loader(yaml.SafeLoader):
    """SafeLoader that notes repeated keys and keeps the text keys' scalars as strings."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[int, str, int]] = []  # (line, key, first line)
        self._root = None

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):  # 2026-02-30: kept as written, refused by its key
            return self.construct_scalar(node)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, TypeError, RecursionError) as exc:
            if isinstance(exc, yaml.YAMLError):
                raise
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {str(getattr(node, 'value', ''))[:40]!r} as "
                f"{node.tag.rsplit(':', 1)[-1]}", node.start_mark) from None

    def construct_document(self, node):
        self._root = node
        return super().construct_document(node)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: dict = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:  # an unhashable key: SafeLoader reports it below
                    continue
                line = key_node.start_mark.line + 1
                if first is not None:
                    self.duplicates.append((line, str(key), first))
                else:
                    seen[key] = line
                if (node is self._root and isinstance(key, str) and key in TEXT_KEYS
                        and isinstance(value_node, yaml.ScalarNode)
                        and value_node.tag != "tag:yaml.org,2002:null" and value_node.value):
                    value_node.tag = "tag:yaml.org,2002:str"  # `title: Yes` stays 'Yes'
        return super().construct_mapping(node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def load_meta(text: str) -> tuple[object, list[tuple[int, str, int]]]:
    """Parse deal.yaml's text safely.

    Returns the document and its repeated keys as ``(line, key, line of the first)``.
    Raises :class:`yaml.YAMLError` like ``yaml.safe_load`` (also for what ``yaml.safe_load``
    would crash on: a value its tag cannot build, nesting too deep).

    >>> load_meta("as_of: 2026-02-30\\nday: 2026-02-28\\n")
    ({'as_of': '2026-02-30', 'day': datetime.date(2026, 2, 28)}, [])
    """
    loader = _Loader(text)
    try:
        doc = loader.get_single_data()
    except RecursionError:
        raise yaml.YAMLError("nesting deeper than any deal file needs") from None
    finally:
        loader.dispose()
    return doc, loader.duplicates


def read_meta(text: str) -> tuple[dict | None, list[tuple]]:
    """deal.yaml's mapping (None when unusable) and its problems as
    ``(line, key, value, expected)``: YAML errors, repeated keys, a document that is no mapping."""
    try:
        meta, repeated = load_meta(text)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        return None, [(None if line is None else line + 1, None, None,
                       f"valid YAML 'key: value' lines ({getattr(exc, 'problem', exc)})")]
    found = [(line, key, None, f"'{key}' once (it is also on line {first}; only one can count: "
                               "delete one of them)") for line, key, first in repeated]
    if not isinstance(meta, dict):
        shown = str(meta) if len(str(meta)) <= 60 else str(meta)[:59] + "…"
        return None, found + [(None, None, shown,
                               "'key: value' lines (id, title, decision, us, as_of, ...)")]
    return meta, found
