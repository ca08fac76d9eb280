/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one option parser every plugin uses: the common options below, plus a
 * plugin's own table, plus --extra-opts (Monitoring Plugins ini files) so
 * that nothing secret ever has to sit on a command line. */
#ifndef EAS_OPTIONS_H
#define EAS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/optdecl.h"
#include "out/output.h"
#include "util/range.h"
#include "util/state.h"

/* Option groups a plugin accepts on top of the always-present ones
 * (-t -w -c -v -V -h --output-format --extra-opts). --help, the usage line
 * and the parser all read them: a plugin is shown what it takes. */
enum {
	EAS_OPTG_SERVER = 1 << 0, /* -H -I -p --sni: the one server to check */
	EAS_OPTG_HTTP = 1 << 1,   /* -u -U */
	EAS_OPTG_TLS = 1 << 2,    /* --ca-file --ca-path -k --tls-min --tls-max */
	EAS_OPTG_BASIC = 1 << 3,  /* --user and the password sources */
	EAS_OPTG_CLIENT = 1 << 4, /* --cert --key and their passwords */
	EAS_OPTG_STATE = 1 << 5,  /* --state-dir */
	/* -4 -6 --proxy --noproxy --resolve --connect-to --dns-server: how to
	 * reach any host, also hosts found on the way (Autodiscover) */
	EAS_OPTG_NET = 1 << 6,
	EAS_OPTG_TARGET = EAS_OPTG_SERVER | EAS_OPTG_NET,
	EAS_OPTG_TOKEN = 1 << 7, /* --bearer-token-file, --oauth-* (a bearer token) */
};

#define EAS_OAUTH_DEFAULT_SCOPE "offline_access https://outlook.office.com/.default"

#define EAS_MAX_MAPS 16  /* --resolve, --connect-to */
#define EAS_MAX_TRUST 14 /* --trust-domain (credrule keeps two for its own) */

struct eas_opts {
	/* target */
	const char *hostname, *ip, *sni, *url, *url_path;
	const char *ip_name; /* -I given a name: connect there */
	long port;
	int ip_version;    /* 0 any, 4, 6 */
	const char *proxy; /* --proxy */
	bool noproxy;
	const char *resolve[EAS_MAX_MAPS + 1];    /* --resolve, NULL-ended */
	const char *connect_to[EAS_MAX_MAPS + 1]; /* --connect-to, NULL-ended */
	size_t nresolve, nconnect_to;
	const char *dns_server;   /* --dns-server */
	const char *autodiscover; /* --autodiscover ADDRESS */
	/* --trust-domain: where found hosts may get credentials, NULL-ended */
	const char *trust_domain[EAS_MAX_TRUST + 1];
	size_t ntrust_domain;
	/* TLS */
	const char *ca_file, *ca_path;
	bool insecure;
	long tls_min, tls_max; /* 0 (library default) or 10..13 */
	/* run */
	double timeout; /* seconds */
	enum eas_state timeout_state;
	const char *warn, *crit;
	struct eas_thresholds th;
	enum eas_format format;
	int verbose;
	/* basic authentication */
	const char *user, *password, *password_file, *password_env;
	bool allow_plaintext;
	/* client certificate */
	const char *cert, *key, *key_password_file, *cert_password_file;
	/* bearer token: from a file, or refreshed through a token cache */
	const char *bearer_token_file;
	const char *oauth_client_id, *oauth_tenant, *oauth_token_url, *oauth_scope;
	const char *oauth_token_cache;
	/* --oauth-grant password: the user's password goes to the token
	 * endpoint (only there); --oauth-rotation-warn DAYS */
	bool oauth_grant_password, oauth_grant_given, oauth_rotation_warn_given;
	long oauth_rotation_warn;
	bool timeout_given; /* -t was given (check_eas_oauth_setup's default differs) */
	/* state: run locks (NULL: the default directory, see runlock.h) */
	const char *state_dir;
	/* strings read from --extra-opts files, owned here */
	char **owned;
	size_t nowned;
	char **argv;            /* the merged argument vector */
	char *password_copy;    /* --password, moved out of argv */
	char *proxy_copy;       /* --proxy (may hold user:password), likewise */
	char extra_origin[600]; /* "FILE [SECTION]" of --extra-opts */
};

struct eas_check_discovery;

struct eas_plugin {
	const char *name;     /* "check_eas_options" */
	const char *aspect;   /* "OPTIONS" */
	const char *purpose;  /* one sentence for --help */
	const char *examples; /* extra --help text, may be NULL */
	unsigned groups;      /* EAS_OPTG_* */
	const char *default_warn, *default_crit;
	const char *threshold_help; /* what -w/-c apply to */
	bool raw_thresholds;        /* plugin parses -w/-c itself (o->warn/crit) */
	bool target_optional;       /* -H may be absent (validate decides) */
	/* The plugin's own options, filled into ctx; ends with a zero row. */
	const struct eas_optdecl *opts;
	/* Called once after all options; may be NULL. Return 0, or -1 with
	 * err filled for combinations the plugin does not accept. */
	int (*validate)(void *ctx, const struct eas_opts *o, char *err, size_t errlen);
	void *ctx; /* the struct the rows' offsets point into */
	/* --autodiscover: &eas_check_autodiscover (check/check.h) in a plugin
	 * that takes a URL and offers it; NULL: the option is not offered. */
	const struct eas_check_discovery *discover;
	/* A bearer token and a password together: a check that probes each
	 * on its own (check_eas_auth's modern-auth policies). */
	bool token_and_password;
};

/* Parse argv into o. Returns -1 when the plugin should go on, otherwise the
 * exit code after printing help, version or the error (as one UNKNOWN line
 * through out); o is then already released. */
int eas_opts_parse(const struct eas_plugin *p, int argc, char **argv, struct eas_opts *o,
		   struct eas_output *out);
void eas_opts_free(struct eas_opts *o);

/* Whole text as a number from min to max: 0, or -1. */
int eas_parse_long(const char *text, long min, long max, long *out);
int eas_parse_double(const char *text, double min, double max, double *out);

#endif
