/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "autodiscover/adreport.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "http/http.h"
#include "run/run.h"

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

	/* The candidate by its name, the cause first: its URL is in -v. */
	snprintf(buf, size, "%s: %s (devices %s here)", eas_ad_cand_text(t->cand),
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
		if (eas_served_any(&t->served))
			eas_out_detail(out, "autodiscover %s: %s", eas_ad_cand_text(t->cand),
				       eas_report_served_text(&t->served, words, sizeof words));
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
		struct json_object *j = json_object_new_object(), *served;
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
		served = eas_report_served_obj(&t->served);
		if (served)
			json_object_object_add(j, "served_by", served);
		json_object_array_add(tries, j);
	}
	json_object_object_add(o, "tries", tries);
	return o;
}

enum eas_state eas_ad_stumbles(struct eas_output *out, const struct eas_ad_result *r)
{
	enum eas_state worst = EAS_OK;
	char text[1800];
	/* With nothing found, the failure's words already name the tries:
	 * a stumble would say it twice. */
	bool found = r->pox.found || r->json.found;

	for (size_t i = 0; i < r->ntries; i++) {
		const struct eas_ad_try *t = &r->tries[i];

		if (!found && t->how != EAS_AD_TRY_HOSTILE)
			continue;
		if (t->how == EAS_AD_TRY_HOSTILE) {
			eas_out_sub(out, eas_ad_cand_name(t->cand), EAS_CRITICAL, (double)i,
				    "%s: %s", t->url, t->outcome);
			worst = eas_state_worst(worst, EAS_CRITICAL);
		} else if (t->how == EAS_AD_TRY_BAD ||
			   (t->how == EAS_AD_TRY_TIMEOUT && !r->out_of_time)) {
			eas_out_sub(out, eas_ad_cand_name(t->cand), EAS_WARNING, (double)i, "%s",
				    eas_ad_stumble_text(t, text, sizeof text));
			worst = eas_state_worst(worst, EAS_WARNING);
		}
	}
	return worst;
}

void eas_ad_report(struct eas_output *out, const struct eas_thresholds *th,
		   const struct eas_ad_result *r, const char *address, enum eas_state worst)
{
	const struct eas_ad_found *p = &r->pox, *j = &r->json;
	const struct eas_ad_found *f = p->found ? p : j->found ? j : NULL;
	double total = fmax(p->ran ? p->time : 0, j->ran ? j->time : 0);
	struct json_object *root = eas_out_json(out);
	char label[40];

	if (p->ran && j->ran && p->found && j->found && strcmp(p->url, j->url)) {
		eas_out_sub(out, "methods", EAS_WARNING, 0,
			    "the XML method gives %s, JSON gives %s: devices differ", p->url,
			    j->url);
		f = NULL; /* that names both */
	}
	/* Found, but devices stumble or wait on the way: what they find
	 * comes first, the stumble after it. */
	if (f && worst == EAS_WARNING)
		eas_out_summary(out, "found %s (%s)", f->url, eas_ad_cand_text(f->cand));
	if (!eas_out_sub_summary(out, 3))
		eas_out_sub_notes(out);
	eas_report_time(out, th, total);
	eas_out_perf(out, "time", total, "s", th, 0, NAN);
	for (int c = 1; c < EAS_AD_CAND_COUNT; c++)
		if (r->cand_ran[c]) {
			snprintf(label, sizeof label, "%s_time", eas_ad_cand_name(c));
			eas_out_perf(out, label, r->cand_time[c], "s", NULL, 0, NAN);
		}
	eas_out_perf(out, "redirects", (double)(p->nredirects + j->nredirects), "", NULL, 0, NAN);
	eas_ad_details(out, r);
	if (root)
		json_object_object_add(root, "autodiscover", eas_ad_json(r, address));
}
