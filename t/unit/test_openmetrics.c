/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "out/openmetrics.h"
#include "tap.h"

static struct eas_perf perf(const char *label, double v, const char *uom, const char *warn,
			    const char *crit)
{
	struct eas_perf p = { .value = v, .min = 0, .max = NAN };

	snprintf(p.label, sizeof p.label, "%s", label);
	snprintf(p.uom, sizeof p.uom, "%s", uom);
	snprintf(p.warn, sizeof p.warn, "%s", warn);
	snprintf(p.crit, sizeof p.crit, "%s", crit);
	return p;
}

static char *doc(const char *aspect, const char *target, enum eas_state s, const struct eas_perf *p,
		 size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	eas_om_write(&(struct eas_om_doc){ "check_eas_x", aspect, target, s, p, n }, f);
	fclose(f);
	return buf;
}

static const char *name(const char *aspect, const char *label, const char *uom, const char **unit,
			double *factor)
{
	static char buf[160];
	struct eas_perf p = perf(label, 0, uom, "", "");
	struct eas_om_unit u;

	eas_om_name(aspect, &p, buf, sizeof buf, &u);
	*unit = u.unit;
	*factor = u.factor;
	return buf;
}

static bool has(const char *d, const char *s)
{
	return strstr(d, s) != NULL;
}

/* Lines of text that start with prefix. */
static int count(const char *text, const char *prefix)
{
	int n = 0;

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		n += !strncmp(l, prefix, strlen(prefix));
	return n;
}

