/* SPDX-License-Identifier: GPL-3.0-or-later */
/* WWW-Authenticate challenges (RFC 9110 11.6.1), the offer's words, the
 * --expect-schemes policy and a refused bearer token in plain words. */
#include <stdio.h>
#include <string.h>

#include "http/challenge.h"
#include "http/httpclass.h"
#include "tap.h"

/* Exchange Online's 401, its lines joined as the capture joins them. */
#define EXO_BEARER                                                                          \
	"Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\", "                       \
	"trusted_issuers=\"00000001-0000-0000-c000-000000000000@*\", "                      \
	"token_types=\"app_asserted_user_v1 service_asserted_app_v1\", "                    \
	"authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", " \
	"error=\"invalid_token\""
#define EXO "Negotiate, NTLM, Basic realm=\"mail.example.com\", " EXO_BEARER

static const char *param(const struct eas_challenges *cs, const char *scheme, const char *name)
{
	const char *v = eas_challenge_param(eas_challenge_find(cs, scheme), name);

	return v ? v : "(none)";
}

static void exchange(struct tap *t)
{
	struct eas_challenges cs;
	char buf[1024];

	int rc = eas_challenge_parse(EXO, &cs);

	TAP_OK(t, rc == 0 && cs.n == 4, "Exchange: four challenges (%zu)", cs.n);
	TAP_OK(t,
	       !strcmp(cs.c[0].scheme, "Negotiate") && !strcmp(cs.c[1].scheme, "NTLM") &&
		       !strcmp(cs.c[2].scheme, "Basic") && !strcmp(cs.c[3].scheme, "Bearer"),
	       "...in order, as sent");
	TAP_OK(t, cs.c[0].nparams == 0 && !cs.c[0].token68[0], "Negotiate alone");
	TAP_OK(t, !strcmp(param(&cs, "basic", "REALM"), "mail.example.com"),
	       "Basic's realm (names case-insensitive)");
	TAP_OK(t, cs.c[3].nparams == 5, "Bearer's five parameters (%zu)", cs.c[3].nparams);
	TAP_OK(t,
	       !strcmp(param(&cs, "Bearer", "authorization_uri"),
		       "https://login.microsoftonline.com/common/oauth2/authorize"),
	       "authorization_uri");
	TAP_OK(t,
	       !strcmp(param(&cs, "Bearer", "trusted_issuers"),
		       "00000001-0000-0000-c000-000000000000@*"),
	       "trusted_issuers");
	TAP_OK(t,
	       !strcmp(param(&cs, "Bearer", "token_types"),
		       "app_asserted_user_v1 service_asserted_app_v1"),
	       "a quoted value with a blank");
	TAP_OK(t, !cs.malformed && !cs.dropped, "nothing skipped");
	eas_challenge_offer(&cs, buf, sizeof buf);
	TAP_OK(t, !strcmp(buf, "offers Negotiate, NTLM, Basic, Bearer"), "offer: '%s'", buf);
	eas_challenge_describe(&cs.c[2], buf, sizeof buf);
	TAP_OK(t, !strcmp(buf, "Basic: realm=mail.example.com"), "describe Basic: '%s'", buf);
	eas_challenge_describe(&cs.c[1], buf, sizeof buf);
	TAP_OK(t, !strcmp(buf, "NTLM"), "describe NTLM: '%s'", buf);
	eas_challenge_describe(&cs.c[3], buf, sizeof buf);
	TAP_OK(t,
	       strstr(buf,
		      "Bearer: client_id=00000002-0000-0ff1-ce00-000000000000, trusted_issuers=") ==
		       buf,
	       "describe Bearer: '%s'", buf);
}

