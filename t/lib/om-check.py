#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# om-check.py FILE - parse FILE with the strict OpenMetrics parser of the
# Prometheus Python client (python3-prometheus-client): exit 0 and print
# one "family type unit samples" line per family, or exit 1 with the
# parser's complaint. promtool reads the older Prometheus text format
# only; this one holds the output to the OpenMetrics grammar (# EOF last,
# UNIT a suffix of the name, escaping, no duplicate family).
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families

try:
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    for fam in text_string_to_metric_families(text):
        print(fam.name, fam.type, fam.unit or "-", len(fam.samples))
except Exception as e:  # the parser raises ValueError and others
    print(f"not OpenMetrics: {e}")
    sys.exit(1)
