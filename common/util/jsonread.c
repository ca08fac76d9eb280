/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/jsonread.h"

int eas_json_read(const char *text, size_t len, int max_depth, struct json_object **out, char *err,
		  size_t errlen)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	size_t end;

	*out = NULL;
	if (len > (size_t)INT32_MAX) {
		snprintf(err, errlen, "not well-formed JSON: too large");
		return -1;
	}
	if (!(tok = json_tokener_new_ex(max_depth))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	*out = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	/* White space after the document is no second one (an editor's newline). */
	while (*out && end < len && strchr(" \t\r\n", text[end]) && text[end])
		end++;
	if (*out && jerr == json_tokener_success && end == len) {
		json_tokener_free(tok);
		return 0;
	}
	if (jerr == json_tokener_continue || (!*out && jerr == json_tokener_success))
		snprintf(err, errlen, "JSON cut short");
	else if (jerr != json_tokener_success)
		snprintf(err, errlen, "not well-formed JSON: %s", json_tokener_error_desc(jerr));
	else
		snprintf(err, errlen, "more than one JSON document");
	json_object_put(*out);
	*out = NULL;
	json_tokener_free(tok);
	return -1;
}
