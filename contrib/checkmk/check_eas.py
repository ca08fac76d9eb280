# SPDX-License-Identifier: GPL-3.0-or-later
# Checkmk (2.3 and later) metrics, graphs and perfometers for the check-eas
# plugins run through the "Integrate Nagios plugins" rule (custom checks).
#
# Install on the Checkmk site (as the site user):
#   mkdir -p ~/local/lib/python3/cmk_addons/plugins/check_eas/graphing
#   cp check_eas.py ~/local/lib/python3/cmk_addons/plugins/check_eas/graphing/
#   omd restart apache
# In each rule, set "Internal command name" to the plugin's name
# (check_eas_options, check_eas_sync...): Checkmk looks the translations
# below up by that name; without it every custom check is
# "check-mk-custom" and the perfdata keep their raw names.
#
# The translations rename each plugin's perfdata labels to eas_* metrics
# shared by all plugins (one graph of the HTTP phases whichever plugin
# measured them) and turn the certificate plugins' days into seconds, the
# unit Checkmk shows as time left. doc/checkmk.md lists what was tested.
from cmk.graphing.v1 import Title, graphs, metrics, perfometers, translations

# The HTTP exchange as check_curl names it, in every plugin with a request.
_HTTP = {
    "time": translations.RenameTo("eas_time"),
    "time_connect": translations.RenameTo("eas_time_connect"),
    "time_ssl": translations.RenameTo("eas_time_tls"),
    "time_firstbyte": translations.RenameTo("eas_time_firstbyte"),
    "size": translations.RenameTo("eas_size"),
}
_DAYS = 86400.0  # the certificate plugins count days

translation_check_eas_options = translations.Translation(
    name="check_eas_options",
    check_commands=[translations.NagiosPlugin("check_eas_options")],
    translations={
        **_HTTP,
        "versions": translations.RenameTo("eas_versions"),
        "commands": translations.RenameTo("eas_commands"),
    },
)

translation_check_eas_basic = translations.Translation(
    name="check_eas_basic",
    check_commands=[translations.NagiosPlugin("check_eas_basic")],
    translations=_HTTP,
)

translation_check_eas_cert = translations.Translation(
    name="check_eas_cert",
    check_commands=[translations.NagiosPlugin("check_eas_cert")],
    translations={
        **_HTTP,
        "cert_days": translations.RenameToAndScaleBy("eas_cert_time_left", _DAYS),
    },
)

translation_check_eas_auth = translations.Translation(
    name="check_eas_auth",
    check_commands=[translations.NagiosPlugin("check_eas_auth")],
    translations={"time": translations.RenameTo("eas_time")},
)

translation_check_eas_certexpiry = translations.Translation(
    name="check_eas_certexpiry",
    check_commands=[translations.NagiosPlugin("check_eas_certexpiry")],
    translations={
        "days_min": translations.RenameToAndScaleBy("eas_cert_time_left", _DAYS),
        "days_leaf": translations.RenameToAndScaleBy("eas_cert_leaf_time_left", _DAYS),
        "time": translations.RenameTo("eas_time"),
    },
)

translation_check_eas_sync = translations.Translation(
    name="check_eas_sync",
    check_commands=[translations.NagiosPlugin("check_eas_sync")],
    translations={
        "time": translations.RenameTo("eas_time"),
        "lock_wait": translations.RenameTo("eas_lock_wait"),
    },
)

translation_check_eas_autodiscover = translations.Translation(
    name="check_eas_autodiscover",
    check_commands=[translations.NagiosPlugin("check_eas_autodiscover")],
    translations={
        "time": translations.RenameTo("eas_time"),
        "redirects": translations.RenameTo("eas_redirects"),
    },
)

_TIME = metrics.Unit(metrics.TimeNotation())
_COUNT = metrics.Unit(metrics.DecimalNotation(""), metrics.StrictPrecision(0))

metric_eas_time = metrics.Metric(
    name="eas_time", title=Title("Total time"), unit=_TIME, color=metrics.Color.BLUE
)
metric_eas_time_connect = metrics.Metric(
    name="eas_time_connect",
    title=Title("TCP connection established"),
    unit=_TIME,
    color=metrics.Color.LIGHT_GREEN,
)
metric_eas_time_tls = metrics.Metric(
    name="eas_time_tls", title=Title("TLS handshake done"), unit=_TIME, color=metrics.Color.GREEN
)
metric_eas_time_firstbyte = metrics.Metric(
    name="eas_time_firstbyte",
    title=Title("First byte of the answer"),
    unit=_TIME,
    color=metrics.Color.DARK_GREEN,
)
metric_eas_size = metrics.Metric(
    name="eas_size",
    title=Title("Size of the answer"),
    unit=metrics.Unit(metrics.IECNotation("B")),
    color=metrics.Color.ORANGE,
)
metric_eas_versions = metrics.Metric(
    name="eas_versions",
    title=Title("ActiveSync protocol versions offered"),
    unit=_COUNT,
    color=metrics.Color.PURPLE,
)
metric_eas_commands = metrics.Metric(
    name="eas_commands",
    title=Title("ActiveSync commands offered"),
    unit=_COUNT,
    color=metrics.Color.LIGHT_PURPLE,
)
metric_eas_cert_time_left = metrics.Metric(
    name="eas_cert_time_left",
    title=Title("Certificate time left"),
    unit=_TIME,
    color=metrics.Color.YELLOW,
)
metric_eas_cert_leaf_time_left = metrics.Metric(
    name="eas_cert_leaf_time_left",
    title=Title("Server certificate time left"),
    unit=_TIME,
    color=metrics.Color.BROWN,
)
metric_eas_lock_wait = metrics.Metric(
    name="eas_lock_wait",
    title=Title("Waited for another run of the device"),
    unit=_TIME,
    color=metrics.Color.GRAY,
)
metric_eas_redirects = metrics.Metric(
    name="eas_redirects",
    title=Title("Autodiscover redirects followed"),
    unit=_COUNT,
    color=metrics.Color.CYAN,
)

# The phases are times since the start: lines, not a stack.
graph_eas_http_phases = graphs.Graph(
    name="eas_http_phases",
    title=Title("ActiveSync request phases"),
    simple_lines=[
        "eas_time",
        "eas_time_firstbyte",
        "eas_time_tls",
        "eas_time_connect",
        metrics.WarningOf("eas_time"),
        metrics.CriticalOf("eas_time"),
    ],
    optional=["eas_time_firstbyte", "eas_time_tls", "eas_time_connect"],
)

graph_eas_cert_time_left = graphs.Graph(
    name="eas_cert_time_left",
    title=Title("Certificate time left"),
    simple_lines=[
        "eas_cert_time_left",
        metrics.WarningOf("eas_cert_time_left"),
        metrics.CriticalOf("eas_cert_time_left"),
    ],
)

perfometer_eas_time = perfometers.Perfometer(
    name="eas_time",
    focus_range=perfometers.FocusRange(perfometers.Closed(0), perfometers.Open(2)),
    segments=["eas_time"],
)

perfometer_eas_cert_time_left = perfometers.Perfometer(
    name="eas_cert_time_left",
    focus_range=perfometers.FocusRange(perfometers.Closed(0), perfometers.Open(90 * 86400)),
    segments=["eas_cert_time_left"],
)
