/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One JSON document from outside (a server's answer, a file), read the one
 * strict way: RFC 8259 only, valid UTF-8, nesting bounded, nothing after
 * it but white space. */
#ifndef EAS_JSONREAD_H
#define EAS_JSONREAD_H

#include <stddef.h>

#include <json-c/json.h>

/* Parse text (len bytes) into *out (the caller puts it). Returns 0, or -1
 * with *out NULL and err a phrase that reads after "is": "JSON cut short",
 * "not well-formed JSON: ...", "more than one JSON document", "out of
 * memory". */
int eas_json_read(const char *text, size_t len, int max_depth, struct json_object **out, char *err,
		  size_t errlen);

#endif
