"""Reads odoo.conf files with Python's configparser exactly as Odoo 14-19 does
(RawConfigParser(), defaults, file opened as UTF-8 text) and prints, for each file, the
sections, their items and any exception, as one JSON object per line."""
import configparser
import json
import sys

for path in sys.argv[1:]:
    p = configparser.RawConfigParser()
    out = {"path": path}
    try:
        with open(path, encoding="utf-8") as f:
            p.read_file(f, path)
        out["sections"] = {s: [[k, v] for k, v in p.items(s)] for s in p.sections()}
        out["defaults"] = [[k, v] for k, v in p.defaults().items()]
    except Exception as e:  # the class name is what we compare
        out["error"] = type(e).__name__
    print(json.dumps(out))
