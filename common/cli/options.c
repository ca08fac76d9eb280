/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <json-c/json.h>
#include <openssl/crypto.h>

#include "util/mailaddr.h"
#include "config.h"
#include "http/http.h"
#include "cli/extraopts.h"
#include "util/text.h"

enum {
	K_CA_FILE = 1000,
	K_CA_PATH,
	K_SNI,
	K_TLS_MIN,
	K_FORMAT,
	K_EXTRA,
	K_PASSWORD,
	K_PASSWORD_FILE,
	K_PASSWORD_ENV,
	K_PLAINTEXT,
	K_CERT,
	K_KEY,
	K_KEY_PASS,
	K_CERT_PASS,
	K_USER,
	K_TLS_MAX,
	K_PROXY,
	K_NOPROXY,
	K_RESOLVE,
	K_CONNECT_TO,
	K_DNS_SERVER,
	K_AUTODISCOVER,
	K_STATE_DIR,
	K_TRUST_DOMAIN,
	K_BEARER_FILE,
	K_OAUTH_CLIENT,
	K_OAUTH_TENANT,
	K_OAUTH_URL,
	K_OAUTH_SCOPE,
	K_OAUTH_CACHE,
	/* issue 17 items 1 and 4: the grant, the rotation age */
	K_OAUTH_GRANT,
	K_OAUTH_ROT_WARN,
};

struct eas_opt_def {
	const char *name;    /* long name, without "--" */
	int has_arg;         /* 0 no, 1 required, 2 optional */
	int key;             /* >= 1000, or a short option letter */
	const char *argname; /* for --help, NULL when no argument */
	const char *help;
};

/* getopt's key for a plugin's row i (below the common K_* keys). */
#define PLUGIN_KEY(i) (256 + (int)(i))

struct common_def {
	struct eas_opt_def def;
	int short_key;  /* 0: long only */
	unsigned group; /* 0: always */
};

