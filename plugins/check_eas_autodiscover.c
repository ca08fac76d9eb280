/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_autodiscover: can a device that knows only an e-mail address
 * find the server? Autodiscover as devices do it (the candidates in their
 * order, redirects, the JSON endpoint), with the URL found, the candidate
 * that gave it, the redirects followed and the time a device waits. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "util/mailaddr.h"
#include "autodiscover/autodiscover.h"
#include "http/http.h"
#include "run/run.h"

struct plugin_ctx {
	struct eas_ad_opts d;
	const char *expect;
};

static const char *const methods[] = { "pox", "json", "both", NULL };
static const int method_values[] = { EAS_AD_POX, EAS_AD_JSON, EAS_AD_POX | EAS_AD_JSON };
static const char *const candidates[] = { "1", "2", "3", "4", NULL };
static const int candidate_values[] = { 1, 2, 3, 4 };

#define AT(f) offsetof(struct plugin_ctx, f)
static const struct eas_optdecl plugin_opts[] = {
	{ EAS_OPTROW("address", "ADDRESS", "the e-mail address a device is set up with",
		     EAS_OPT_STRING, AT(d.address)),
	  .valid = eas_mailaddr_ok, .what = "an e-mail address",
	  .need = "the e-mail address to discover for" },
	{ EAS_OPTROW(
		  "method", "pox|json|both",
		  "the mobilesync XML request (default), the JSON endpoint of current clients, or both",
		  EAS_OPT_CHOICE, AT(d.methods)),
	  .words = methods, .values = method_values },
	{ EAS_OPTROW("expect-url", "URL",
		     "CRITICAL unless Autodiscover gives this EAS URL (a stale or hijacked answer)",
		     EAS_OPT_URL, AT(expect)) },
	{ EAS_OPTROW(
		  "candidate", "1-4",
		  "ask only this candidate: 1 https://DOMAIN, 2 https://autodiscover.DOMAIN, 3 the plain-HTTP redirect, 4 the SRV record",
		  EAS_OPT_CHOICE, AT(d.only)),
	  .words = candidates, .values = candidate_values },
	{ EAS_OPTROW(
		  "candidate-timeout", "SECONDS",
		  "give up on one candidate after this long and go on, as a device does (default 5)",
		  EAS_OPT_DOUBLE, AT(d.cand_timeout)),
	  .min = 0.1, .max = 3600, .what = "a number of seconds" },
	{ 0 },
};

static int validate(void *p, const struct eas_opts *o, char *err, size_t errlen)
{
	struct plugin_ctx *ctx = p;

	(void)o; /* -H, -I, -p, --sni are not even offered (groups below) */
	if (ctx->d.only && ctx->d.methods == EAS_AD_JSON) {
		snprintf(err, errlen, "--candidate picks a candidate of the XML method, not JSON");
		return -1;
	}
	return 0;
}

/* One method's finding as a sub-check; returns its state. */
static enum eas_state judge(struct eas_check *chk, const struct plugin_ctx *ctx, const char *name,
			    const struct eas_ad_found *f, bool out_of_time)
{
	struct eas_output *out = &chk->out;
	const char *m = f == &chk->disc->json ? "JSON: " : ""; /* which method */
	enum eas_state s = out_of_time ? chk->o.timeout_state : EAS_CRITICAL;
	char via[160] = "", why[sizeof f->why + 160];

	if (!f->ran)
		return EAS_OK;
	if (!f->found) {
		eas_out_sub(out, name, s, 0, "%s%s%s", m, f->error ? "Autodiscover error: " : "",
			    eas_ad_words(f->why, why, sizeof why));
		return s;
	}
	if (!eas_credrule_is_https(f->url)) {
		eas_out_sub(
			out, name, EAS_CRITICAL, 0,
			"%sAutodiscover gives %s, plain HTTP: devices would send the password unencrypted",
			m, f->url);
		return EAS_CRITICAL;
	}
	if (ctx->expect && strcmp(f->url, ctx->expect)) {
		eas_out_sub(
			out, name, EAS_CRITICAL, 0,
			"%sAutodiscover gives an unexpected URL %s (expected %s): a stale or hijacked answer?",
			m, f->url, ctx->expect);
		return EAS_CRITICAL;
	}
	if (f->nredirects)
		snprintf(via, sizeof via, " after %zu redirect%s", f->nredirects,
			 f->nredirects == 1 ? "" : "s");
	if (*m && chk->disc->pox.found && !strcmp(chk->disc->pox.url, f->url)) {
		/* Both methods agree: the URL once. */
		eas_out_sub(out, name, EAS_OK, 0, "the JSON method gives the same URL%s", via);
		eas_out_detail(out, "%s%s answered from %s", m, eas_ad_cand_text(f->cand), f->from);
		return EAS_OK;
	}
	/* What a device finds and how: the candidate's own URL is in -v. */
	eas_out_sub(out, name, EAS_OK, 0, "%s%s for %s from %s%s", m, f->url,
		    f->answer.email[0] ? f->answer.email : ctx->d.address,
		    eas_ad_cand_text(f->cand), via);
	eas_out_detail(out, "%s%s answered from %s", m, eas_ad_cand_text(f->cand), f->from);
	return EAS_OK;
}

