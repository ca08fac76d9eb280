#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# cmk-check.py FILE JSONDIR PLUGINDIR - load contrib/checkmk/check_eas.py
# against a stand-in for Checkmk's cmk.graphing.v1 (the classes and
# argument names of its documented API; no Checkmk here) and check what
# Checkmk would need: each object under the name prefix Checkmk discovers
# (translation_, metric_, graph_, perfometer_), each translation for a
# plugin of PLUGINDIR, each translated label one the plugin really emits
# (JSONDIR/<plugin>.json), each metric renamed to, drawn or shown defined
# once, each defined metric used. One line per problem and exit 1, or a
# count.
import dataclasses
import enum
import importlib.util
import json
import os
import sys
import types


def dc(name, fields, module):
    cls = dataclasses.make_dataclass(name, fields, frozen=True)
    setattr(module, name, cls)
    return cls


def stub():
    """cmk.graphing.v1 with the signatures of its API (2.3)."""
    v1 = types.ModuleType("cmk.graphing.v1")
    for name in ("cmk", "cmk.graphing"):
        sys.modules[name] = types.ModuleType(name)
    sys.modules["cmk.graphing.v1"] = v1
    dc("Title", [("text", str)], v1)
    m = types.ModuleType("cmk.graphing.v1.metrics")
    m.Color = enum.Enum("Color", "LIGHT_RED RED DARK_RED LIGHT_ORANGE ORANGE DARK_ORANGE "
                        "LIGHT_YELLOW YELLOW DARK_YELLOW LIGHT_GREEN GREEN DARK_GREEN "
                        "LIGHT_BLUE BLUE DARK_BLUE LIGHT_CYAN CYAN DARK_CYAN LIGHT_PURPLE "
                        "PURPLE DARK_PURPLE LIGHT_PINK PINK DARK_PINK LIGHT_BROWN BROWN "
                        "DARK_BROWN LIGHT_GRAY GRAY DARK_GRAY BLACK WHITE")
    for n in ("DecimalNotation", "SINotation", "IECNotation", "StandardScientificNotation",
              "EngineeringScientificNotation"):
        dc(n, [("symbol", str)], m)
    dc("TimeNotation", [], m)
    dc("AutoPrecision", [("digits", int)], m)
    dc("StrictPrecision", [("digits", int)], m)
    dc("Unit", [("notation", object), ("precision", object, dataclasses.field(default=None))], m)
    dc("Metric", [("name", str), ("title", object), ("unit", object), ("color", object)], m)
    dc("Constant", [("title", object), ("unit", object), ("color", object), ("value", float)], m)
    dc("WarningOf", [("metric_name", str)], m)
    dc("CriticalOf", [("metric_name", str)], m)
    dc("MinimumOf", [("metric_name", str), ("color", object)], m)
    dc("MaximumOf", [("metric_name", str), ("color", object)], m)
    g = types.ModuleType("cmk.graphing.v1.graphs")
    dc("MinimalRange", [("lower", object), ("upper", object)], g)
    dc("Graph", [("name", str), ("title", object),
                 ("minimal_range", object, dataclasses.field(default=None)),
                 ("compound_lines", tuple, dataclasses.field(default=())),
                 ("simple_lines", tuple, dataclasses.field(default=())),
                 ("optional", tuple, dataclasses.field(default=())),
                 ("conflicting", tuple, dataclasses.field(default=()))], g)
    p = types.ModuleType("cmk.graphing.v1.perfometers")
    dc("Closed", [("value", object)], p)
    dc("Open", [("value", object)], p)
    dc("FocusRange", [("lower", object), ("upper", object)], p)
    dc("Perfometer", [("name", str), ("focus_range", object), ("segments", tuple)], p)
    t = types.ModuleType("cmk.graphing.v1.translations")
    for n in ("PassiveCheck", "ActiveCheck", "HostCheckCommand", "NagiosPlugin"):
        dc(n, [("name", str)], t)
    dc("RenameTo", [("metric_name", str)], t)
    dc("ScaleBy", [("factor", float)], t)
    dc("RenameToAndScaleBy", [("metric_name", str), ("factor", float)], t)
    dc("Translation", [("name", str), ("check_commands", list), ("translations", dict)], t)
    for mod, short in ((m, "metrics"), (g, "graphs"), (p, "perfometers"), (t, "translations")):
        setattr(v1, short, mod)
        sys.modules["cmk.graphing.v1." + short] = mod
    return v1


v1 = stub()
path, jsondir, plugindir = sys.argv[1:4]
spec = importlib.util.spec_from_file_location("check_eas_graphing", path)
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)

problems = []
kinds = {"translation_": v1.translations.Translation, "metric_": v1.metrics.Metric,
         "graph_": v1.graphs.Graph, "perfometer_": v1.perfometers.Perfometer}
found = {k: [] for k in kinds}
for var, obj in vars(mod).items():
    for prefix, cls in kinds.items():
        if isinstance(obj, cls):
            if var.startswith(prefix):
                found[prefix].append(obj)
            else:
                problems.append("%s: a %s not named %s..., Checkmk would not see it"
                                % (var, cls.__name__, prefix))
metric_names = [m.name for m in found["metric_"]]
defined = set(metric_names)
if len(defined) != len(metric_names):
    problems.append("a metric is defined twice")
for m in found["metric_"]:
    if not isinstance(m.title, v1.Title) or not m.title.text:
        problems.append("metric %s: no title" % m.name)
    if not isinstance(m.unit, v1.metrics.Unit) or not isinstance(m.color, v1.metrics.Color):
        problems.append("metric %s: unit or color not of the API" % m.name)
used = set()
labels_checked = 0
for tr in found["translation_"]:
    for cc in tr.check_commands:
        if not isinstance(cc, v1.translations.NagiosPlugin):
            problems.append("%s: check command %r is not a NagiosPlugin" % (tr.name, cc))
            continue
        exe = os.path.join(plugindir, cc.name)
        if not os.access(exe, os.X_OK):
            problems.append("%s: no plugin %s" % (tr.name, exe))
            continue
        short = cc.name.replace("check_eas_", "")
        try:
            with open(os.path.join(jsondir, short + ".json"), encoding="utf-8") as f:
                labels = {p["label"] for p in json.load(f)["perfdata"]}
        except (OSError, ValueError, KeyError) as e:
            problems.append("%s: no JSON output to check against (%s)" % (cc.name, e))
            continue
        for label, how in tr.translations.items():
            labels_checked += 1
            if label not in labels:
                problems.append("%s: translates '%s', which it never emits (it emits %s)"
                                % (cc.name, label, ", ".join(sorted(labels))))
            if hasattr(how, "metric_name"):
                used.add(how.metric_name)
                if how.metric_name not in defined:
                    problems.append("%s: '%s' renamed to undefined metric %s"
                                    % (cc.name, label, how.metric_name))
for g in found["graph_"]:
    for line in list(g.simple_lines) + list(g.compound_lines) + list(g.optional):
        name = line if isinstance(line, str) else getattr(line, "metric_name", None)
        if name not in defined:
            problems.append("graph %s: line %r names no metric defined here" % (g.name, line))
for p in found["perfometer_"]:
    for s in p.segments:
        if s not in defined:
            problems.append("perfometer %s: segment %s not defined" % (p.name, s))
for name in defined - used:
    problems.append("metric %s: no translation renames a label to it" % name)
for p in problems:
    print(p)
if problems:
    sys.exit(1)
print("%d translations, %d labels found in real output, %d metrics, %d graphs, %d perfometers"
      % (len(found["translation_"]), labels_checked, len(defined), len(found["graph_"]),
         len(found["perfometer_"])))
