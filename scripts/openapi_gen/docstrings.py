"""Facts that the generated SDK code only states in docstrings: parameter types and field lists.

The 4.0.x generation documents the allowed fields inline, e.g. for `:param _filter:`
"... The filter can be applied to the following fields: - extId - name ". Later generations
dropped these sentences; their absence is recorded, never guessed.
"""
import re

_PARAM = re.compile(r"^\s*:param (\w+):(.*?)(?=^\s*:(?:type|param|return)\b)", re.M | re.S)
_TYPE = re.compile(r"^\s*:type (\w+):\s*\n\s*:class:`~?([^`]+)`", re.M)

# (query parameter, python parameter, sentence that introduces the list)
FIELD_LISTS = {
    "filterable": ("_filter", "The filter can be applied to the following fields:"),
    "sortable": ("_orderby", "The orderby can be applied to the following fields:"),
    "expandable": ("_expand", "The following expansion keys are supported."),
    "selectable": ("_select", "all properties on the matching resource will be returned."),
}


def param_types(doc):
    """python parameter name -> SDK type (`str`, `int`, `vmm.v4.ahv.config.Vm`, ...)."""
    result = {}
    for name, sdk_type in _TYPE.findall(doc):
        sdk_type = re.sub(r"^ntnx_\w+?_py_client\.models\.", "", sdk_type.strip())
        result[name] = "Path" if sdk_type == "pathlib.Path" else sdk_type
    return result


def param_descriptions(doc):
    return {name: " ".join(text.split()) for name, text in _PARAM.findall(doc)}


def _items_after(text, marker):
    start = text.find(marker)
    if start < 0:
        return None
    tail = text[start + len(marker):]
    items = re.findall(r"(?:^|\s)- (\S+)", tail)
    return items or None  # a sentence with no items (newer wheels keep the $select one) lists nothing


def field_lists(doc):
    """kind -> list of field paths, only for the kinds whose sentence is present."""
    descriptions = param_descriptions(doc)
    result = {}
    for kind, (param, marker) in FIELD_LISTS.items():
        if param in descriptions:
            items = _items_after(descriptions[param], marker)
            if items is not None:
                result[kind] = items
    return result
