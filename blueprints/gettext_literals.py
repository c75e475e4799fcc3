"""_('a literal') in a template, compiled to a direct call of the literal_gettext filter.

Jinja calls a global such as _() through Context.call, which inspects the callable on
every use; a page has dozens of these calls. A filter is called directly, so the
compiler is handed `('a literal'|literal_gettext)` instead. The templates keep the _()
spelling, which is what pybabel extracts the strings from.
"""
from jinja2.ext import Extension
from jinja2.lexer import Token
from jinja2.lexer import TokenStream

#: the filter that gives a literal's text in the reader's language (blueprints/i18n.py)
FILTER = "literal_gettext"
#: tokens after which `_(` is not a call of the global _(): an attribute, a filter, a
#: test, or the call a {% call %} block needs
NOT_A_GLOBAL_CALL = {("dot", "."), ("pipe", "|"), ("name", "is"), ("name", "call")}


class GettextLiterals(Extension):
    """Rewrite `_('text')` to `('text'|literal_gettext)` and `_('text', name=value)` to
    `('text'|literal_gettext(name=value))`; any other _() call is left alone."""

    def filter_stream(self, stream: TokenStream) -> list[Token]:
        tokens = list(stream)
        out: list[Token] = []
        closing = []  # paren depths at which a rewritten call needs its extra ')'
        depth = 0
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if self._literal_call_at(tokens, i):
                line = token.lineno
                out += [Token(line, "lparen", "("), tokens[i + 2], Token(line, "pipe", "|"),
                        Token(line, "name", FILTER)]
                if tokens[i + 3].type == "rparen":
                    out.append(Token(line, "rparen", ")"))
                else:  # keep the arguments after the comma: they become the filter's
                    out.append(Token(line, "lparen", "("))
                    depth += 1
                    closing.append(depth)
                i += 4
                continue
            out.append(token)
            if token.type in ("lparen", "lbracket", "lbrace"):
                depth += 1
            elif token.type in ("rparen", "rbracket", "rbrace"):
                if closing and closing[-1] == depth:
                    closing.pop()
                    out.append(Token(token.lineno, "rparen", ")"))
                depth -= 1
            i += 1
        return out

    @staticmethod
    def _literal_call_at(tokens: list[Token], i: int) -> bool:
        """Whether tokens[i:] start with `_('text')` or `_('text',` calling the global _()."""
        if i + 3 >= len(tokens) or not tokens[i].test("name:_"):
            return False
        if i and (tokens[i - 1].type, tokens[i - 1].value) in NOT_A_GLOBAL_CALL:
            return False
        return (tokens[i + 1].type == "lparen" and tokens[i + 2].type == "string"
                and tokens[i + 3].type in ("rparen", "comma"))