int main(int argc, char **argv)
{
	static struct plugin_ctx ctx = { .d = { .methods = EAS_AD_POX, .cand_timeout = 5 } };
	const struct eas_plugin plugin = {
		.name = "check_eas_autodiscover",
		.aspect = "AUTODISCOVER",
		.purpose =
			"checks that a device that knows only an e-mail address finds the Exchange ActiveSync server through Autodiscover, as devices do it",
		.examples =
			"Candidates, in a device's order: 1 POST https://DOMAIN/autodiscover/autodiscover.xml,\n2 POST https://autodiscover.DOMAIN/..., 3 GET http://autodiscover.DOMAIN/... and its\nredirect to https:// only, 4 the SRV record _autodiscover._tcp.DOMAIN.\n\nExamples:\n"
			"  check_eas_autodiscover --address monitor@example.com --user monitor@example.com --password-file /etc/nagios/eas.pass\n"
			"  check_eas_autodiscover --address monitor@example.com --method json --expect-url https://mail.example.com/Microsoft-Server-ActiveSync\n"
			"  check_eas_autodiscover --extra-opts=eas_autodiscover --dns-server 192.0.2.53 -w 5 -c 15\n"
			"  check_eas_autodiscover --address monitor@example.com --oauth-tenant example.com --oauth-client-id ID --oauth-token-cache /var/lib/nagios/eas/monitor.json\n",
		/* no -H -I -p --sni: Autodiscover finds the servers from the
		 * address (names are mapped with --resolve or --connect-to) */
		.groups = EAS_OPTG_NET | EAS_OPTG_TLS | EAS_OPTG_BASIC | EAS_OPTG_CLIENT |
			  EAS_OPTG_TOKEN,
		.threshold_help = "the time a device waits for the answer, in seconds",
		.opts = plugin_opts,
		.validate = validate,
		.ctx = &ctx,
	};
	struct eas_check chk;
	enum eas_state worst;
	bool again = false;
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	if (rc >= 0 ||
	    (rc = eas_check_creds(&chk, EAS_USE_BASIC | EAS_USE_CERT | EAS_USE_BEARER)) >= 0)
		return rc;
	chk.disc = calloc(1, sizeof *chk.disc);
	if (!chk.disc)
		return eas_check_fail(&chk, EAS_UNKNOWN, "out of memory");
	ctx.d.creds = &chk.creds;
	eas_ad_discover(&chk.run, &ctx.d, chk.disc);
	/* A host challenged for the cached token and refused it: one refresh,
	 * and Autodiscover once more with the new token. */
	if (chk.disc->bearer_refused && (rc = eas_check_token_again(&chk, &again)) >= 0)
		return rc;
	if (again)
		eas_ad_discover(&chk.run, &ctx.d, chk.disc);

	worst = judge(&chk, &ctx, "xml", &chk.disc->pox, chk.disc->out_of_time);
	worst = eas_state_worst(worst,
				judge(&chk, &ctx, "json", &chk.disc->json, chk.disc->out_of_time));
	worst = eas_state_worst(worst, eas_ad_stumbles(&chk.out, chk.disc));
	eas_ad_report(&chk.out, &chk.o.th, chk.disc, ctx.d.address, worst);
	return eas_check_end(&chk);
}
