/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "autodiscover/adreport.h"

#include <stdio.h>
#include <string.h>

#include "http/http.h"

const char *eas_ad_how_name(enum eas_ad_how how)
{
	switch (how) {
	case EAS_AD_TRY_ANSWERED: return "answered";
	case EAS_AD_TRY_MISSING: return "missing";
	case EAS_AD_TRY_BAD: return "bad";
	case EAS_AD_TRY_TIMEOUT: return "timeout";
	case EAS_AD_TRY_HOSTILE: return "hostile";
	}
	return "?";
}

const char *eas_ad_words(const char *in, char *buf, size_t size)
{
	static const char advice[] =
		" (fix that host's certificate or remove its DNS record, or check one candidate alone with --candidate N)";
	const size_t an = strlen(EAS_HOSTNAME_ADVICE);
	size_t out = 0;

	if (!size)
		return "";
	while (*in && out + 1 < size) {
		const char *put = in;
		size_t n = 1;

		if (!strncmp(in, EAS_HOSTNAME_ADVICE, an)) {
			put = advice;
			n = strlen(advice);
			in += an;
		} else {
			in++;
		}
		if (out + n >= size)
			break;
		memcpy(buf + out, put, n);
		out += n;
	}
	buf[out] = 0;
	return buf;
}

const char *eas_ad_stumble_text(const struct eas_ad_try *t, char *buf, size_t size)
{
	char words[sizeof t->outcome + 160];

	snprintf(buf, size, "%s: %s (devices %s here)", t->url,
		 eas_ad_words(t->outcome, words, sizeof words),
		 t->how == EAS_AD_TRY_TIMEOUT ? "wait" : "stumble");
	return buf;
}

void eas_ad_details(struct eas_output *out, const struct eas_ad_result *r)
{
	for (size_t i = 0; i < r->ntries; i++) {
		const struct eas_ad_try *t = &r->tries[i];
		char words[sizeof t->outcome + 160];

		eas_out_detail(out, "autodiscover %s %s%sfor %s: %s (%.3fs)",
			       eas_ad_cand_text(t->cand), t->url, t->url[0] ? " " : "", t->address,
			       eas_ad_words(t->outcome, words, sizeof words), t->time);
	}
}

static struct json_object *found_json(const struct eas_ad_found *f)
{
	struct json_object *o = json_object_new_object(), *redirects = json_object_new_array();
	char why[sizeof f->why + 160];

	json_object_object_add(o, "found", json_object_new_boolean(f->found));
	if (f->found)
		json_object_object_add(o, "url", json_object_new_string(f->url));
	if (f->from[0]) {
		json_object_object_add(o, "answered_by", json_object_new_string(f->from));
		json_object_object_add(o, "candidate",
				       json_object_new_string(eas_ad_cand_name(f->cand)));
	}
	for (size_t i = 0; i < f->nredirects; i++)
		json_object_array_add(redirects, json_object_new_string(f->redirects[i]));
	json_object_object_add(o, "redirects", redirects);
	if (f->error) {
		json_object_object_add(o, "error_code",
				       f->answer.error_code >= 0
					       ? json_object_new_int(f->answer.error_code)
					       : json_object_new_string(f->answer.error_name));
		if (f->answer.error_msg[0])
			json_object_object_add(o, "error_message",
					       json_object_new_string(f->answer.error_msg));
	}
	if (f->why[0])
		json_object_object_add(o, "why",
				       json_object_new_string(
					       eas_ad_words(f->why, why, sizeof why)));
	json_object_object_add(o, "time", eas_json_double(f->time));
	return o;
}

struct json_object *eas_ad_json(const struct eas_ad_result *r, const char *address)
{
	struct json_object *o = json_object_new_object(), *tries = json_object_new_array();

	json_object_object_add(o, "address", json_object_new_string(address));
	if (r->pox.ran)
		json_object_object_add(o, "pox", found_json(&r->pox));
	if (r->json.ran)
		json_object_object_add(o, "json", found_json(&r->json));
	for (size_t i = 0; i < r->ntries; i++) {
		const struct eas_ad_try *t = &r->tries[i];
		struct json_object *j = json_object_new_object();
		char words[sizeof t->outcome + 160];

		json_object_object_add(j, "candidate",
				       json_object_new_string(eas_ad_cand_name(t->cand)));
		json_object_object_add(j, "address", json_object_new_string(t->address));
		json_object_object_add(j, "url", json_object_new_string(t->url));
		json_object_object_add(j, "outcome",
				       json_object_new_string(
					       eas_ad_words(t->outcome, words, sizeof words)));
		json_object_object_add(j, "how", json_object_new_string(eas_ad_how_name(t->how)));
		if (t->status)
			json_object_object_add(j, "status", json_object_new_int((int)t->status));
		json_object_object_add(j, "time", eas_json_double(t->time));
		json_object_array_add(tries, j);
	}
	json_object_object_add(o, "tries", tries);
	return o;
}
