/* libFuzzer harness for common/wbxml: decode with small limits, dump, write
 * the tree again with the writer and decode that: it must give the same
 * tree. What the decoder accepts is read once more by ref_doc(), a reader
 * written here from the WBXML 1.3 specification alone (no code shared
 * with common/eas/wbxml.c): both must see the same elements, code pages,
 * text and opaque data, so that a decoder slip the writer mirrors (a page
 * or tag read wrong both ways) is noticed too. Build and run:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Icommon \
 *     common/eas/wbxml.c common/eas/wbxml_pages.c fuzz/fuzz_wbxml.c -o fuzz_wbxml
 *   ./fuzz_wbxml fuzz/corpus/wbxml */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eas/wbxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Both readings as one string: "[page,tag]" for an empty element,
 * "[page,tag{children}]", "[page,tag:T3:abc]" for text, ":O" for opaque. */
struct sb {
	char *p;
	size_t n, cap;
};

static void put(struct sb *b, const void *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

__attribute__((format(printf, 2, 3))) static void putf(struct sb *b, const char *fmt, ...)
{
	char t[32];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t, sizeof t, fmt, ap);
	va_end(ap);
	put(b, t, (size_t)n);
}

static void ours(struct sb *b, const struct eas_wbxml_node *n)
{
	for (; n; n = n->next) {
		putf(b, "[%u,%u", n->page, n->tag);
		if (n->child) {
			put(b, "{", 1);
			ours(b, n->child);
			put(b, "}", 1);
		} else if (n->data) {
			putf(b, ":%c%zu:", n->opaque ? 'O' : 'T', n->len);
			put(b, n->data, n->len);
		}
		put(b, "]", 1);
	}
}

/* The reference reader, on a document the decoder accepted. */
struct ref {
	const uint8_t *p;
	size_t n, pos;
	unsigned page;
};

static uint32_t ref_mb(struct ref *r)
{
	uint32_t v = 0;

	while (r->pos < r->n) {
		uint8_t c = r->p[r->pos++];

		v = v << 7 | (c & 0x7F);
		if (!(c & 0x80))
			break;
	}
	return v;
}

/* One element whose tag byte is c: SWITCH_PAGE 0x00, END 0x01, STR_I 0x03,
 * OPAQUE 0xC3, a tag's content bit 0x40 (WBXML 1.3, 5.8). */
static void ref_elem(struct ref *r, struct sb *b, uint8_t c)
{
	struct sb content = { 0 };
	int kids = 0, kind = 0;

	putf(b, "[%u,%u", r->page, c & 0x3Fu);
	while ((c & 0x40) && r->pos < r->n) {
		uint8_t t = r->p[r->pos++];

		if (t == 0x00) {
			r->page = r->p[r->pos++];
		} else if (t == 0x01) {
			break;
		} else if (t == 0x03) {
			const uint8_t *z = memchr(r->p + r->pos, 0, r->n - r->pos);
			size_t len = z ? (size_t)(z - (r->p + r->pos)) : r->n - r->pos;

			put(&content, r->p + r->pos, len);
			r->pos += len + 1;
			kind = 'T';
		} else if (t == 0xC3) {
			uint32_t len = ref_mb(r);

			put(&content, r->p + r->pos, len);
			r->pos += len;
			kind = 'O';
		} else {
			if (!kids++)
				put(b, "{", 1);
			ref_elem(r, b, t);
		}
	}
	if (kids)
		put(b, "}", 1);
	else if (kind) {
		putf(b, ":%c%zu:", kind, content.n);
		put(b, content.n ? content.p : "", content.n);
	}
	put(b, "]", 1);
	free(content.p);
}

static void ref_doc(const uint8_t *p, size_t n, struct sb *b)
{
	struct ref r = { p, n, 1, 0 };
	uint32_t strtbl;

	if (ref_mb(&r) == 0) /* public identifier 0: an index follows */
		ref_mb(&r);
	ref_mb(&r); /* charset */
	strtbl = ref_mb(&r);
	r.pos += strtbl;
	while (r.pos < r.n && r.p[r.pos] == 0x00 && r.pos + 1 < r.n) {
		r.page = r.p[r.pos + 1];
		r.pos += 2;
	}
	if (r.pos < r.n)
		ref_elem(&r, b, r.p[r.pos++]);
}

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
	{
		struct sb a = { 0 }, b = { 0 };

		ours(&a, doc.root);
		ref_doc(data, size, &b);
		if (a.n != b.n || memcmp(a.p, b.p, a.n)) {
			fprintf(stderr, "INVARIANT: decoded %.300s\n  reference %.300s\n", a.p,
				b.p);
			abort();
		}
		free(a.p);
		free(b.p);
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