static void forms(struct tap *t)
{
	struct eas_challenges cs;
	char buf[256];

	eas_challenge_parse("Bearer realm=\"eas\", error=\"invalid_token\", "
			    "error_description=\"token \\\"x\\\" is not active\"",
			    &cs);
	TAP_OK(t, cs.n == 1 && cs.c[0].nparams == 3,
	       "mod_oauth2's Bearer: one challenge, 3 params");
	TAP_OK(t, !strcmp(param(&cs, "Bearer", "error_description"), "token \"x\" is not active"),
	       "quoted-pair escapes undone: '%s'", param(&cs, "Bearer", "error_description"));
	eas_challenge_parse("Negotiate YII=, Basic realm=x", &cs);
	TAP_OK(t, cs.n == 2 && !strcmp(cs.c[0].token68, "YII="), "token68: '%s'", cs.c[0].token68);
	TAP_OK(t, !strcmp(param(&cs, "Basic", "realm"), "x"), "an unquoted token value");
	eas_challenge_parse("Basic realm = \"a,b\" , charset=\"UTF-8\",,Bearer", &cs);
	TAP_OK(t, cs.n == 2 && cs.c[0].nparams == 2 && !strcmp(param(&cs, "Basic", "realm"), "a,b"),
	       "blanks around '=', a comma in quotes, an empty element");
	eas_challenge_parse("bearer authorization_uri=https://login.example/authorize", &cs);
	TAP_OK(t,
	       !strcmp(param(&cs, "Bearer", "authorization_uri"),
		       "https://login.example/authorize"),
	       "tolerated: a URL unquoted");
	TAP_OK(t, eas_challenge_parse("", &cs) == -1 && cs.n == 0, "empty: none");
	TAP_OK(t, eas_challenge_parse(NULL, &cs) == -1, "NULL: none");
	TAP_OK(t, eas_challenge_parse("\"x\", =y, @@@", &cs) == -1 && cs.malformed,
	       "garbage: none, malformed");
	eas_challenge_parse("Basic realm=\"unterminated", &cs);
	TAP_OK(t, cs.n == 1 && cs.malformed, "an unterminated quote: the scheme kept, malformed");
	eas_challenge_parse("A, B, C, D, E, F, G, H, I, J", &cs);
	TAP_OK(t, cs.n == EAS_CHALLENGE_MAX && cs.dropped, "bounded: %d challenges kept",
	       EAS_CHALLENGE_MAX);
	eas_challenge_parse("X a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8, i=9, j=10, Y", &cs);
	TAP_OK(t, cs.n == 2 && cs.c[0].nparams == EAS_CHALLENGE_PARAMS && cs.dropped,
	       "bounded: %d parameters kept, the next challenge still read", EAS_CHALLENGE_PARAMS);
	eas_challenge_parse("Basic realm=\"a\tb\x01"
			    "c\"",
			    &cs);
	TAP_OK(t, !strcmp(param(&cs, "Basic", "realm"), "a b?c"),
	       "control characters cleaned: '%s'", param(&cs, "Basic", "realm"));
	eas_challenge_parse("Basic realm=x, basic realm=y, NTLM", &cs);
	eas_challenge_offer(&cs, buf, sizeof buf);
	TAP_OK(t, !strcmp(buf, "offers Basic, NTLM (Bearer off)"), "each scheme once: '%s'", buf);
	eas_challenge_parse("Negotiate", &cs);
	eas_challenge_offer(&cs, buf, sizeof buf);
	TAP_OK(t, !strcmp(buf, "offers Negotiate (Basic and Bearer off)"), "both off: '%s'", buf);
	eas_challenge_parse("", &cs);
	eas_challenge_offer(&cs, buf, sizeof buf);
	TAP_OK(t, !strcmp(buf, "offers no scheme (Basic and Bearer off)"), "nothing: '%s'", buf);
	eas_challenge_offer(&cs, buf, 8);
	TAP_OK(t, strlen(buf) == 7, "a small buffer: cut, terminated");
}

static void policy(struct tap *t)
{
	struct eas_challenges cs;
	char buf[512];

	TAP_OK(t, eas_scheme_policy_valid("Bearer,!Basic"), "Bearer,!Basic valid");
	TAP_OK(t, eas_scheme_policy_valid(" Bearer , ! Basic"), "...with blanks");
	TAP_OK(t, !eas_scheme_policy_valid(""), "empty refused");
	TAP_OK(t, !eas_scheme_policy_valid("Bearer,"), "a trailing comma refused");
	TAP_OK(t, !eas_scheme_policy_valid("Bea rer"), "a blank in a name refused");
	TAP_OK(t, !eas_scheme_policy_valid("!"), "a lone ! refused");
	TAP_OK(t, !eas_scheme_policy_valid("a,b,c,d,e,f,g,h,i"), "more than %d refused",
	       EAS_CHALLENGE_MAX);
	TAP_OK(t, eas_scheme_policy_names("Negotiate,!bearer", "Bearer"), "names Bearer");
	TAP_OK(t, !eas_scheme_policy_names("Negotiate,!Basic", "Bearer"), "does not name Bearer");
	eas_challenge_parse(EXO, &cs);
	TAP_OK(t,
	       eas_scheme_policy_check("Bearer,!Basic", &cs, buf, sizeof buf) == 1 &&
		       !strcmp(buf, "Basic is offered, the policy says it must be off"),
	       "Exchange with Basic on: '%s'", buf);
	eas_challenge_parse("Bearer, Negotiate", &cs);
	TAP_OK(t, eas_scheme_policy_check("bearer,!basic", &cs, buf, sizeof buf) == 0 && !*buf,
	       "modern auth only: the policy holds");
	eas_challenge_parse("Basic realm=x", &cs);
	TAP_OK(t,
	       eas_scheme_policy_check("Bearer,!Basic", &cs, buf, sizeof buf) == 2 &&
		       !strcmp(buf, "Bearer is not offered, the policy says it must be; Basic is "
				    "offered, the policy says it must be off"),
	       "both broken: '%s'", buf);
}

