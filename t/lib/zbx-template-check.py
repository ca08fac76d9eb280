#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# zbx-template-check.py TEMPLATE.yaml JSONDIR - what a Zabbix 6.0 import
# needs of the template (no Zabbix server here: a structural check), and
# that each dependent item's JSONPath finds a value in the plugins' real
# JSON output (JSONDIR/<plugin>*.json, the union of several runs). Prints
# one line per problem and exits 1 if any, else prints a count.
import glob
import json
import os
import re
import sys

import yaml

problems = []


def bad(msg):
    problems.append(msg)


doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
jsondir = sys.argv[2]
ex = doc.get("zabbix_export") or {}
if ex.get("version") != "6.0":
    bad("zabbix_export.version is %r, not '6.0'" % ex.get("version"))
group_names = {g.get("name") for g in ex.get("groups", [])}
uuids = []
UUID4 = re.compile(r"^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$")
ITEM_TYPES = {"ZABBIX_PASSIVE", "ZABBIX_ACTIVE", "DEPENDENT"}  # passive is the default
VALUE_TYPES = {"FLOAT", "CHAR", "LOG", "TEXT", "UNSIGNED"}
PRIORITIES = {"NOT_CLASSIFIED", "INFO", "WARNING", "AVERAGE", "HIGH", "DISASTER"}
checked = 0

for g in ex.get("groups", []):
    uuids.append(g.get("uuid"))
templates = ex.get("templates") or []
if not templates:
    bad("no templates")
for t in templates:
    name = t.get("template")
    uuids.append(t.get("uuid"))
    for field in ("template", "name", "groups", "items"):
        if not t.get(field):
            bad("template lacks %s" % field)
    for g in t.get("groups", []):
        if g.get("name") not in group_names:
            bad("template group %r not among zabbix_export.groups" % g.get("name"))
    macros = {m["macro"] for m in t.get("macros", [])}
    valuemaps = {v["name"] for v in t.get("valuemaps", [])}
    uuids += [v.get("uuid") for v in t.get("valuemaps", [])]
    keys = {i.get("key") for i in t.get("items", [])}
    for it in t.get("items", []):
        key = it.get("key", "")
        uuids.append(it.get("uuid"))
        if not it.get("name") or not key:
            bad("an item without name or key")
        if it.get("type", "ZABBIX_PASSIVE") not in ITEM_TYPES:
            bad("%s: type %s" % (key, it.get("type")))
        if it.get("value_type", "UNSIGNED") not in VALUE_TYPES:
            bad("%s: value_type %s" % (key, it.get("value_type")))
        for m in re.findall(r"\{\$[A-Z0-9_.]+\}", key + it.get("delay", "")):
            if m not in macros:
                bad("%s: macro %s not defined in the template" % (key, m))
        if it.get("valuemap") and it["valuemap"]["name"] not in valuemaps:
            bad("%s: value map %r not defined" % (key, it["valuemap"]["name"]))
        for tr in it.get("triggers", []):
            uuids.append(tr.get("uuid"))
            if tr.get("priority") not in PRIORITIES:
                bad("%s: trigger priority %r" % (key, tr.get("priority")))
            for tmpl, k in re.findall(r"/([^/]+)/([^)]+)\)", tr.get("expression", "")):
                if tmpl != name or k != key:
                    bad("trigger %r names %s/%s, not its own item" % (tr.get("name"), tmpl, k))
        if it.get("type") != "DEPENDENT":
            continue
        master = it.get("master_item", {}).get("key")
        if master not in keys:
            bad("%s: master item %s not in the template" % (key, master))
        plugin = re.match(r"eas\.([a-z]+)\[", master or "")
        if not plugin:
            bad("%s: master %s is not eas.PLUGIN[...]" % (key, master))
            continue
        runs = [json.load(open(f, encoding="utf-8"))
                for f in sorted(glob.glob(os.path.join(jsondir, plugin.group(1) + "*.json")))]
        if not runs:
            bad("%s: no JSON output of check_eas_%s to check against" % (key, plugin.group(1)))
            continue
        for step in it.get("preprocessing", []):
            if step.get("type") != "JSONPATH":
                continue
            path = step["parameters"][0]
            m = re.fullmatch(r"\$\.perfdata\[\?\(@\.label=='([^']+)'\)\]\.value\.first\(\)", path)
            if m:
                found = any(p["label"] == m.group(1) for r in runs for p in r["perfdata"])
                what = "perfdata label %r" % m.group(1)
            elif re.fullmatch(r"\$\.[a-z_]+", path):
                found = all(path[2:] in r for r in runs)
                what = "field %s" % path[2:]
            else:
                bad("%s: JSONPath %s not of a form this check knows" % (key, path))
                continue
            if not found:
                bad("%s: %s: check_eas_%s never emits %s" % (key, path, plugin.group(1), what))
            checked += 1
for u in uuids:
    if not u or not UUID4.match(u):
        bad("uuid %r is not a UUIDv4 in 32 hex digits" % u)
if len(set(uuids)) != len(uuids):
    bad("a uuid appears twice")
for p in problems:
    print(p)
if problems:
    sys.exit(1)
print("%d JSONPaths found in real output, %d uuids" % (checked, len(uuids)))
