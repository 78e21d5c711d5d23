"""Interface digests of Python files, for jackpool's refurb cache keys.

refurb runs mypy, and what mypy reports for a file depends on what the files it imports look like from the
outside: like mypy's own interface hashes, a digest here changes when a file's interface may change, not when
only a function body does. Every rule errs on the side of keeping code in the digest.

Reads NUL-separated paths (relative to the working directory) on stdin and prints, for each, one line:
``<digest> <sha256 of the bytes read>``, or ``- -`` when the file cannot be read.
"""

import ast
import gc
import hashlib
import sys

# Changed whenever the rules below change what a digest covers.
RULES = b"jackpool-interface/2"

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# Scopes of their own: a yield inside one does not make the enclosing function a generator.
_SCOPES = frozenset((ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))
# The nodes that carry a ``# type:`` comment.
_TYPE_COMMENTED = frozenset((ast.Assign, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.FunctionDef, ast.AsyncFunctionDef, ast.arg))


def _outside_view(body):
    """What importers see of a function body: None when it declares a global or assigns or deletes an attribute
    (``self.x = ...``), from which mypy infers attribute and global types, so the whole body is interface;
    otherwise whether the function itself yields (a generator's type differs from a plain function's) and the
    body's ``# type:`` comments (mypy stops at one it cannot parse, so they count as they are)."""
    yields = False
    type_comments = []
    pending = [(statement, False) for statement in body]
    while pending:
        node, nested = pending.pop()
        kind = type(node)
        if kind is ast.Global or (kind is ast.Attribute and type(node.ctx) is not ast.Load):
            return None
        if not nested and (kind is ast.Yield or kind is ast.YieldFrom):
            yields = True
        if kind in _TYPE_COMMENTED and node.type_comment is not None:
            type_comments.append(node.type_comment)
        inner = nested or kind in _SCOPES
        pending.extend((child, inner) for child in ast.iter_child_nodes(node))
    return yields, sorted(type_comments)


def _is_trivial(body):
    """mypy's ``is_trivial_body``: only a docstring, ``pass``, ``...`` or ``raise NotImplementedError``.
    (Calls to abstract methods with trivial bodies are reported in the caller.)"""
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        body = body[1:]
    if not body:
        return True
    if len(body) > 1:
        return False
    statement = body[0]
    if isinstance(statement, ast.Raise):
        raised = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
        return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"
    if isinstance(statement, ast.Pass):
        return True
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and statement.value.value is Ellipsis


def _strip_bodies(node):
    """Replaces each function body that defines nothing outside the function by a marker of what mypy sees of
    it from outside: whether it yields, whether it is trivial, its type comments. A body kept whole keeps its
    nested functions."""
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, _FUNCTIONS):
            _strip_bodies(child)
            continue
        view = _outside_view(child.body)
        if view is not None:
            yields, type_comments = view
            marker = f"body yields={yields:d} trivial={_is_trivial(child.body):d} type comments={type_comments!r}"
            child.body = [ast.Expr(ast.Constant(marker))]


def _type_ignores(tree):
    """``# type: ignore`` comments: one before the first statement ignores the whole module; the others count by
    tag, not line, so moving code does not change the digest."""
    first = tree.body[0].lineno if tree.body else float("inf")
    return [(ignore.lineno < first, ignore.tag) for ignore in tree.type_ignores]


def digest(path, source):
    """The file's interface digest; ``content:<sha256>`` for a file mypy would stop at (syntax or compile error)."""
    try:
        tree = ast.parse(source, path, type_comments=True)
        # Compile-time errors (break outside a loop, a bad nonlocal, await outside a function) block mypy too.
        compile(source, path, "exec", dont_inherit=True)
        ignores = _type_ignores(tree)
        _strip_bodies(tree)
        dumped = ast.dump(tree, include_attributes=False)
    except Exception:  # noqa: BLE001 - whatever stops the parse, the content stands for the interface
        return "content:" + hashlib.sha256(source).hexdigest()
    inline_config = [line for line in source.splitlines() if line.startswith(b"# mypy:")]
    parts = [RULES, dumped.encode(), repr(ignores).encode(), *inline_config]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def main():
    # A short-lived process making millions of AST nodes and no cycles worth collecting: the collector only costs.
    gc.disable()
    lines = []
    for path in sys.stdin.buffer.read().decode("utf-8", "surrogateescape").split("\0"):
        if not path:
            continue
        try:
            with open(path, "rb") as handle:
                source = handle.read()
        except OSError:
            lines.append("- -")
            continue
        lines.append(f"{digest(path, source)} {hashlib.sha256(source).hexdigest()}")
    sys.stdout.write("".join(line + "\n" for line in lines))


if __name__ == "__main__":
    main()
