"""Which of jackpool's files mypy itself would check, by mypy's own rules.

Run with the Python mypy runs in, in the directory mypy runs in. Reads JSON on stdin: {"args": the user's mypy
arguments, "files": jackpool's candidate files, project-relative}. Prints one JSON line:
- {"configured": true} when the configuration (or the arguments) names what to check (`files`, `modules`,
  `packages`): mypy then runs with no file operands, and checks exactly that;
- {"files": [...]} otherwise: the candidates that mypy's own discovery of the project directory keeps (its
  `exclude` patterns, a `.pyi` stub preferred to the `.py` beside it, names that are not modules left out);
- {"error": "..."} when mypy cannot read its configuration or arguments: jackpool then passes the candidates,
  and mypy, run on them, reports the problem itself.
"""

import json
import os
import sys
from io import StringIO


def main() -> None:
    request = json.load(sys.stdin)
    args = list(request["args"])
    files = list(request["files"])
    from mypy.main import process_options  # noqa: PLC0415 (a missing mypy is an answer, below)

    def sources_of(targets: list[str]) -> list[str]:
        out, err = StringIO(), StringIO()
        try:
            sources, _options = process_options(args + targets, stdout=out, stderr=err)
        except SystemExit:
            raise LookupError(" ".join((err.getvalue() or out.getvalue()).split()[-40:])) from None
        return [os.path.normpath(source.path) for source in sources if source.path]

    try:
        try:
            named = sources_of([])
        except LookupError:
            named = []  # nothing named: mypy would need a target, so it is given the files
        # Settings that only install stub packages (install_types with non_interactive) let mypy start with no target.
        if named:
            print(json.dumps({"configured": True}))
            return
        crawled = set(sources_of(["."]))
    except Exception as error:  # a bad option or config (InvalidSourceList, LookupError): mypy says it better itself
        print(json.dumps({"error": str(error)[:500]}))
        return
    print(json.dumps({"files": [file for file in files if os.path.normpath(file) in crawled]}))


if __name__ == "__main__":
    main()