static void refusal(struct tap *t)
{
	struct eas_challenges cs;
	char buf[400];

	eas_challenge_parse(EXO, &cs);
	TAP_OK(t,
	       eas_bearer_refusal(&cs,
				  "2000003;reason=\"The audience claim value is invalid 'aud'.\";"
				  "error_category=\"invalid_resource\"",
				  buf, sizeof buf) == 0 &&
		       strstr(buf, "the bearer token is for another audience: request it for this "
				   "server's resource") == buf &&
		       strstr(buf, " (X-MS-Diagnostics 2000003 invalid_resource: The audience "
				   "claim value is invalid 'aud'.)"),
	       "audience: '%s'", buf);
	TAP_OK(t,
	       eas_bearer_refusal(
		       &cs,
		       "2000008;reason=\"The token has expired\";error_category=\"invalid_token\"",
		       buf, sizeof buf) == 0 &&
		       strstr(buf, "the bearer token has expired: the token source must "
				   "renew it") == buf &&
		       strstr(buf, " (X-MS-Diagnostics 2000008 invalid_token: The token has "
				   "expired)"),
	       "expired: '%s'", buf);
	TAP_OK(t,
	       eas_bearer_refusal(
		       &cs,
		       "2000004;reason=\"The tenant for tenant guid 'contoso.com' does not "
		       "exist.\";error_category=\"invalid_tenant\"",
		       buf, sizeof buf) == 0 &&
		       strstr(buf, "the bearer token's tenant is unknown here") == buf,
	       "tenant: '%s'", buf);
	TAP_OK(t,
	       eas_bearer_refusal(&cs, NULL, buf, sizeof buf) == 0 &&
		       strstr(buf, "the server refused the bearer token: it was revoked") == buf &&
		       strstr(buf, " (error=invalid_token)"),
	       "error=invalid_token alone: '%s'", buf);
	eas_challenge_parse("Bearer error=\"invalid_token\", error_description=\"The access token "
			    "expired\"",
			    &cs);
	TAP_OK(t,
	       eas_bearer_refusal(&cs, NULL, buf, sizeof buf) == 0 &&
		       strstr(buf, "the bearer token has expired: ") == buf &&
		       strstr(buf, " (error=invalid_token: The access token expired)"),
	       "RFC 6750's expired token: '%s'", buf);
	eas_challenge_parse("Bearer error=\"invalid_token\", error_description=\"The token is not "
			    "for this resource (audience or issuer).\"",
			    &cs);
	TAP_OK(t,
	       eas_bearer_refusal(&cs, NULL, buf, sizeof buf) == 0 &&
		       strstr(buf, "the bearer token is for another audience: ") == buf,
	       "mod_oauth2's audience words: '%s'", buf);
	eas_challenge_parse("Bearer error=\"insufficient_scope\", scope=\"EAS.AccessAsUser.All\"",
			    &cs);
	TAP_OK(t,
	       eas_bearer_refusal(&cs, NULL, buf, sizeof buf) == 0 &&
		       strstr(buf, "lacks the permission needed") &&
		       strstr(buf, "EAS.AccessAsUser.All"),
	       "insufficient_scope: '%s'", buf);
	eas_challenge_parse("Bearer realm=\"x\", Basic realm=\"y\"", &cs);
	TAP_OK(t, eas_bearer_refusal(&cs, NULL, buf, sizeof buf) == -1 && !*buf,
	       "a challenge without error: nothing to say");
	TAP_OK(t,
	       eas_bearer_refusal(&cs, "9999999;reason=\"Something else\"", buf, sizeof buf) == 0 &&
		       !strcmp(buf, "the server refused the bearer token: obtain a new one "
				    "(X-MS-Diagnostics 9999999: Something else)"),
	       "an unknown diagnostic: named as sent: '%s'", buf);
}

/* The one home of "server offers": the 401's sentence names the schemes
 * and, for a refused token, the reason. */
static void diagnose(struct tap *t)
{
	struct eas_response res = { 0 };
	struct eas_http_diag d;

	res.status = 401;
	res.token_offered = true; /* the request carried one */
	res.hdr[EAS_HDR_WWW_AUTHENTICATE] =
		(char *)"Negotiate, NTLM, Bearer authorization_uri=\"u\"";
	eas_http_diagnose(&res, &d);
	TAP_OK(t, strstr(d.meaning, "; server offers Negotiate, NTLM, Bearer") != NULL,
	       "401: the schemes: '%s'", d.meaning);
	res.hdr[EAS_HDR_WWW_AUTHENTICATE] = (char *)EXO;
	res.hdr[EAS_HDR_MS_DIAGNOSTICS] =
		(char *)"2000008;reason=\"The token has expired\";error_category=\"invalid_token\"";
	eas_http_diagnose(&res, &d);
	TAP_OK(t,
	       d.cls == EAS_HC_AUTH_REQUIRED &&
		       strstr(d.meaning, "HTTP 401: the bearer token has expired") == d.meaning,
	       "401 to a token: the reason first: '%s'", d.meaning);
	res.token_offered = false; /* mod_oauth2 says error= to anyone */
	eas_http_diagnose(&res, &d);
	TAP_OK(t, !strstr(d.meaning, "the token source must renew"),
	       "401 to a request without a token: no advice on a token: '%s'", d.meaning);
}

int main(void)
{
	struct tap t = { 0 };

	exchange(&t);
	forms(&t);
	policy(&t);
	refusal(&t);
	diagnose(&t);
	return tap_done(&t);
}