#define ALWAYS 0
static const struct common_def common[] = {
	{ { "hostname", 1, 'H', "HOST",
	    "server name to check (used for TLS SNI and the Host header)" },
	  'H',
	  EAS_OPTG_SERVER },
	{ { "ip", 1, 'I', "ADDRESS", "connect to this address instead of resolving HOST" },
	  'I',
	  EAS_OPTG_SERVER },
	{ { "port", 1, 'p', "PORT", "TCP port (default 443)" }, 'p', EAS_OPTG_SERVER },
	{ { "sni", 1, K_SNI, "NAME", "TLS server name to send and verify, if not HOST" },
	  0,
	  EAS_OPTG_SERVER },
	{ { "use-ipv4", 0, '4', NULL, "connect over IPv4 only" }, '4', EAS_OPTG_NET },
	{ { "use-ipv6", 0, '6', NULL, "connect over IPv6 only" }, '6', EAS_OPTG_NET },
	{ { "proxy", 1, K_PROXY, "URL",
	    "connect through this HTTP proxy (default: https_proxy etc. from the environment, named in -v)" },
	  0,
	  EAS_OPTG_NET },
	{ { "noproxy", 0, K_NOPROXY, NULL, "connect directly, whatever the environment says" },
	  0,
	  EAS_OPTG_NET },
	{ { "resolve", 1, K_RESOLVE, "HOST:PORT:ADDRESS",
	    "connect to ADDRESS for HOST:PORT, as curl's --resolve (repeatable)" },
	  0,
	  EAS_OPTG_NET },
	{ { "connect-to", 1, K_CONNECT_TO, "HOST:PORT:HOST2:PORT2",
	    "connect to HOST2:PORT2 for HOST:PORT, as curl's --connect-to (repeatable)" },
	  0,
	  EAS_OPTG_NET },
	{ { "dns-server", 1, K_DNS_SERVER, "ADDRESS[:PORT]",
	    "look host names (and SRV records) up at this DNS server: what do outside devices see?" },
	  0,
	  EAS_OPTG_NET },
	{ { "url-path", 1, 'u', "PATH", "EAS path (default /Microsoft-Server-ActiveSync)" },
	  'u',
	  EAS_OPTG_HTTP },
	{ { "url", 1, 'U', "URL", "full URL, instead of -H/-p/-u" }, 'U', EAS_OPTG_HTTP },
	{ { "autodiscover", 1, K_AUTODISCOVER, "ADDRESS",
	    "find the URL by Autodiscover for this e-mail address, as a device does, instead of -H/-U" },
	  0,
	  EAS_OPTG_HTTP },
	{ { "ca-file", 1, K_CA_FILE, "FILE", "trust anchors from this PEM bundle" },
	  0,
	  EAS_OPTG_TLS },
	{ { "ca-path", 1, K_CA_PATH, "DIR",
	    "trust anchors from this hashed directory (default /etc/ssl/certs)" },
	  0,
	  EAS_OPTG_TLS },
	{ { "insecure", 0, 'k', NULL, "do not verify the server certificate" }, 'k', EAS_OPTG_TLS },
	{ { "tls-min", 1, K_TLS_MIN, "1.0|1.1|1.2|1.3", "lowest TLS version to accept" },
	  0,
	  EAS_OPTG_TLS },
	{ { "tls-max", 1, K_TLS_MAX, "1.0|1.1|1.2|1.3",
	    "highest TLS version to offer (e.g. 1.2: do old devices still connect?)" },
	  0,
	  EAS_OPTG_TLS },
	{ { "user", 1, K_USER, "USER",
	    "basic auth user, user@domain.com or DOMAIN\\user (sent as given)" },
	  0,
	  EAS_OPTG_BASIC },
	{ { "password-file", 1, K_PASSWORD_FILE, "FILE",
	    "read the password from FILE (first line)" },
	  0,
	  EAS_OPTG_BASIC },
	{ { "password-env", 1, K_PASSWORD_ENV, "VAR",
	    "read the password from environment variable VAR (default EAS_PASSWORD)" },
	  0,
	  EAS_OPTG_BASIC },
	{ { "password", 1, K_PASSWORD, "PASS",
	    "password on the command line: UNSAFE, visible to every local user; use --password-file, EAS_PASSWORD or --extra-opts" },
	  0,
	  EAS_OPTG_BASIC },
	{ { "allow-plaintext", 0, K_PLAINTEXT, NULL,
	    "allow sending basic credentials over plain http:// (to -H/-U only)" },
	  0,
	  EAS_OPTG_BASIC },
	{ { "trust-domain", 1, K_TRUST_DOMAIN, "DOMAIN",
	    "hosts in DOMAIN found by Autodiscover or a redirect may get the credentials, as a device's user allows it (repeatable; the address's or -H's domain always may)" },
	  0,
	  EAS_OPTG_BASIC },
	{ { "cert", 1, K_CERT, "FILE",
	    "client certificate: PEM (with --key) or PKCS#12 .pfx/.p12" },
	  0,
	  EAS_OPTG_CLIENT },
	{ { "key", 1, K_KEY, "FILE", "private key of a PEM client certificate" },
	  0,
	  EAS_OPTG_CLIENT },
	{ { "key-password-file", 1, K_KEY_PASS, "FILE", "password of an encrypted PEM key" },
	  0,
	  EAS_OPTG_CLIENT },
	{ { "cert-password-file", 1, K_CERT_PASS, "FILE", "password of a PKCS#12 file" },
	  0,
	  EAS_OPTG_CLIENT },
	{ { "bearer-token-file", 1, K_BEARER_FILE, "FILE",
	    "send the OAuth 2.0 access token in FILE (first line; obtained by something else) as Authorization: Bearer" },
	  0,
	  EAS_OPTG_TOKEN },
	{ { "oauth-token-cache", 1, K_OAUTH_CACHE, "FILE",
	    "OAuth 2.0 token cache (JSON, 0600, seeded with a refresh token): its access token is reused until shortly before it expires, then refreshed and the rotated refresh token written back" },
	  0,
	  EAS_OPTG_TOKEN },
	{ { "oauth-client-id", 1, K_OAUTH_CLIENT, "ID",
	    "the application (client) ID the refresh token was issued to" },
	  0,
	  EAS_OPTG_TOKEN },
	{ { "oauth-tenant", 1, K_OAUTH_TENANT, "TENANT",
	    "Entra ID tenant (ID or domain): its token endpoint at login.microsoftonline.com is asked" },
	  0,
	  EAS_OPTG_TOKEN },
	{ { "oauth-token-url", 1, K_OAUTH_URL, "URL",
	    "token endpoint (https://) instead of --oauth-tenant: AD FS, sovereign clouds" },
	  0,
	  EAS_OPTG_TOKEN },
	{ { "oauth-scope", 1, K_OAUTH_SCOPE, "SCOPES",
	    "scopes asked for on refresh (default \"" EAS_OAUTH_DEFAULT_SCOPE "\")" },
	  0,
	  EAS_OPTG_TOKEN },
	/* issue 17 items 1 and 4 (helper G) */
	{ { "oauth-grant", 1, K_OAUTH_GRANT, "GRANT",
	    "how the token cache gets a new access token: refresh_token (default, the cache's refresh token) or password (--user and its password, sent only to the token endpoint; where the tenant allows it)" },
	  0,
	  EAS_OPTG_TOKEN },
	{ { "oauth-rotation-warn", 1, K_OAUTH_ROT_WARN, "DAYS",
	    "WARNING when the cache's refresh token has not rotated for DAYS days (default 60, 0: never): it will lapse" },
	  0,
	  EAS_OPTG_TOKEN },
	{ { "state-dir", 1, K_STATE_DIR, "DIR",
	    "where runs of one device wait for each other: a directory only this user may write (default $XDG_RUNTIME_DIR/check-eas, else /tmp/check-eas-UID; created 0700)" },
	  0,
	  EAS_OPTG_STATE },
	{ { "timeout", 1, 't', "SECONDS[:STATE]",
	    "give up after SECONDS (default 10) with STATE (default UNKNOWN)" },
	  't',
	  ALWAYS },
	{ { "warning", 1, 'w', "RANGE", NULL }, 'w', ALWAYS },
	{ { "critical", 1, 'c', "RANGE", NULL }, 'c', ALWAYS },
	{ { "output-format", 1, K_FORMAT, "text|json|openmetrics",
	    "output format (default text); openmetrics: the state and perfdata for Prometheus" },
	  0,
	  ALWAYS },
	{ { "extra-opts", 2, K_EXTRA, "[SECTION][@FILE]",
	    "read options from an ini file (default section: the plugin's name)" },
	  0,
	  ALWAYS },
	{ { "verbose", 0, 'v', NULL, "show long output (each step and its result)" }, 'v', ALWAYS },
	{ { "version", 0, 'V', NULL,
	    "print the version and exit (with -v also the libraries' versions, for bug reports)" },
	  'V',
	  ALWAYS },
	{ { "help", 0, 'h', NULL, "print this help and exit" }, 'h', ALWAYS },
};
#define NCOMMON (sizeof common / sizeof common[0])

