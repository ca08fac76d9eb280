#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""contrib-reach.py PLUGIN HELP_FILE ICINGA_CONF NAGIOS_CFG

Print every long option of PLUGIN's --help that an operator cannot reach
through the shipped definitions, one per line as "icinga2: --opt" or
"nagios: --opt". An option is reachable in Icinga 2 when the plugin's
CheckCommand (with the templates it imports) has it, or its short form, as
an argument key; in Nagios when the command line names it or passes a
free-form $ARGn$ through. Left out on purpose: --password (a secret in
argv), --help and --version. Options a plugin lists (they are common to
all) but refuses (REFUSED below) must not be passed: printed as
"icinga2: passes --opt" or "nagios: passes --opt" when they are.
"""
import re
import sys

LEFT_OUT = {"--password", "--help", "--version"}
# Listed in --help, refused at run time: Autodiscover finds the servers
# from the address (t/50-contrib.t checks that the plugin refuses them).
REFUSED = {"check_eas_autodiscover": {"--hostname", "--ip", "--sni"}}

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

for long_opt, short in options:
    if long_opt in LEFT_OUT:
        continue
    if long_opt in REFUSED.get(plugin, ()):
        if long_opt in icinga_keys or (short and short in icinga_keys):
            print("icinga2: passes " + long_opt)
        if re.search(r"(?:^|\s)'?(?:%s%s)(?:[\s=']|$)" % (
                re.escape(long_opt), "|" + re.escape(short) if short else ""),
                nagios_line):
            print("nagios: passes " + long_opt)
        continue
    if long_opt not in icinga_keys and (not short or short not in icinga_keys):
        print("icinga2: " + long_opt)
    if not free_form and long_opt not in nagios_line and \
            (not short or short + " " not in nagios_line):
        print("nagios: " + long_opt)
