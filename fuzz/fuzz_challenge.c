/* SPDX-License-Identifier: GPL-3.0-or-later */
/* WWW-Authenticate challenges (common/http/challenge): eas_challenge_parse,
 * eas_challenge_names, eas_challenge_offer, eas_challenge_describe,
 * eas_scheme_policy_valid, eas_scheme_policy_check, eas_bearer_refusal.
 * Input: a policy, a NUL, an X-MS-Diagnostics value, a NUL, the
 * WWW-Authenticate value (the rest).
 * Invariants:
 *  - parse returns 0 exactly when a challenge was kept; at most
 *    EAS_CHALLENGE_MAX challenges and EAS_CHALLENGE_PARAMS parameters each;
 *  - every kept text (scheme, names, values, token68) is NUL-terminated in
 *    its buffer and clean: valid UTF-8 without a control character; a
 *    scheme and a parameter name are non-empty tokens, names lower case;
 *  - each kept scheme is found by eas_challenge_find (maybe an earlier one
 *    of the same name), each parameter by eas_challenge_param;
 *  - a scheme kept appears in the input (case as sent);
 *  - the offer starts "offers ", names each scheme (once, as first
 *    spelt: case-insensitive), says "Basic" and
 *    "Bearer" offered or off, and every text made fits its buffer, clean;
 *  - a valid policy is checked: 0 broken with "" or n > 0 broken with a
 *    sentence; a negated name that is offered, or a name not offered,
 *    breaks it (checked once more here, apart from challenge.c);
 *  - the refusal is 0 with a sentence or -1 with "", and -1 whenever
 *    there is neither an error= in the Bearer challenge nor a diagnostic
 *    code or category. */
#include "fuzz.h"

#include <strings.h>

#include "http/challenge.h"

static bool clean(const char *s, size_t size)
{
	const char *z = memchr(s, 0, size);

	if (!z || !fz_utf8_valid(s, (size_t)(z - s)))
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 32 || *s == 127)
			return false;
	return true;
}

static bool token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("!#$%&'*+-.^_`|~", *s) &&
		    !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return false;
}