int eas_parse_long(const char *text, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int eas_parse_double(const char *text, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno || end == text || *end || !isfinite(v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static bool accepted(const struct eas_plugin *p, const struct common_def *c)
{
	if (c->def.key == K_AUTODISCOVER && !p->discover)
		return false;
	return c->group == ALWAYS || (p->groups & c->group);
}

#define HELP_COL 30 /* where the descriptions start, as GNU's --help */

/* The description from HELP_COL, wrapped before column 80; no line starts
 * with '-' (an option word goes with the word before it), so that every
 * reader of --help (help2man, the tests) meets options only at the left. */
static void print_wrapped(const char *text, size_t col)
{
	bool line_start = true;

	for (const char *p = text + strspn(text, " "); *p;) {
		const char *q = p + strcspn(p, " ");
		size_t len;

		while (q[0] == ' ' && q[1] == '-') /* "use --password-file" */
			q += 1 + strcspn(q + 1, " ");
		len = (size_t)(q - p);
		if (!line_start && col + 1 + len > 79) {
			printf("\n%*s", HELP_COL, "");
			col = HELP_COL;
			line_start = true;
		}
		if (!line_start) {
			putchar(' ');
			col++;
		}
		printf("%.*s", (int)len, p);
		col += len;
		line_start = false;
		p = q + strspn(q, " ");
	}
	putchar('\n');
}

static void print_opt(const struct eas_opt_def *d, int short_key)
{
	char head[96];
	int n;

	if (short_key)
		n = snprintf(head, sizeof head, "  -%c, --%s", short_key, d->name);
	else
		n = snprintf(head, sizeof head, "      --%s", d->name);
	if (d->argname && n > 0 && (size_t)n < sizeof head)
		snprintf(head + n, sizeof head - (size_t)n, "%s%s", d->has_arg == 2 ? "[=" : "=",
			 d->argname);
	if (d->argname && d->has_arg == 2)
		strncat(head, "]", sizeof head - strlen(head) - 1);
	/* the description beside a short head, under a long one */
	if (strlen(head) + 2 <= HELP_COL)
		printf("%-*s", HELP_COL, head);
	else
		printf("%s\n%*s", head, HELP_COL, "");
	print_wrapped(d->help ? d->help : "", HELP_COL);
}

/* One word of the usage line: "-k", "--sni NAME", "[--extra-opts[=ARG]]". */
static void usage_word(char *buf, size_t len, const struct eas_opt_def *d, int short_key,
		       bool optional)
{
	char name[64];

	if (short_key)
		snprintf(name, sizeof name, "-%c", short_key);
	else
		snprintf(name, sizeof name, "--%s", d->name);
	snprintf(buf, len, "%s%s%s%s%s%s%s", optional ? "[" : "", name,
		 !d->argname       ? ""
		 : d->has_arg == 2 ? "[="
				   : " ",
		 d->argname ? d->argname : "", d->argname && d->has_arg == 2 ? "]" : "",
		 optional ? "]" : "", "");
}

/* Words wrapped under the first one, as GNU and the Monitoring Plugins do;
 * the man page's SYNOPSIS joins them again (Makefile.am). */
static void usage_put(const char *word, size_t indent, size_t *col)
{
	if (*col + 1 + strlen(word) > 79 && *col > indent) {
		printf("\n%*s", (int)indent, "");
		*col = indent;
	} else {
		putchar(' ');
		(*col)++;
	}
	fputs(word, stdout);
	*col += strlen(word);
}

/* The usage line, from the same tables the parser reads: what is needed
 * first, then every other option the plugin accepts, and nothing else. */
static void print_usage(const struct eas_plugin *p)
{
	size_t indent = strlen("Usage: ") + strlen(p->name), col = indent;
	bool server = (p->groups & EAS_OPTG_SERVER) && !p->target_optional;
	char word[160];

	printf("Usage: %s", p->name);
	if (server) {
		snprintf(word, sizeof word, "%s-H HOST%s%s%s",
			 (p->groups & EAS_OPTG_HTTP) ? "{" : "",
			 (p->groups & EAS_OPTG_HTTP) ? " | -U URL" : "",
			 p->discover ? " | --autodiscover ADDRESS" : "",
			 (p->groups & EAS_OPTG_HTTP) ? "}" : "");
		usage_put(word, indent, &col);
	}
	for (const struct eas_optdecl *d = p->opts; d && d->name; d++) {
		struct eas_opt_def def = { d->name, d->kind != EAS_OPT_FLAG, 0, d->argname, NULL };

		if (!d->need)
			continue;
		usage_word(word, sizeof word, &def, 0, false);
		usage_put(word, indent, &col);
	}
	for (size_t i = 0; i < NCOMMON; i++) {
		int k = common[i].def.key;

		if (!accepted(p, &common[i]) || k == 'h' || k == 'V' ||
		    (server && (k == 'H' || k == 'U' || k == K_AUTODISCOVER)))
			continue;
		usage_word(word, sizeof word, &common[i].def, common[i].short_key, true);
		usage_put(word, indent, &col);
	}
	for (const struct eas_optdecl *d = p->opts; d && d->name; d++) {
		struct eas_opt_def def = { d->name, d->kind != EAS_OPT_FLAG, 0, d->argname, NULL };

		if (d->need)
			continue;
		usage_word(word, sizeof word, &def, 0, true);
		usage_put(word, indent, &col);
	}
	printf("\n   or: %s {-h | -V [-v]}\n", p->name);
}

static void print_help(const struct eas_plugin *p)
{
	char thr[2][256];

	printf("%s %s - %s\n\n", p->name, PACKAGE_VERSION, p->purpose);
	print_usage(p);
	printf("\nOptions:\n");
	for (size_t i = 0; i < NCOMMON; i++) {
		struct eas_opt_def d = common[i].def;

		if (!accepted(p, &common[i]))
			continue;
		if (d.key == 'w' || d.key == 'c') {
			char *buf[2] = { thr[0], thr[1] };
			int w = d.key == 'w';

			snprintf(buf[w], sizeof thr[w], "%s threshold on %s%s%s",
				 w ? "warning" : "critical",
				 p->threshold_help ? p->threshold_help
						   : "the response time in seconds",
				 (w ? p->default_warn : p->default_crit) ? " (default " : "",
				 (w ? p->default_warn : p->default_crit)
					 ? (w ? p->default_warn : p->default_crit)
					 : "");
			if (w ? p->default_warn : p->default_crit)
				strncat(buf[w], ")", sizeof thr[w] - strlen(buf[w]) - 1);
			d.help = buf[w];
		}
		print_opt(&d, common[i].short_key);
	}
	for (const struct eas_optdecl *d = p->opts; d && d->name; d++) {
		struct eas_opt_def def = { d->name, d->kind != EAS_OPT_FLAG, 0, d->argname,
					   d->help };
		char help[512];

		/* A list's bound, from its declaration: help and parser agree. */
		if (d->kind == EAS_OPT_LIST) {
			snprintf(help, sizeof help, "%s (repeatable, at most %zu)", d->help,
				 (size_t)d->max);
			def.help = help;
		}
		print_opt(&def, 0);
	}
	printf("\nRANGE is the Monitoring Plugins syntax: 10 (alert outside 0..10), 10: (below 10),\n~:10 (above 10), 10:20 (outside), @10:20 (inside).\n"
	       "Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n");
	if (p->examples)
		printf("\n%s", p->examples);
}

/* -V: one line, as check_curl's (help2man makes the man page's header and
 * footer from it); -V -v adds the libraries' versions, as bug reports need
 * them. */
static void print_version(const struct eas_plugin *p, int verbose)
{
	const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);

	printf("%s %s (check-eas)\n", p->name, PACKAGE_VERSION);
	if (verbose)
		printf("libcurl %s, %s, json-c %s\n", cv->version, OpenSSL_version(OPENSSL_VERSION),
		       json_c_version());
}

static int fail(struct eas_output *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct eas_output *out, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return eas_out_exit(out, EAS_UNKNOWN, "%s", msg);
}

/* An unknown, ambiguous or misused long option. Only its name is shown:
 * the value may be a secret ("--pasword=...", "--pass=..." from an ini). */
static int unknown_long(struct eas_output *out, const char *arg, const struct option *longopts,
			const char *plugin)
{
	size_t len = strcspn(arg, "=");

	for (const struct option *lo = longopts; lo->name; lo++)
		if (len > 2 && strlen(lo->name) == len - 2 &&
		    !strncmp(lo->name, arg + 2, len - 2) && lo->has_arg == 0)
			return fail(out, "option '%.*s' takes no value", (int)len, arg);
	/* An option of the suite this plugin does not take (another plugin's,
	 * or one it dropped): say so rather than "unknown". */
	for (size_t i = 0; i < sizeof common / sizeof *common; i++)
		if (len > 2 && strlen(common[i].def.name) == len - 2 &&
		    !strncmp(common[i].def.name, arg + 2, len - 2))
			return fail(out, "'%.*s' is not an option of %s (see --help)", (int)len,
				    arg, plugin);
	return fail(out, "unknown or ambiguous option '%.*s' (see --help)", (int)len, arg);
}

/* An unknown short option; one of the suite this plugin does not take
 * (-H to check_eas_autodiscover) is named as such, as unknown_long does. */
static int unknown_short(struct eas_output *out, int key, const char *plugin)
{
	for (size_t i = 0; i < NCOMMON; i++)
		if (key && common[i].short_key == key)
			return fail(out, "'-%c' is not an option of %s (see --help)", key, plugin);
	return fail(out, "unknown option '-%c' (see --help)", key);
}

/* argv with --extra-opts sections spliced in front, so the command line
 * overrides the file as the Monitoring Plugins do it. Each option from a
 * file is one word, "--key=value" or a bare "--key", so it can never take
 * the word after it as its value. */
static int merge_extra_opts(const struct eas_plugin *p, int argc, char **argv, struct eas_opts *o,
			    int *nargc, char *err, size_t errlen)
{
	char **extra = NULL, **merged = NULL;
	size_t nextra = 0, nplugin = 0;
	int n = 1, end = argc, rc = 0;

	for (int i = 1; i < argc && !rc; i++) {
		size_t len = strcspn(argv[i], "=");

		if (!strcmp(argv[i], "--")) {
			end = i;
			break;
		}
		/* This runs before getopt, which would take "--extra" as
		 * --extra-opts without the file ever being read. */
		if (len > 2 && len < 12 && !strncmp(argv[i], "--extra-opts", len)) {
			snprintf(err, errlen, "write --extra-opts in full");
			rc = -1;
		} else if (len == 12 && !strncmp(argv[i], "--extra-opts", 12)) {
			rc = eas_extraopts_load(argv[i][12] ? argv[i] + 13 : NULL, p->name, &extra,
						&nextra, o->extra_origin, sizeof o->extra_origin,
						err, errlen);
		}
	}
	/* A bare "--key" for an option that needs a value (or that the key
	 * abbreviates) would make getopt take the next word as the value. */
	for (const struct eas_optdecl *d = p->opts; d && d->name; d++)
		nplugin++;
	for (size_t j = 0; j < nextra && !rc; j++) {
		const char *name = extra[j] + 2;
		size_t len = strlen(name);
		bool abbrev_needs = false;
		int exact = -1;

		if (strchr(name, '='))
			continue;
		for (size_t i = 0; i < NCOMMON + nplugin; i++) {
			const char *dname =
				i < NCOMMON ? common[i].def.name : p->opts[i - NCOMMON].name;
			int has_arg = i < NCOMMON ? common[i].def.has_arg
						  : p->opts[i - NCOMMON].kind != EAS_OPT_FLAG;

			if ((i < NCOMMON && !accepted(p, &common[i])) || strncmp(dname, name, len))
				continue;
			if (!dname[len])
				exact = has_arg;
			else if (has_arg == 1)
				abbrev_needs = true;
		}
		if (exact == 1 || (exact < 0 && abbrev_needs)) {
			snprintf(
				err, errlen,
				"--extra-opts: key '%.60s' needs a value (write %.60s=VALUE), in %.300s",
				name, name, o->extra_origin);
			rc = -1;
		}
	}
	if (!rc) {
		merged = calloc((size_t)argc + nextra + 1, sizeof *merged);
		if (!merged) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
		}
	}
	if (rc) {
		/* the strings may hold passwords */
		for (size_t j = 0; j < nextra; j++) {
			explicit_bzero(extra[j], strlen(extra[j]));
			free(extra[j]);
		}
		free(extra);
		return -1;
	}
	merged[0] = argv[0];
	for (size_t j = 0; j < nextra; j++)
		merged[n++] = extra[j];
	for (int i = 1; i < argc; i++) {
		if (i < end && !strncmp(argv[i], "--extra-opts", 12) &&
		    (argv[i][12] == 0 || argv[i][12] == '='))
			continue;
		merged[n++] = argv[i];
	}
	o->owned = extra;
	o->nowned = nextra;
	o->argv = merged;
	*nargc = n;
	return 0;
}

/* SECONDS[:STATE], read whole: a cut would lose the state. The value is
 * refused, not cut, beyond what any sane spelling needs. */
#define TIMEOUT_TEXT_MAX 256

static int parse_timeout(const char *arg, struct eas_opts *o, char *err, size_t errlen)
{
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);
	char buf[TIMEOUT_TEXT_MAX + 1];

	if (strlen(arg) > TIMEOUT_TEXT_MAX) {
		snprintf(err, errlen,
			 "invalid value: longer than %d characters (write SECONDS[:STATE])",
			 TIMEOUT_TEXT_MAX);
		return -1;
	}
	memcpy(buf, arg, n);
	buf[n] = 0;
	if (colon && eas_state_parse(colon + 1, &o->timeout_state)) {
		snprintf(
			err, errlen,
			"invalid value '%s': the state after ':' is OK, WARNING, CRITICAL or UNKNOWN",
			arg);
		return -1;
	}
	if (eas_parse_double(buf, 0.1, 3600, &o->timeout)) {
		snprintf(err, errlen, "invalid value '%s' (SECONDS from 0.1 to 3600[:STATE])", buf);
		return -1;
	}
	o->timeout_given = true;
	return 0;
}

