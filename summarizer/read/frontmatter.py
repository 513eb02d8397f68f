"""Front matter at the top of a text or markdown input (YAML, TOML-style or loose ``key: value``)."""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["MAX_YAML_CHARS", "split_front_matter"]

_FM_RE = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n(.*?)\n(?:---|\.\.\.|\+\+\+)[ \t]*(?:\n|\Z)", re.S)
_FM_KEY_RE = re.compile(r"^([A-Za-z_][\w.-]*)\s*[:=]\s*(.*)$")
_FM_ITEM_RE = re.compile(r"^\s+-\s*(.*)$")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace('\\"', '"') if value[0] == '"' else inner.replace("''", "'")
    return value


def _simple_front_matter(block: str) -> dict[str, Any] | None:
    """A fast parser for the flat ``key: value`` / ``key:\\n  - item`` shape; None if unsure."""
    out: dict[str, Any] = {}
    key = ""
    for line in block.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _FM_ITEM_RE.match(line)
        if item and key:
            current = out.get(key)
            if current in ("", None):
                current = []
                out[key] = current
            if not isinstance(current, list):
                return None
            current.append(_unquote(item.group(1)))
            continue
        m = _FM_KEY_RE.match(line)
        if not m:
            return None
        key, value = m.group(1).lower(), m.group(2).strip()
        if value.startswith(("[", "{", "|", ">", "&", "*")):
            return None
        out[key] = _unquote(value)
    return out


#: Front matter longer than this is not parsed as YAML (read line by line instead).
MAX_YAML_CHARS = 64_000
_ALIAS_RE = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}*]+", re.M)


def _lenient_front_matter(block: str) -> dict[str, Any]:
    """Whatever flat ``key: value`` lines a broken block still has (the rest is ignored)."""
    out: dict[str, Any] = {}
    for line in block.split("\n"):
        m = _FM_KEY_RE.match(line)
        if m and not line[:1].isspace() and not m.group(2).startswith(("*", "&")):
            out[m.group(1).lower()] = _unquote(m.group(2))
    return out


_OPEN_RE = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n")


def _unterminated(text: str) -> tuple[str, int] | None:
    """An opening fence with no closing one: the leading run of key/item lines is the block."""
    m = _OPEN_RE.match(text)
    if not m:
        return None
    pos = m.end()
    lines = []
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        if not (_FM_KEY_RE.match(line) or _FM_ITEM_RE.match(line)):
            break
        lines.append(line)
        pos = end + 1
    return ("\n".join(lines), min(pos, len(text))) if lines else None


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter as a dict with lower-case keys, the rest of the text).

    Broken front matter never leaks into the body: an unterminated block ends at its first line
    that is not ``key: value``, and a block that is not valid YAML keeps its readable keys.
    """
    m = _FM_RE.match(text)
    if m:
        block, rest = m.group(1), text[m.end() :]
    else:
        loose = _unterminated(text)
        if loose is None:
            return {}, text
        block, rest = loose[0], text[loose[1] :]
    data = _simple_front_matter(block)
    if data is None:
        loaded = None
        # Aliases can multiply a few lines into millions of values, and huge blocks are not
        # front matter: both are read line by line instead.
        if len(block) <= MAX_YAML_CHARS and not _ALIAS_RE.search(block):
            try:
                loaded = yaml.load(block, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
                loaded = None  # ValueError: an impossible timestamp such as 2024-02-30
        if isinstance(loaded, dict):
            data = {str(k).lower(): v for k, v in loaded.items()}
        else:
            data = _lenient_front_matter(block)
    return data, rest