/* The policy read once more: each entry, negated or not. */
static int expect_broken(const char *policy, const struct eas_challenges *cs)
{
	char copy[512], *save = NULL;
	int broken = 0;

	snprintf(copy, sizeof copy, "%s", policy);
	for (char *e = strtok_r(copy, ",", &save); e; e = strtok_r(NULL, ",", &save)) {
		bool neg = false;
		size_t n;

		while (*e == ' ' || *e == '\t')
			e++;
		if (*e == '!') {
			neg = true;
			e++;
			while (*e == ' ' || *e == '\t')
				e++;
		}
		n = strlen(e);
		while (n && (e[n - 1] == ' ' || e[n - 1] == '\t'))
			e[--n] = 0;
		if ((eas_challenge_find(cs, e) != NULL) == neg)
			broken++;
	}
	return broken;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	char *policy = fz_str(&f), *diag = fz_str(&f), *www;
	static struct eas_challenges cs;
	char buf[2048], small[24];
	size_t len;
	int rc;

	www = fz_rest(&f, &len);
	rc = eas_challenge_parse(www, &cs);
	FUZZ_ASSERT((rc == 0) == (cs.n > 0) && (rc == 0 || rc == -1), "rc %d with %zu", rc, cs.n);
	FUZZ_ASSERT(cs.n <= EAS_CHALLENGE_MAX, "%zu challenges", cs.n);
	for (size_t i = 0; i < cs.n; i++) {
		const struct eas_challenge *c = &cs.c[i];

		FUZZ_ASSERT(clean(c->scheme, sizeof c->scheme) && token(c->scheme), "scheme '%s'",
			    c->scheme);
		FUZZ_ASSERT(contains_ci(www, c->scheme), "scheme '%s' not in the input", c->scheme);
		FUZZ_ASSERT(eas_challenge_find(&cs, c->scheme) &&
				    !strcasecmp(eas_challenge_find(&cs, c->scheme)->scheme,
						c->scheme),
			    "scheme '%s' not found", c->scheme);
		FUZZ_ASSERT(clean(c->token68, sizeof c->token68), "token68");
		FUZZ_ASSERT(c->nparams <= EAS_CHALLENGE_PARAMS, "%zu params", c->nparams);
		for (size_t j = 0; j < c->nparams; j++) {
			const struct eas_auth_param *p = &c->params[j];

			FUZZ_ASSERT(clean(p->name, sizeof p->name) && token(p->name), "name '%s'",
				    p->name);
			for (const char *q = p->name; *q; q++)
				FUZZ_ASSERT(!(*q >= 'A' && *q <= 'Z'), "name '%s' not lower case",
					    p->name);
			FUZZ_ASSERT(clean(p->value, sizeof p->value), "value of %s", p->name);
			FUZZ_ASSERT(eas_challenge_param(c, p->name) != NULL, "param %s not found",
				    p->name);
		}
		eas_challenge_describe(c, buf, sizeof buf);
		FUZZ_ASSERT(memchr(buf, 0, sizeof buf) &&
				    !strncmp(buf, c->scheme, strlen(c->scheme)),
			    "describe '%s'", buf);
		eas_challenge_describe(c, small, sizeof small);
		FUZZ_ASSERT(memchr(small, 0, sizeof small), "describe in a small buffer");
	}
	eas_challenge_offer(&cs, buf, sizeof buf);
	FUZZ_ASSERT(!strncmp(buf, "offers ", 7), "offer '%s'", buf);
	FUZZ_ASSERT(clean(buf, sizeof buf), "offer not clean");
	for (size_t i = 0; i < cs.n; i++)
		FUZZ_ASSERT(contains_ci(buf, cs.c[i].scheme), "offer '%s' without %s", buf,
			    cs.c[i].scheme);
	FUZZ_ASSERT(eas_challenge_find(&cs, "Basic") || strstr(buf, "Basic"), "Basic unsaid");
	FUZZ_ASSERT(eas_challenge_find(&cs, "Bearer") || strstr(buf, "Bearer"), "Bearer unsaid");
	eas_challenge_offer(&cs, small, sizeof small);
	FUZZ_ASSERT(memchr(small, 0, sizeof small), "offer in a small buffer");
	eas_challenge_names(&cs, small, sizeof small);
	FUZZ_ASSERT(memchr(small, 0, sizeof small), "names in a small buffer");

	if (strlen(policy) < 400 && eas_scheme_policy_valid(policy)) {
		int broken = eas_scheme_policy_check(policy, &cs, buf, sizeof buf);

		FUZZ_ASSERT(broken == expect_broken(policy, &cs),
			    "policy '%s': %d broken, expected %d", policy, broken,
			    expect_broken(policy, &cs));
		FUZZ_ASSERT((broken == 0) == (buf[0] == 0), "policy '%s': %d broken, text '%s'",
			    policy, broken, buf);
		FUZZ_ASSERT(clean(buf, sizeof buf), "policy text not clean");
	}

	{
		const char *error = eas_challenge_param(eas_challenge_find(&cs, "Bearer"), "error");
		bool code =
			(diag[0] >= '0' && diag[0] <= '9') || contains_ci(diag, "error_category");

		rc = eas_bearer_refusal(&cs, diag, buf, sizeof buf);
		FUZZ_ASSERT((rc == 0 && buf[0]) || (rc == -1 && !buf[0]), "refusal %d '%s'", rc,
			    buf);
		FUZZ_ASSERT(clean(buf, sizeof buf), "refusal not clean: '%s'", buf);
		if (!(error && *error) && !code)
			FUZZ_ASSERT(rc == -1, "a refusal without a reason: '%s'", buf);
		rc = eas_bearer_refusal(&cs, diag, small, sizeof small);
		FUZZ_ASSERT(memchr(small, 0, sizeof small), "refusal in a small buffer");
	}
	free(policy);
	free(diag);
	free(www);
	return 0;
}
