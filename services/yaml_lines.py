"""YAML loading that remembers line numbers, for `path:line: message` errors."""
import yaml


class LineDict(dict):
    """A mapping from YAML that knows the (1-based) line it started on."""

    line: int = 0


class _LineLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        """Refuse aliases (*name): nested ones expand exponentially when the value is printed
        or walked ("billion laughs"), and no content file needs them."""
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not accepted",
                                              self.peek_event().start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        mapping = LineDict(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)


def load(text: str):
    """Parse YAML; mappings come back as LineDict. Raises YamlError with a line."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise YamlError(line, str(getattr(error, "problem", None) or error)) from None


def line_of(value, default: int = 1) -> int:
    return getattr(value, "line", default) or default


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message
