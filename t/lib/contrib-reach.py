#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""contrib-reach.py PLUGIN HELP_FILE ICINGA_CONF NAGIOS_CFG

Print every long option of PLUGIN's --help that an operator cannot reach
through the shipped definitions, one per line as "icinga2: --opt" or
"nagios: --opt". An option is reachable in Icinga 2 when the plugin's
CheckCommand (with the templates it imports) has it, or its short form, as
an argument key; in Nagios when the command line names it or passes a
free-form $ARGn$ through. Left out on purpose: --password (a secret in
argv), --help and --version, and --output-format (NEVER). An option the
definitions pass that the plugin's --help does not list (the plugin refuses
it) or one of NEVER is printed as "icinga2: passes --opt" or
"nagios: passes --opt".
"""
import re
import sys

LEFT_OUT = {"--password", "--help", "--version"}
# Left out and never passed: the monitoring daemons read the text output
# only (JSON would be one line with no perfdata).
NEVER = {"--output-format"}

plugin, help_file, icinga_conf, nagios_cfg = sys.argv[1:5]

options = []  # (long, short or None)
for line in open(help_file):
    m = re.match(r"\s+(?:-(\w), )?(--[a-z0-9-]+)", line)
    if m:
        options.append((m.group(2), "-" + m.group(1) if m.group(1) else None))

# Icinga 2: blocks "template CheckCommand "x" {" / "object CheckCommand "x" {"
text = open(icinga_conf).read()
blocks = {}
for m in re.finditer(r'(?:template|object) CheckCommand "([^"]+)" \{', text):
    depth, i = 1, m.end()
    while depth and i < len(text):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    blocks[m.group(1)] = text[m.end():i]


def keys(name, seen=()):
    body = blocks.get(name, "")
    found = set(re.findall(r'^\s*"(-[^"]+)" = ', body, re.M))
    for imp in re.findall(r'^\s*import "([^"]+)"', body, re.M):
        if imp not in seen:
            found |= keys(imp, seen + (name,))
    return found


command = next((n for n, b in blocks.items()
                if re.search(r'PluginDir \+ "/%s"' % re.escape(plugin), b)), None)
icinga_keys = keys(command) if command else set()

nagios_line = ""
for m in re.finditer(r"command_line\s+(.*)", open(nagios_cfg).read()):
    if re.search(r"/%s\b" % re.escape(plugin), m.group(1)):
        nagios_line = m.group(1)
# A free-form $ARGn$: one not standing as the value of an option.
free_form = bool(re.search(r"(?:^|\s)'?\$ARG\d+\$'?(?:\s|$)", nagios_line))

listed = {o for pair in options for o in pair if o}
for key in sorted(icinga_keys):
    if key not in listed or key in NEVER:
        print("icinga2: passes " + key)
for key in sorted(set(re.findall(r"(?:^|\s)'?(--?[A-Za-z0-9][a-z0-9-]*)", nagios_line))):
    if key not in listed or key in NEVER:
        print("nagios: passes " + key)

for long_opt, short in options:
    if long_opt in LEFT_OUT or long_opt in NEVER:
        continue
    if long_opt not in icinga_keys and (not short or short not in icinga_keys):
        print("icinga2: " + long_opt)
    if not free_form and long_opt not in nagios_line and \
            (not short or short + " " not in nagios_line):
        print("nagios: " + long_opt)
