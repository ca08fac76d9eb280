/* libFuzzer harness for common/wbxml: decode with small limits, dump, write
 * the tree again with the writer and decode that: it must give the same
 * tree. Build and run:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Icommon \
 *     common/eas/wbxml.c common/eas/wbxml_pages.c fuzz/fuzz_wbxml.c -o fuzz_wbxml
 *   ./fuzz_wbxml fuzz/corpus/wbxml */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eas/wbxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Recursion is bounded by the decoder's max_depth below. */
static void write_tree(struct eas_wbxml_writer *w, const struct eas_wbxml_node *n)
{
	for (; n; n = n->next) {
		if (n->child) {
			eas_wbxml_open(w, n->page, n->tag);
			write_tree(w, n->child);
			eas_wbxml_close(w);
		} else if (!n->data) {
			eas_wbxml_empty(w, n->page, n->tag);
		} else if (n->opaque) {
			eas_wbxml_opaque(w, n->page, n->tag, n->data, n->len);
		} else {
			eas_wbxml_text(w, n->page, n->tag, (const char *)n->data);
		}
	}
}

static int same_tree(const struct eas_wbxml_node *a, const struct eas_wbxml_node *b)
{
	for (; a && b; a = a->next, b = b->next) {
		if (a->page != b->page || a->tag != b->tag || a->opaque != b->opaque ||
		    !a->data != !b->data || a->len != b->len ||
		    (a->len && memcmp(a->data, b->data, a->len)))
			return 0;
		if (a->data && !a->opaque && a->data[a->len] != 0)
			return 0; /* text must stay NUL-terminated */
		if (!same_tree(a->child, b->child))
			return 0;
	}
	return !a && !b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct eas_wbxml_limits lim = {
		.max_len = 64 * 1024,
		.max_depth = 16,
		.max_nodes = 2000,
	};
	struct eas_wbxml_doc doc, again;
	struct eas_wbxml_writer w;
	unsigned char *buf;
	size_t len;
	char err[160], *dump;

	if (eas_wbxml_decode(data, size, &lim, &doc, err, sizeof err)) {
		if (!err[0] || doc.root)
			abort(); /* every refusal says why and leaves no tree */
		return 0;
	}
	dump = eas_wbxml_dump(doc.root);
	if (!dump)
		abort();
	free(dump);

	eas_wbxml_writer_init(&w);
	write_tree(&w, doc.root);
	if (eas_wbxml_finish(&w, &buf, &len, err, sizeof err))
		abort(); /* whatever decodes must encode */
	if (eas_wbxml_decode(buf, len, &lim, &again, err, sizeof err))
		abort(); /* ... and decode again */
	if (!same_tree(doc.root, again.root))
		abort();
	/* A second encoding is byte-identical: the writer is canonical. */
	{
		struct eas_wbxml_writer w2;
		unsigned char *buf2;
		size_t len2;

		eas_wbxml_writer_init(&w2);
		write_tree(&w2, again.root);
		if (eas_wbxml_finish(&w2, &buf2, &len2, err, sizeof err) || len2 != len ||
		    memcmp(buf, buf2, len))
			abort();
		free(buf2);
	}
	free(buf);
	eas_wbxml_doc_free(&again);
	eas_wbxml_doc_free(&doc);
	return 0;
}