static int parse_tls_min(const char *arg, long *out)
{
	static const char *const names[] = { "1.0", "1.1", "1.2", "1.3" };

	for (int i = 0; i < 4; i++)
		if (!strcmp(arg, names[i]) ||
		    (!strncmp(arg, "TLSv", 4) && !strcmp(arg + 4, names[i]))) {
			*out = 10 + i;
			return 0;
		}
	return -1;
}

static bool is_address(const char *s)
{
	return eas_text_ip(s, NULL, 0);
}

/* Letters, digits, '-', '_' and dots: what a DNS name may hold. */
static bool is_hostname(const char *s)
{
	size_t n = strlen(s);

	return n && n < 254 && s[0] != '.' && s[0] != '-' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == n;
}

/* -H takes a host name; say what to write for the usual mistakes. */
static int check_hostname(const char *arg, char *err, size_t errlen)
{
	const char *colon = strrchr(arg, ':');

	if (strstr(arg, "://")) {
		snprintf(err, errlen, "'%s' is a URL: write -U %s, or -H with the host name alone",
			 arg, arg);
		return -1;
	}
	if (strchr(arg, '/')) {
		snprintf(err, errlen, "'%s' has a path: write -H with the host name and -u /path",
			 arg);
		return -1;
	}
	/* host:443 or [::1]:443, not a bare IPv6 address */
	if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
	    (strchr(arg, ':') == colon || arg[0] == '[')) {
		snprintf(err, errlen, "'%s' has a port: write -H %.*s -p %s", arg,
			 (int)(colon - arg), arg, colon + 1);
		return -1;
	}
	if (!*arg || strspn(arg, " \t") == strlen(arg)) {
		snprintf(err, errlen, "empty host name");
		return -1;
	}
	return 0;
}

