#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# template.py - write check-eas-template.yaml, the Zabbix 6.0 template, from
# the table below (one home for which perfdata each plugin's items read;
# t/52-zabbix.t checks every label against the plugins' real JSON output
# and that the committed YAML is this script's). Needs python3-yaml.
#
#   python3 contrib/zabbix/template.py > contrib/zabbix/check-eas-template.yaml
import sys
import uuid

import yaml

TEMPLATE = "Exchange ActiveSync by check-eas"
GROUP = "Templates/Applications"
NS = uuid.UUID("6f1c7c0e-5d0b-4e55-9a53-3c2b8e4f0a11")

# plugin (check_eas_NAME), what it checks, its perfdata: (label, Zabbix unit)
PLUGINS = [
    ("options", "the ActiveSync OPTIONS offer (no credentials)",
     [("time", "s"), ("time_connect", "s"), ("time_ssl", "s"), ("time_firstbyte", "s"),
      ("size", "B"), ("versions", ""), ("commands", "")]),
    ("basic", "basic authentication with a password",
     [("time", "s"), ("time_connect", "s"), ("time_ssl", "s"), ("time_firstbyte", "s"),
      ("size", "B")]),
    ("cert", "client certificate authentication",
     [("time", "s"), ("cert_days", "days")]),
    ("auth", "the authentication policy (anonymous, basic, certificate probes)",
     [("time", "s")]),
    ("certexpiry", "certificate expiry (server chain or local files)",
     [("days_min", "days")]),
    ("sync", "a full ActiveSync session (Provision, FolderSync, Sync)",
     [("time", "s"), ("lock_wait", "s")]),
    ("autodiscover", "Autodiscover as a device does it",
     [("time", "s"), ("redirects", "")]),
]

# exit code -> trigger name word and Zabbix severity
STATES = [(1, "WARNING", "WARNING"), (2, "CRITICAL", "HIGH"), (3, "UNKNOWN", "AVERAGE")]


def uid(*parts):
    """A UUIDv4 (what Zabbix 6.0 asks for) derived from the names: the same
    on every run, so that a re-import updates instead of duplicating."""
    return uuid.UUID(bytes=uuid.uuid5(NS, "/".join(parts)).bytes, version=4).hex


def items(name, what, perf):
    aspect = name.upper()
    macro = "{$EAS.%s.SECTION}" % aspect
    master = "eas.%s[%s]" % (name, macro)
    state_key = "eas.%s.state" % name
    summary_key = "eas.%s.summary" % name
    out = [{
        "uuid": uid(name, "json"),
        "name": "EAS %s: JSON" % aspect,
        "key": master,
        "delay": "{$EAS.INTERVAL}",
        "history": "1d",
        "trends": "0",
        "value_type": "TEXT",
        "description": "check_eas_%s --extra-opts=<%s> --output-format=json: %s. "
                       "The UserParameter of contrib/zabbix/check-eas.conf runs it." % (name, macro, what),
        "tags": [{"tag": "component", "value": "eas-raw"}],
    }, {
        "uuid": uid(name, "state"),
        "name": "EAS %s: state" % aspect,
        "type": "DEPENDENT",
        "key": state_key,
        "delay": "0",
        "description": "The plugin's exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
        "valuemap": {"name": "check-eas state"},
        "preprocessing": [{"type": "JSONPATH", "parameters": ["$.exit_code"]}],
        "master_item": {"key": master},
        "tags": [{"tag": "component", "value": "eas"}],
        "triggers": [{
            "uuid": uid(name, "trigger", word),
            "expression": "last(/%s/%s)=%d" % (TEMPLATE, state_key, code),
            "name": "EAS %s %s on {HOST.NAME}" % (aspect, word),
            "priority": prio,
            "description": "check_eas_%s says %s; the summary item says why "
                           "(EAS %s: summary)." % (name, word, aspect),
            "tags": [{"tag": "scope", "value": "availability"}],
        } for code, word, prio in STATES],
    }, {
        "uuid": uid(name, "summary"),
        "name": "EAS %s: summary" % aspect,
        "type": "DEPENDENT",
        "key": summary_key,
        "delay": "0",
        "history": "7d",
        "trends": "0",
        "value_type": "CHAR",
        "description": "The first line's words: the cause first.",
        "preprocessing": [{"type": "JSONPATH", "parameters": ["$.summary"]}],
        "master_item": {"key": master},
        "tags": [{"tag": "component", "value": "eas"}],
    }]
    for label, units in perf:
        item = {
            "uuid": uid(name, "perf", label),
            "name": "EAS %s: %s" % (aspect, label),
            "type": "DEPENDENT",
            "key": "eas.%s.perf[%s]" % (name, label),
            "delay": "0",
            "value_type": "FLOAT",
            "description": "Perfdata '%s' of check_eas_%s. A run without it (a step that "
                           "did not run) leaves the last value." % (label, name),
            "preprocessing": [{
                "type": "JSONPATH",
                "parameters": ["$.perfdata[?(@.label=='%s')].value.first()" % label],
                "error_handler": "DISCARD_VALUE",
            }],
            "master_item": {"key": master},
            "tags": [{"tag": "component", "value": "eas-perf"}],
        }
        if units:
            item["units"] = units
        out.append(item)
    return out


def template():
    tmpl_items = []
    macros = [{"macro": "{$EAS.INTERVAL}", "value": "5m",
               "description": "How often each check runs."}]
    for name, what, perf in PLUGINS:
        tmpl_items += items(name, what, perf)
        macros.append({
            "macro": "{$EAS.%s.SECTION}" % name.upper(),
            "value": "check_eas_%s" % name,
            "description": "The --extra-opts section of check_eas_%s (the plugins.ini "
                           "section that holds -H, --user, --password-file...)." % name,
        })
    return {"zabbix_export": {
        "version": "6.0",
        "groups": [{"uuid": uid("group"), "name": GROUP}],
        "templates": [{
            "uuid": uid("template"),
            "template": TEMPLATE,
            "name": TEMPLATE,
            "description": "Exchange ActiveSync checks of check-eas through the Zabbix agent "
                           "(UserParameters of contrib/zabbix/check-eas.conf): each plugin's "
                           "JSON in one item, its state, summary and perfdata in dependent "
                           "items, triggers on the state. Link it, then disable the items of "
                           "the plugins you do not run.",
            "groups": [{"name": GROUP}],
            "items": tmpl_items,
            "macros": macros,
            "valuemaps": [{
                "uuid": uid("valuemap"),
                "name": "check-eas state",
                "mappings": [{"value": str(v), "newvalue": w}
                             for v, w in enumerate(["OK", "WARNING", "CRITICAL", "UNKNOWN"])],
            }],
        }],
    }}


if __name__ == "__main__":
    sys.stdout.write("# Generated by contrib/zabbix/template.py: edit that, not this.\n")
    yaml.safe_dump(template(), sys.stdout, sort_keys=False, allow_unicode=True, width=100)
