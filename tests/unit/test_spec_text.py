"""openapi.yaml says what its author wrote: no sentence is cut short by YAML.

In a one-line flow mapping an unquoted comma ends the value, so
`{type: integer, description: 1 for the creation, then one more per change.}`
silently becomes a description "1 for the creation" and a second key
"then one more per change." whose value is null. Keywords never contain a
space, so a key with a space and a null value is always such a broken sentence."""

from pathlib import Path

import yaml

from app import spec

SAMPLE = "properties:\n  version: {type: integer, description: 1 for the creation, then one more per change.}\n"


def cut_sentences(node, path: str = "") -> list[str]:
    """The JSON paths of mapping keys that contain a space and hold null."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}/{key}"
            if isinstance(key, str) and " " in key and value is None:
                found.append(here)
            found += cut_sentences(value, here)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += cut_sentences(item, f"{path}/{index}")
    return found


def test_the_check_catches_a_sentence_cut_at_a_comma():
    assert cut_sentences(yaml.safe_load(SAMPLE)) == ["/properties/version/then one more per change."]


def test_no_description_in_the_spec_is_cut_short_by_yaml():
    loaded = yaml.safe_load(Path(spec.SPEC_PATH).read_text(encoding="utf-8"))
    assert cut_sentences(loaded) == [], "quote these values: an unquoted comma in {…} starts a new key"


def test_no_key_is_written_twice_in_one_mapping():
    """YAML keeps the last of two equal keys silently: two schemas of one name would
    leave one of them describing the other's responses."""

    class Strict(yaml.SafeLoader):
        pass

    twice = []

    def mapping(loader, node, deep=False):
        keys = [loader.construct_object(key) for key, _ in node.value]
        twice.extend(f"line {node.start_mark.line + 1}: {key}" for key in set(keys) if keys.count(key) > 1)
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    yaml.load(Path(spec.SPEC_PATH).read_text(encoding="utf-8"), Loader=Strict)  # noqa: S506 - a SafeLoader
    assert twice == []