/* A value sent as is in a form body (client ID, scopes): printable
 * ASCII without the form's separators, and blanks only where allowed. */
static bool form_safe(const char *s, bool blanks)
{
	for (; *s; s++)
		if (*s < (blanks ? ' ' : '!') || *s > '~' || strchr("&=%+\"\\#", *s))
			return false;
	return true;
}

/* Apply one common option. Returns 0, or -1 with a message in err. */
static int apply_common(int key, const char *arg, struct eas_opts *o, char *err, size_t errlen)
{
	switch (key) {
	case 'H':
		if (check_hostname(arg, err, errlen))
			return -1;
		o->hostname = arg;
		break;
	case 'I':
		/* Nagios passes $HOSTADDRESS$, which may be empty or a name. */
		if (!*arg)
			break;
		if (!is_address(arg) && !is_hostname(arg)) {
			snprintf(
				err, errlen,
				"'%s' is neither an IP address nor a host name (-I takes where to connect)",
				arg);
			return -1;
		}
		if (is_address(arg))
			o->ip = arg;
		else
			o->ip_name = arg;
		break;
	case '4': o->ip_version = 4; break;
	case '6': o->ip_version = 6; break;
	case K_PROXY:
		if (!strstr(arg, "://"))
			goto bad;
		o->proxy = arg;
		break;
	case K_NOPROXY: o->noproxy = true; break;
	case K_RESOLVE:
	case K_CONNECT_TO: {
		const char **list = key == K_RESOLVE ? o->resolve : o->connect_to;
		size_t *n = key == K_RESOLVE ? &o->nresolve : &o->nconnect_to;
		int colons = 0;

		for (const char *c = arg; *c; c++)
			colons += *c == ':';
		/* Addresses may be IPv6 in brackets: count loosely, libcurl
		 * judges the rest. */
		if (*n == EAS_MAX_MAPS || colons < (key == K_RESOLVE ? 2 : 3) ||
		    strpbrk(arg, " \t,"))
			goto bad;
		list[(*n)++] = arg;
		break;
	}
	case K_DNS_SERVER: o->dns_server = arg; break;
	case K_TLS_MAX:
		if (parse_tls_min(arg, &o->tls_max))
			goto bad;
		break;
	case 'p':
		if (eas_parse_long(arg, 1, 65535, &o->port))
			goto bad;
		break;
	case K_SNI: o->sni = arg; break;
	case 'u':
		if (arg[0] != '/')
			goto bad;
		o->url_path = arg;
		break;
	case 'U': {
		const char *auth = arg + strcspn(arg, ":") + 3, *end;

		if (strncmp(arg, "https://", 8) && strncmp(arg, "http://", 7))
			goto bad;
		/* user:password@ in the URL would bypass every rule for
		 * secrets: the plaintext check, masking, argv wiping. */
		end = auth + strcspn(auth, "/?#");
		if (memchr(auth, '@', (size_t)(end - auth))) {
			snprintf(
				err, errlen,
				"credentials in the URL are not accepted: use --user with --password-file, EAS_PASSWORD or --extra-opts");
			return -1;
		}
		o->url = arg;
		break;
	}
	case K_AUTODISCOVER:
		if (!eas_mailaddr_ok(arg)) {
			snprintf(err, errlen, "'%.200s' is not an e-mail address", arg);
			return -1;
		}
		o->autodiscover = arg;
		break;
	case K_CA_FILE: o->ca_file = arg; break;
	case K_CA_PATH: o->ca_path = arg; break;
	case 'k': o->insecure = true; break;
	case K_TLS_MIN:
		if (parse_tls_min(arg, &o->tls_min))
			goto bad;
		break;
	case K_USER: o->user = arg; break;
	case K_PASSWORD: o->password = arg; break;
	case K_PASSWORD_FILE: o->password_file = arg; break;
	case K_PASSWORD_ENV: o->password_env = arg; break;
	case K_PLAINTEXT: o->allow_plaintext = true; break;
	case K_TRUST_DOMAIN: {
		struct eas_credrule r;

		eas_credrule_init(&r, true, false);
		if (eas_credrule_trust(&r, arg, err, errlen))
			return -1;
		if (o->ntrust_domain == EAS_MAX_TRUST) {
			snprintf(err, errlen, "at most %d trusted domains", EAS_MAX_TRUST);
			return -1;
		}
		o->trust_domain[o->ntrust_domain++] = arg;
		break;
	}
	case K_CERT: o->cert = arg; break;
	case K_KEY: o->key = arg; break;
	case K_KEY_PASS: o->key_password_file = arg; break;
	case K_CERT_PASS: o->cert_password_file = arg; break;
	case K_BEARER_FILE: o->bearer_token_file = arg; break;
	case K_OAUTH_CACHE: o->oauth_token_cache = arg; break;
	case K_OAUTH_CLIENT:
		/* It goes into a form body: printable, no separators. */
		if (!*arg || strlen(arg) > 200 || !form_safe(arg, false))
			goto bad;
		o->oauth_client_id = arg;
		break;
	case K_OAUTH_TENANT:
		/* It goes into a URL path: a GUID or a domain name. */
		if (!*arg || strlen(arg) > 253 ||
		    strspn(arg,
			   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") !=
			    strlen(arg))
			goto bad;
		o->oauth_tenant = arg;
		break;
	case K_OAUTH_URL:
		/* A refresh token goes there: https only. */
		if (strncasecmp(arg, "https://", 8) || strlen(arg) > 1000 || strpbrk(arg, " \t@"))
			goto bad;
		o->oauth_token_url = arg;
		break;
	case K_OAUTH_SCOPE:
		if (!*arg || strlen(arg) > 1000 || !form_safe(arg, true))
			goto bad;
		o->oauth_scope = arg;
		break;
	case K_OAUTH_GRANT:
		if (!strcmp(arg, "password"))
			o->oauth_grant_password = true;
		else if (strcmp(arg, "refresh_token"))
			goto bad;
		o->oauth_grant_given = true;
		break;
	case K_OAUTH_ROT_WARN:
		if (eas_parse_long(arg, 0, 3650, &o->oauth_rotation_warn))
			goto bad;
		o->oauth_rotation_warn_given = true;
		break;
	case K_STATE_DIR:
		if (!*arg)
			goto bad;
		o->state_dir = arg;
		break;
	case 't': return parse_timeout(arg, o, err, errlen);
	case 'w': o->warn = arg; break;
	case 'c': o->crit = arg; break;
	case K_FORMAT:
		if (eas_format_parse(arg, &o->format))
			goto bad;
		break;
	case 'v': o->verbose++; break;
	}
	return 0;
bad:
	snprintf(err, errlen, "invalid value '%s'", arg);
	return -1;
}

static const char *key_name(const struct eas_plugin *p, int key)
{
	for (size_t i = 0; i < NCOMMON; i++)
		if (common[i].def.key == key)
			return common[i].def.name;
	if (key >= PLUGIN_KEY(0) && key < 1000)
		return p->opts[key - PLUGIN_KEY(0)].name;
	return "?";
}

/* A secret given on the command line (--password, --proxy with its
 * user:password) is copied, and wiped from argv as curl does, so that ps
 * and /proc show it only for the first instant. */
static int hide(const char **value, char **copy, int argc, char **argv)
{
	for (int i = 1; i < argc && *value; i++) {
		size_t len = strlen(argv[i]);

		if (*value < argv[i] || *value > argv[i] + len)
			continue;
		*copy = strdup(*value);
		if (!*copy)
			return -1;
		memset((char *)*value, '*', strlen(*value));
		*value = *copy;
		break;
	}
	return 0;
}

/* --output-format json (or openmetrics) anywhere in argv (spelled in full,
 * the value joined or the next word): an error in any option, even one
 * before it, is then reported in that format, since a program reads this
 * output. */
static enum eas_format asked_format(int argc, char *const *argv, enum eas_format f)
{
	for (int i = 1; i < argc && argv[i]; i++) {
		const char *v = NULL;

		if (!strcmp(argv[i], "--"))
			break;
		if (!strncmp(argv[i], "--output-format=", 16))
			v = argv[i] + 16;
		else if (!strcmp(argv[i], "--output-format") && i + 1 < argc)
			v = argv[i + 1];
		if (v)
			eas_format_parse(v, &f);
	}
	return f;
}

/* The token options make one of two sources, each complete. */
static int token_options(const struct eas_plugin *p, struct eas_opts *o, char *err, size_t errlen)
{
	bool flow = o->oauth_client_id || o->oauth_tenant || o->oauth_token_url || o->oauth_scope ||
		    o->oauth_grant_given || o->oauth_rotation_warn_given;

	if (o->bearer_token_file && (flow || o->oauth_token_cache))
		snprintf(
			err, errlen,
			"--bearer-token-file or --oauth-token-cache: one source of the bearer token");
	else if (flow && !o->oauth_token_cache)
		snprintf(err, errlen, "the --oauth-* options need --oauth-token-cache");
	else if (o->oauth_token_cache && !o->oauth_client_id)
		snprintf(err, errlen, "--oauth-token-cache needs --oauth-client-id");
	else if (o->oauth_token_cache && !o->oauth_tenant == !o->oauth_token_url)
		snprintf(
			err, errlen,
			"--oauth-token-cache needs the token endpoint: --oauth-tenant or --oauth-token-url (one of them)");
	else if (o->oauth_grant_password && !o->user)
		snprintf(err, errlen, "--oauth-grant password needs --user and its password");
	else if ((o->bearer_token_file || (o->oauth_token_cache && !o->oauth_grant_password)) &&
		 (o->password || o->password_file) && !p->token_and_password)
		snprintf(err, errlen,
			 "a bearer token or a password: a check authenticates with one of them");
	else
		return 0;
	return -1;
}

static int parse(const struct eas_plugin *p, int argc, char **argv, struct eas_opts *o,
		 struct eas_output *out)
{
	struct option longopts[NCOMMON + EAS_OPTDECL_MAX + 1];
	bool seen[EAS_OPTDECL_MAX] = { false };
	char shortopts[128] = ":", err[512] = "";
	size_t nl = 0, ns = 1;
	int nargc, c, idx;
	bool version = false;

	memset(o, 0, sizeof *o);
	o->port = 443;
	o->url_path = "/Microsoft-Server-ActiveSync";
	o->timeout = 10;
	o->timeout_state = EAS_UNKNOWN;
	o->oauth_rotation_warn = 60;
	o->warn = p->default_warn;
	o->crit = p->default_crit;
	/* seen[] and the keys hold EAS_OPTDECL_MAX rows. */
	for (size_t i = 0; p->opts && p->opts[i].name; i++)
		if (i == EAS_OPTDECL_MAX)
			return fail(out, "%s declares more than %d options: a bug in check-eas",
				    p->name, EAS_OPTDECL_MAX);

	for (size_t i = 0; i < NCOMMON; i++) {
		const struct common_def *cd = &common[i];

		if (!accepted(p, cd))
			continue;
		longopts[nl++] =
			(struct option){ cd->def.name, cd->def.has_arg, NULL, cd->def.key };
		if (cd->short_key) {
			shortopts[ns++] = (char)cd->short_key;
			if (cd->def.has_arg)
				shortopts[ns++] = ':';
		}
	}
	for (size_t i = 0; p->opts && p->opts[i].name; i++)
		longopts[nl++] = (struct option){ p->opts[i].name, p->opts[i].kind != EAS_OPT_FLAG,
						  NULL, PLUGIN_KEY(i) };
	longopts[nl] = (struct option){ 0 };
	shortopts[ns] = 0;

	eas_out_set_format(out, asked_format(argc, argv, EAS_FMT_TEXT));
	if (merge_extra_opts(p, argc, argv, o, &nargc, err, sizeof err))
		return fail(out, "%s", err);
	/* The ini file's words come first: the command line wins. */
	eas_out_set_format(out, asked_format(nargc, o->argv, EAS_FMT_TEXT));

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(nargc, o->argv, shortopts, longopts, &idx)) != -1) {
		const char *bad = o->argv[optind - 1];
		/* An option from an ini file: say which file, section and key. */
		bool ini = optind - 1 >= 1 && (size_t)(optind - 1) <= o->nowned;

		if (c == '?' && ini)
			return fail(out, "key '%.*s' is not an option of %s (see --help), in %s",
				    (int)strcspn(bad + 2, "="), bad + 2, p->name, o->extra_origin);
		if (c == '?')
			return !strncmp(bad, "--", 2) ? unknown_long(out, bad, longopts, p->name)
						      : unknown_short(out, optopt, p->name);
		if (c == ':')
			return fail(out, "option '%s' needs a value", bad);
		if (c == 'h') {
			print_help(p);
			return EAS_OK;
		}
		if (c == 'V') {
			version = true; /* after the loop: -V -v counts the -v */
			continue;
		}
		if (c == K_EXTRA)
			continue; /* already merged */
		if (c == K_FORMAT && !apply_common(c, optarg, o, err, sizeof err)) {
			eas_out_set_format(out, o->format); /* abbreviated spellings */
			continue;
		}
		if (c >= PLUGIN_KEY(0) && c < 1000) {
			int rc = eas_optdecl_apply(&p->opts[c - PLUGIN_KEY(0)], p->ctx, optarg, err,
						   sizeof err);

			seen[c - PLUGIN_KEY(0)] = true;
			if (rc == -2) /* a whole sentence, quoting no value */
				return ini ? fail(out, "%s, in %s", err, o->extra_origin)
					   : fail(out, "%s", err);
			if (!rc)
				continue;
		} else if (!apply_common(c, optarg, o, err, sizeof err)) {
			continue;
		}
		/* The value may be a secret: not even the reason, which may
		 * quote it. */
		if (ini)
			return fail(
				out,
				"key '%s' has a value that option does not take (see --help), in %s",
				key_name(p, c), o->extra_origin);
		return fail(out, "--%s: %s", key_name(p, c), err);
	}
	if (version) {
		print_version(p, o->verbose);
		return EAS_OK;
	}
	if (optind < nargc)
		return fail(out, "unexpected argument '%s' (see --help)", o->argv[optind]);
	if (!p->raw_thresholds) {
		const char *bad = NULL;

		if (eas_thresholds_parse(o->warn, o->crit, &o->th, &bad))
			return fail(
				out,
				"invalid threshold range '%s' (expected e.g. 10, 10:, ~:10, 10:20, @10:20)",
				bad);
	}
	if (o->autodiscover && (o->hostname || o->url || o->ip || o->ip_name || o->sni))
		return fail(out, "--autodiscover finds the server: no -H, -U, -I or --sni with it");
	if ((p->groups & EAS_OPTG_SERVER) && !p->target_optional && !o->hostname && !o->url &&
	    !o->autodiscover)
		return fail(out, "no server given: use -H HOST%s",
			    !(p->groups & EAS_OPTG_HTTP) ? ""
			    : p->discover                ? ", -U URL or --autodiscover ADDRESS"
							 : " or -U URL");
	if (token_options(p, o, err, sizeof err))
		return fail(out, "%s", err);
	if (eas_optdecl_needed(p->opts, seen, err, sizeof err) ||
	    (p->validate && p->validate(p->ctx, o, err, sizeof err)))
		return fail(out, "%s", err);
	if (hide(&o->password, &o->password_copy, argc, argv) ||
	    hide(&o->proxy, &o->proxy_copy, argc, argv))
		return fail(out, "out of memory");
	out->verbose = o->verbose;
	eas_out_set_format(out, o->format);
	eas_out_set_target(out, o->hostname, o->port, o->url ? o->url : o->autodiscover);
	return -1;
}

int eas_opts_parse(const struct eas_plugin *p, int argc, char **argv, struct eas_opts *o,
		   struct eas_output *out)
{
	int rc;

	/* A usage error's whole sentence is long output when the first
	 * line cannot hold it: -v on the command line shows it even when
	 * the error stops the parse before -v is reached. */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
			out->verbose = 1;
	rc = parse(p, argc, argv, o, out);

	if (rc >= 0)
		eas_opts_free(o);
	return rc;
}

void eas_opts_free(struct eas_opts *o)
{
	for (size_t i = 0; i < o->nowned; i++) {
		/* extra-opts strings may hold passwords */
		memset(o->owned[i], 0, strlen(o->owned[i]));
		free(o->owned[i]);
	}
	free(o->owned);
	free(o->argv);
	if (o->password_copy)
		OPENSSL_cleanse(o->password_copy, strlen(o->password_copy));
	free(o->password_copy);
	o->password_copy = NULL;
	if (o->proxy_copy)
		OPENSSL_cleanse(o->proxy_copy, strlen(o->proxy_copy));
	free(o->proxy_copy);
	o->proxy_copy = NULL;
	o->owned = NULL;
	o->argv = NULL;
	o->nowned = 0;
}
