#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""contrib-vars.py ICINGA_CONF EXAMPLES_CONF

Print every "vars.eas_X" that a Service of EXAMPLES_CONF sets for a
check-eas CheckCommand which that command does not read ($eas_X$ in its
block or the templates it imports), as "SERVICE (COMMAND): eas_X": such a
variable does nothing (e.g. eas_extra_opts on eas_autodiscover, whose
variables are eas_autodiscover_*). Variables the rule only reads from the
host (host.vars.eas_X) are not checked here.
"""
import re
import sys

conf, examples = sys.argv[1:3]


def blocks(text, pattern):
    found = {}
    for m in re.finditer(pattern, text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        found.setdefault(m.group(1), []).append(text[m.end():i])
    return found


def strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)


commands = {k: v[0] for k, v in blocks(strip_comments(open(conf).read()),
                                        r'(?:template|object) CheckCommand "([^"]+)" \{').items()}


def reads(name, seen=()):
    body = commands.get(name, "")
    found = set(re.findall(r"\$(eas_[a-z0-9_]+)\$", body))
    found |= set(re.findall(r"vars\.(eas_[a-z0-9_]+)", body))
    for imp in re.findall(r'^\s*import "([^"]+)"', body, re.M):
        if imp not in seen:
            found |= reads(imp, seen + (name,))
    return found


text = strip_comments(open(examples).read())
for name, bodies in blocks(text, r'(?:apply|object) Service "([^"]+)"[^{]*\{').items():
    for body in bodies:
        m = re.search(r'check_command = "([^"]+)"', body)
        if not m or m.group(1) not in commands:
            continue
        known = reads(m.group(1))
        for var in sorted(set(re.findall(r"^\s*vars\.(eas_[a-z0-9_]+)\s*[+]?=", body, re.M))):
            if var not in known:
                print("%s (%s): %s" % (name, m.group(1), var))