int main(void)
{
	struct tap t = { 0 };
	const char *unit, *n;
	double factor;
	char *d;

	n = name("OPTIONS", "time", "s", &unit, &factor);
	TAP_OK(&t, !strcmp(n, "eas_options_time_seconds") && factor == 1, "s: %s", n);
	n = name("OPTIONS", "time_connect", "ms", &unit, &factor);
	TAP_OK(&t, !strcmp(n, "eas_options_time_connect_seconds") && factor == 1e-3,
	       "ms become seconds: %s", n);
	n = name("BASIC", "size", "B", &unit, &factor);
	TAP_OK(&t, !strcmp(n, "eas_basic_size_bytes") && !strcmp(unit, "bytes"), "B: %s", n);
	n = name("BASIC", "size", "KB", &unit, &factor);
	TAP_OK(&t, !strcmp(n, "eas_basic_size_bytes") && factor == 1024, "KB: %s", n);
	n = name("OPTIONS", "versions", "", &unit, &factor);
	TAP_OK(&t, !strcmp(n, "eas_options_versions") && !unit[0], "no UOM, no unit: %s", n);
	n = name("CERTEXPIRY", "days_leaf", "", &unit, &factor);
	TAP_OK(&t,
	       !strcmp(n, "eas_certexpiry_leaf_seconds") && !strcmp(unit, "seconds") &&
		       factor == 86400,
	       "days_ label: days as seconds (the base unit promtool asks for), at the end: %s", n);
	n = name("CERT", "cert_days", "", &unit, &factor);
	TAP_OK(&t, !strcmp(n, "eas_cert_cert_seconds"), "_days label: %s", n);
	n = name("CERTEXPIRY", "days", "", &unit, &factor);
	TAP_OK(&t, !strcmp(n, "eas_certexpiry_seconds"), "label days alone: %s", n);
	n = name("CERTEXPIRY", "daysleft", "", &unit, &factor);
	TAP_OK(&t, !strcmp(n, "eas_certexpiry_daysleft") && !unit[0], "days inside a word: %s", n);
	n = name("CERTEXPIRY", "days_Client-Cert.p12", "", &unit, &factor);
	TAP_OK(&t, !strcmp(n, "eas_certexpiry_client_cert_p12_seconds"),
	       "other characters: one '_', lower case: %s", n);
	n = name("AUTH", "__x  y__", "c", &unit, &factor);
	TAP_OK(&t, !strcmp(n, "eas_auth_x_y") && !unit[0],
	       "unknown UOM, no unit; no '_' at ends: %s", n);

	struct eas_perf p[] = {
		perf("time", 0.0123, "s", "5", "10"),      perf("size", 2048, "B", "", ""),
		perf("days_leaf", -3, "", "@0:10", "~:2"), perf("odd", NAN, "", "10:", "bad"),
		perf("big", INFINITY, "", "", ""),         perf("neg", -0.0, "", "", ""),
		perf("days-leaf", 1, "", "", ""), /* reads as days_leaf: dropped */
	};
	d = doc("OPTIONS", "mail.example.com:8443", EAS_CRITICAL, p, sizeof p / sizeof p[0]);
	TAP_OK(&t,
	       !strncmp(
		       d,
		       "# HELP eas_state The check's state and exit code: 0 OK, 1 WARNING, 2 "
		       "CRITICAL, 3 UNKNOWN\n# TYPE eas_state gauge\neas_state{plugin=\"check_eas_x\","
		       "target=\"mail.example.com:8443\"} 2\n",
		       strlen("# HELP eas_state The check's state and exit code: 0 OK, 1 WARNING, 2 "
			      "CRITICAL, 3 UNKNOWN\n# TYPE eas_state gauge\neas_state{plugin=\"check_"
			      "eas_x\",target=\"mail.example.com:8443\"} 2\n")),
	       "state first, labelled plugin and target");
	TAP_OK(&t,
	       has(d, "# HELP eas_options_time_seconds Perfdata 'time' of check_eas_x, in s\n"
		      "# TYPE eas_options_time_seconds gauge\n"
		      "# UNIT eas_options_time_seconds seconds\n"
		      "eas_options_time_seconds{plugin=\"check_eas_x\",target=\"mail.example.com:"
		      "8443\"} 0.0123\n"),
	       "time: HELP, TYPE, UNIT, the value");
	TAP_OK(&t,
	       has(d, "# UNIT eas_options_time_warning_seconds seconds\n"
		      "eas_options_time_warning_seconds{plugin=\"check_eas_x\",target=\"mail."
		      "example.com:8443\",bound=\"lower\",alert=\"outside\"} 0\n"
		      "eas_options_time_warning_seconds{plugin=\"check_eas_x\",target=\"mail."
		      "example.com:8443\",bound=\"upper\",alert=\"outside\"} 5\n"),
	       "-w 5: a family of its own, 0 and 5, alert outside");
	TAP_OK(&t,
	       has(d, "eas_options_time_critical_seconds{plugin=\"check_eas_x\",target=\"mail."
		      "example.com:8443\",bound=\"upper\",alert=\"outside\"} 10\n"),
	       "-c 10: upper 10");
	TAP_OK(&t,
	       has(d, "eas_options_size_bytes{plugin=\"check_eas_x\",target=\"mail.example."
		      "com:8443\"} 2048\n") &&
		       !has(d, "size_warning"),
	       "no threshold, no threshold family");
	TAP_OK(&t,
	       has(d, "eas_options_leaf_seconds{plugin=\"check_eas_x\",target=\"mail.example.com:"
		      "8443\"} -259200\n") &&
		       has(d,
			   "eas_options_leaf_warning_seconds{plugin=\"check_eas_x\",target="
			   "\"mail.example.com:8443\",bound=\"upper\",alert=\"inside\"} 864000\n") &&
		       has(d,
			   "eas_options_leaf_critical_seconds{plugin=\"check_eas_x\",target="
			   "\"mail.example.com:8443\",bound=\"upper\",alert=\"outside\"} 172800\n") &&
		       !has(d, "leaf_critical_seconds{plugin=\"check_eas_x\",target=\"mail.example."
			       "com:8443\",bound=\"lower\""),
	       "days as seconds; @0:10 alerts inside; ~:2 has no lower end");
	TAP_OK(&t,
	       has(d, "eas_options_odd{plugin=\"check_eas_x\",target=\"mail.example.com:8443\"} "
		      "NaN\n") &&
		       has(d, "eas_options_odd_warning{plugin=\"check_eas_x\",target=\"mail."
			      "example.com:8443\",bound=\"lower\",alert=\"outside\"} 10\n") &&
		       !has(d, "odd_critical"),
	       "NaN value; 10: has only a lower end; a range that does not parse is left out");
	TAP_OK(&t,
	       has(d, "\"} +Inf\n") && has(d, "eas_options_neg{plugin=\"check_eas_x\","
					      "target=\"mail.example.com:8443\"} 0\n"),
	       "+Inf, and -0 as 0");
	TAP_OK(&t,
	       count(d, "# TYPE eas_options_leaf_seconds ") == 1 &&
		       count(d, "eas_options_leaf_seconds{") == 1,
	       "two labels that clean to one name: one family");
	TAP_OK(&t, count(d, "# TYPE ") == 12 && count(d, "# HELP ") == 12,
	       "12 families (state, 6 values, 5 thresholds), each with HELP and TYPE");
	TAP_OK(&t, strlen(d) > 6 && !strcmp(d + strlen(d) - 6, "# EOF\n"), "ends in # EOF");
	free(d);

	p[0] = perf("time", 1.5, "s", "", "");
	d = doc("SYNC", "https://a\"b\\c\nd/x", EAS_OK, p, 1);
	TAP_OK(&t,
	       has(d, "eas_state{plugin=\"check_eas_x\",target=\"https://a\\\"b\\\\c\\nd/x\"} 0\n"),
	       "target escaped (quote, backslash, newline): %s", d);
	free(d);
	d = doc("SYNC", NULL, EAS_UNKNOWN, NULL, 0);
	TAP_OK(&t,
	       !strcmp(d, "# HELP eas_state The check's state and exit code: 0 OK, 1 WARNING, 2 "
			  "CRITICAL, 3 UNKNOWN\n# TYPE eas_state gauge\n"
			  "eas_state{plugin=\"check_eas_x\"} 3\n# EOF\n"),
	       "no target (an option error): no target label, the state alone: %s", d);
	free(d);
	return tap_done(&t);
}
