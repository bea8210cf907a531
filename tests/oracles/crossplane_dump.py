"""Prints how crossplane reads each nginx file given on the command line, as JSON.

For every file: crossplane's status, its errors (message without the " in FILE:LINE" tail,
and the line), and its directives flattened in document order as
[depth, name, args, has_block]. Includes are not followed (single=True) and crossplane's
own directive checks are off (check_ctx/check_args=False): we compare the syntax only, and
many corpus files are fragments that crossplane would otherwise reject for their context.

crossplane only notices a directive that lacks its `;` in its argument check, which also
rejects argument counts and drops the directives it rejects. So a second pass with that
check on contributes its termination errors only ('… is not terminated by ";"' and
'… has no opening "{"'); the directives come from the first pass.
"""
import json
import sys

import crossplane


def flatten(block, depth, out):
    for stmt in block:
        out.append([depth, stmt["directive"], stmt["args"], "block" in stmt])
        if "block" in stmt:
            flatten(stmt["block"], depth + 1, out)
    return out


def strip(error):
    """The message without crossplane's " in FILE:LINE" tail, and the line."""
    msg = error["error"]
    cut = msg.rfind(" in ")
    if cut != -1:
        msg = msg[:cut]
    return [msg, error["line"]]


def main():
    result = {}
    for path in sys.argv[1:]:
        payload = crossplane.parse(
            path, single=True, comments=False, check_ctx=False, check_args=False, catch_errors=True
        )
        conf = payload["config"][0]
        errors = [strip(e) for e in conf["errors"]]
        checked = crossplane.parse(
            path, single=True, comments=False, check_ctx=False, check_args=True, catch_errors=True
        )
        for e in checked["config"][0]["errors"]:
            msg, line = strip(e)
            if msg.endswith('is not terminated by ";"') or msg.endswith('has no opening "{"'):
                errors.append([msg, line])
        result[path] = {
            "status": "failed" if errors else "ok",
            "errors": errors,
            "directives": flatten(conf["parsed"], 0, []),
        }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
