#include "eas/wbxml.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Global tokens ([WBXML 1.3] 7.1) that ActiveSync uses. */
#define WB_SWITCH_PAGE 0x00
#define WB_END 0x01
#define WB_STR_I 0x03
#define WB_OPAQUE 0xC3
#define WB_CONTENT 0x40     /* tag flag: the element has content */
#define WB_ATTRS 0x80       /* tag flag: the element has attributes */
#define WB_CHARSET_UTF8 106 /* IANA MIBenum */

#define DEF_MAX_LEN (1024 * 1024)
#define DEF_MAX_DEPTH 32
/* A FolderSync of 10,000 folders (the folder limit of Exchange) is five
 * elements a folder: 50,000, and room to spare; 40 bytes a node bound the
 * tree to 4 MB whatever a 1 MiB answer holds. */
#define DEF_MAX_NODES 100000

/* -------------------------------------------------------------- decoder */

enum content { C_NONE, C_TEXT, C_OPAQUE };

struct open_elem {
	size_t node; /* index into nodes */
	size_t last; /* last child, SIZE_MAX when none */
	enum content content;
	unsigned char page, tag;
};

/* The same walk runs twice: first to validate and count, then, with nodes
 * and text allocated to the counts, to fill them. So the tree is two
 * allocations and the second pass cannot fail. */
struct parser {
	const unsigned char *buf;
	size_t len, pos, body;
	size_t max_depth, max_nodes;
	struct open_elem *stack;
	struct eas_wbxml_node *nodes; /* NULL in the first pass */
	unsigned char *text;
	size_t nnodes, ntext; /* counted, then filled */
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void elem_name(char *buf, size_t size, int page, int tag)
{
	const char *pn = eas_wbxml_page_name(page), *tn = eas_wbxml_tag_name(page, tag);

	if (tn)
		snprintf(buf, size, "%s:%s", pn, tn);
	else
		snprintf(buf, size, "%s:unknown_0x%02X", pn ? pn : "?", (unsigned)tag);
}

/* mb_u_int32: at most five bytes of seven bits, big-endian. */
static int mb_u32(struct parser *p, const char *what, uint32_t *out)
{
	size_t at = p->pos;
	uint32_t v = 0;

	for (int i = 0;; i++) {
		unsigned char c;

		if (p->pos >= p->len)
			return fail(p, "truncated WBXML: %s at offset %zu ends early", what, at);
		if (i == 5)
			return fail(p, "%s at offset %zu is longer than 5 bytes", what, at);
		if (v > (UINT32_MAX >> 7))
			return fail(p, "%s at offset %zu does not fit 32 bits", what, at);
		c = p->buf[p->pos++];
		v = v << 7 | (c & 0x7F);
		if (!(c & 0x80))
			break;
	}
	*out = v;
	return 0;
}

static int header(struct parser *p)
{
	uint32_t pubid, index = 0, charset, strtbl;

	if (p->len < 1)
		return fail(p, "truncated WBXML: empty document");
	if (p->buf[0] < 0x01 || p->buf[0] > 0x03)
		return fail(p, "unsupported WBXML version 0x%02X", p->buf[0]);
	p->pos = 1;
	if (mb_u32(p, "public identifier", &pubid))
		return -1;
	/* 0 means "the identifier is a string in the string table". */
	if (pubid == 0 && mb_u32(p, "public identifier index", &index))
		return -1;
	if (pubid > 1)
		return fail(p, "unexpected WBXML public identifier %u", (unsigned)pubid);
	if (mb_u32(p, "charset", &charset))
		return -1;
	if (charset != WB_CHARSET_UTF8)
		return fail(p, "unsupported WBXML charset %u (only UTF-8, 106)", (unsigned)charset);
	if (mb_u32(p, "string table length", &strtbl))
		return -1;
	if (strtbl > p->len - p->pos)
		return fail(p, "truncated WBXML: string table of %u bytes runs past the end",
			    (unsigned)strtbl);
	if (pubid == 0 && index >= strtbl)
		return fail(p, "WBXML public identifier index %u is outside the string table",
			    (unsigned)index);
	/* Nothing may refer to the table (STR_T is refused), so skip it. */
	p->pos += strtbl;
	p->body = p->pos;
	return 0;
}

/* Text or opaque data for the innermost open element. */
static int content(struct parser *p, size_t depth, enum content kind, const unsigned char *data,
		   size_t n, size_t at)
{
	struct open_elem *e = &p->stack[depth - 1];
	struct eas_wbxml_node *node;
	char name[80];

	if (e->last != SIZE_MAX || (e->content != C_NONE && e->content != kind)) {
		elem_name(name, sizeof name, e->page, e->tag);
		return fail(p, "element %s mixes %s at offset %zu", name,
			    e->last != SIZE_MAX ? "child elements and content"
						: "text and opaque data",
			    at);
	}
	if (!p->nodes) {
		p->ntext += n + 1; /* each piece reserves room for a NUL */
		e->content = kind;
		return 0;
	}
	node = &p->nodes[e->node];
	if (e->content == C_NONE) {
		node->data = p->text + p->ntext;
		node->opaque = kind == C_OPAQUE;
	} else {
		p->ntext--; /* a later piece continues the earlier one */
	}
	e->content = kind;
	memcpy(p->text + p->ntext, data, n);
	p->ntext += n;
	p->text[p->ntext++] = 0;
	node->len += n;
	return 0;
}

static int element(struct parser *p, size_t *depth, int page, unsigned char c, size_t at)
{
	unsigned char tag = c & 0x3F;
	size_t idx = p->nnodes;
	char name[80];

	if (*depth > 0 && p->stack[*depth - 1].content != C_NONE) {
		elem_name(name, sizeof name, p->stack[*depth - 1].page, p->stack[*depth - 1].tag);
		return fail(p, "element %s mixes child elements and content at offset %zu", name,
			    at);
	}
	if (p->nnodes >= p->max_nodes)
		return fail(p, "WBXML document has more than %zu elements", p->max_nodes);
	if (*depth >= p->max_depth)
		return fail(p, "WBXML elements nested deeper than %zu at offset %zu", p->max_depth,
			    at);
	p->nnodes++;
	if (p->nodes) {
		p->nodes[idx].page = (unsigned char)page;
		p->nodes[idx].tag = tag;
		if (*depth > 0) {
			struct open_elem *parent = &p->stack[*depth - 1];

			if (parent->last == SIZE_MAX)
				p->nodes[parent->node].child = &p->nodes[idx];
			else
				p->nodes[parent->last].next = &p->nodes[idx];
			parent->last = idx;
		}
	} else if (*depth > 0) {
		p->stack[*depth - 1].last = idx;
	}
	if (c & WB_CONTENT) {
		p->stack[*depth] =
			(struct open_elem){ idx, SIZE_MAX, C_NONE, (unsigned char)page, tag };
		(*depth)++;
	}
	return 0;
}

static int body(struct parser *p)
{
	size_t depth = 0;
	bool done = false;
	int page = 0;

	p->pos = p->body;
	p->nnodes = p->ntext = 0;
	while (p->pos < p->len) {
		size_t at = p->pos;
		unsigned char c = p->buf[p->pos++];

		if (done)
			return fail(p, "trailing bytes after the root element at offset %zu", at);
		if (c == WB_SWITCH_PAGE) {
			if (p->pos >= p->len)
				return fail(
					p, "truncated WBXML: SWITCH_PAGE at offset %zu has no page",
					at);
			page = p->buf[p->pos++];
			if (!eas_wbxml_page_name(page))
				return fail(p, "unknown code page %d at offset %zu", page, at);
		} else if (c == WB_END) {
			if (depth == 0)
				return fail(p, "END at offset %zu closes no element", at);
			if (--depth == 0)
				done = true;
		} else if (c == WB_STR_I) {
			const unsigned char *s = p->buf + p->pos;
			const unsigned char *nul = memchr(s, 0, p->len - p->pos);

			if (depth == 0)
				return fail(p, "text outside the root element at offset %zu", at);
			if (!nul)
				return fail(
					p,
					"truncated WBXML: inline string at offset %zu is not terminated",
					at);
			if (content(p, depth, C_TEXT, s, (size_t)(nul - s), at))
				return -1;
			p->pos += (size_t)(nul - s) + 1;
		} else if (c == WB_OPAQUE) {
			uint32_t n;

			if (depth == 0)
				return fail(p, "opaque data outside the root element at offset %zu",
					    at);
			if (mb_u32(p, "OPAQUE length", &n))
				return -1;
			if (n > p->len - p->pos)
				return fail(
					p,
					"truncated WBXML: OPAQUE data at offset %zu (%u bytes) runs past the end",
					at, (unsigned)n);
			if (content(p, depth, C_OPAQUE, p->buf + p->pos, n, at))
				return -1;
			p->pos += n;
		} else if ((c & WB_ATTRS) || (c & 0x3F) < 0x05) {
			/* Attributes, entities, string table references,
			 * extensions, processing instructions, literals. */
			return fail(p, "unsupported WBXML token 0x%02X at offset %zu", c, at);
		} else {
			if (element(p, &depth, page, c, at))
				return -1;
			if (depth == 0)
				done = true; /* an empty root element */
		}
	}
	if (!done) {
		if (p->nnodes == 0)
			return fail(p, "truncated WBXML: no root element");
		return fail(p, "truncated WBXML: %zu element%s not closed at the end", depth,
			    depth == 1 ? "" : "s");
	}
	return 0;
}

int eas_wbxml_decode(const unsigned char *buf, size_t len, const struct eas_wbxml_limits *lim,
		     struct eas_wbxml_doc *doc, char *err, size_t errlen)
{
	struct parser p = { .buf = buf, .len = len, .err = err, .errlen = errlen };
	size_t max_len = lim && lim->max_len ? lim->max_len : DEF_MAX_LEN;
	int rc = -1;

	memset(doc, 0, sizeof *doc);
	if (errlen)
		err[0] = 0;
	p.max_depth = lim && lim->max_depth ? lim->max_depth : DEF_MAX_DEPTH;
	p.max_nodes = lim && lim->max_nodes ? lim->max_nodes : DEF_MAX_NODES;
	if (!buf && len)
		return fail(&p, "no WBXML buffer");
	if (len > max_len)
		return fail(&p, "WBXML document of %zu bytes exceeds the limit of %zu bytes", len,
			    max_len);
	/* Every open element took at least one byte. */
	if (p.max_depth > len)
		p.max_depth = len;
	p.stack = malloc((p.max_depth + 1) * sizeof *p.stack);
	if (!p.stack)
		return fail(&p, "out of memory decoding WBXML");
	if (header(&p) || body(&p))
		goto out;
	p.nodes = calloc(p.nnodes, sizeof *p.nodes);
	p.text = malloc(p.ntext + 1);
	if (!p.nodes || !p.text) {
		fail(&p, "out of memory decoding WBXML");
		free(p.nodes);
		free(p.text);
		goto out;
	}
	if (body(&p)) { /* cannot fail: the first pass saw the same bytes */
		free(p.nodes);
		free(p.text);
		goto out;
	}
	doc->nodes = p.nodes;
	doc->text = p.text;
	doc->root = &p.nodes[0];
	rc = 0;
out:
	free(p.stack);
	return rc;
}

void eas_wbxml_doc_free(struct eas_wbxml_doc *doc)
{
	if (!doc)
		return;
	free(doc->nodes);
	free(doc->text);
	memset(doc, 0, sizeof *doc);
}

/* -------------------------------------------------------------- lookups */

const struct eas_wbxml_node *eas_wbxml_child(const struct eas_wbxml_node *n, int page, int tag)
{
	if (!n)
		return NULL;
	for (const struct eas_wbxml_node *c = n->child; c; c = c->next)
		if (c->page == page && c->tag == tag)
			return c;
	return NULL;
}

const struct eas_wbxml_node *eas_wbxml_path(const struct eas_wbxml_node *n, ...)
{
	va_list ap;
	int page;

	va_start(ap, n);
	while (n && (page = va_arg(ap, int)) >= 0) {
		int tag = va_arg(ap, int);

		n = eas_wbxml_child(n, page, tag);
	}
	va_end(ap);
	return n;
}

const char *eas_wbxml_str(const struct eas_wbxml_node *n)
{
	if (!n || n->opaque || n->child)
		return NULL;
	return n->data ? (const char *)n->data : "";
}

/* ----------------------------------------------------------------- dump */

/* Elements whose content never appears in a dump. Their descendants are
 * masked too (Settings:DevicePassword holds Settings:Password). */
static const struct {
	unsigned char page, tag;
} secrets[] = {
	{ EAS_WB_PAGE_SETTINGS, EAS_WB_SETTINGS_PASSWORD },
	{ EAS_WB_PAGE_SETTINGS, EAS_WB_SETTINGS_DEVICEPASSWORD },
	{ EAS_WB_PAGE_ITEMOPERATIONS, 0x15 }, /* Password */
	{ EAS_WB_PAGE_SEARCH, 0x1F },         /* Password */
};

#define DUMP_TEXT_MAX 1024 /* longer text is cut, with its size shown */

struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->s, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static bool is_secret(const struct eas_wbxml_node *n)
{
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		if (secrets[i].page == n->page && secrets[i].tag == n->tag)
			return true;
	return false;
}

/* Length of the valid UTF-8 sequence at s, 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t want;
	unsigned char lo = 0x80, hi = 0xBF;

	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		want = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		want = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		want = 4;
	else
		return 0;
	/* No overlong forms, surrogates or code points past U+10FFFF. */
	if (s[0] == 0xE0)
		lo = 0xA0;
	else if (s[0] == 0xED)
		hi = 0x9F;
	else if (s[0] == 0xF0)
		lo = 0x90;
	else if (s[0] == 0xF4)
		hi = 0x8F;
	if (n < want || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < want; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return want;
}

static void put_text(struct sbuf *b, const unsigned char *s, size_t n)
{
	size_t shown = n > DUMP_TEXT_MAX ? DUMP_TEXT_MAX : n;

	for (size_t i = 0; i < shown;) {
		size_t k;

		if (s[i] == '&')
			sb_put(b, "&amp;", 5);
		else if (s[i] == '<')
			sb_put(b, "&lt;", 4);
		else if (s[i] == '>')
			sb_put(b, "&gt;", 4);
		else if (s[i] == '\\')
			sb_put(b, "\\\\", 2);
		else if (s[i] >= 0x20 && s[i] < 0x7F)
			sb_put(b, (const char *)s + i, 1);
		else if (s[i] >= 0x80 && (k = utf8_seq(s + i, n - i)) != 0) {
			sb_put(b, (const char *)s + i, k);
			i += k;
			continue;
		} else {
			sb_printf(b, "\\x%02X", s[i]);
		}
		i++;
	}
	if (shown < n)
		sb_printf(b, "...[%zu bytes]", n);
}

static void put_name(struct sbuf *b, const struct eas_wbxml_node *n)
{
	char name[80];

	elem_name(name, sizeof name, n->page, n->tag);
	sb_put(b, name, strlen(name));
}

static void put_indent(struct sbuf *b, size_t depth)
{
	for (size_t i = 0; i < depth; i++)
		sb_put(b, "  ", 2);
}

/* One line for an element without children. */
static void put_leaf(struct sbuf *b, const struct eas_wbxml_node *n, size_t depth, bool masked)
{
	put_indent(b, depth);
	sb_put(b, "<", 1);
	put_name(b, n);
	if (!n->data) {
		sb_put(b, "/>\n", 3);
		return;
	}
	sb_put(b, ">", 1);
	if (masked)
		sb_put(b, "****", 4);
	else if (n->opaque)
		sb_printf(b, "[%zu bytes]", n->len);
	else
		put_text(b, n->data, n->len);
	sb_put(b, "</", 2);
	put_name(b, n);
	sb_put(b, ">\n", 2);
}

char *eas_wbxml_dump(const struct eas_wbxml_node *root)
{
	struct sbuf b = { 0 };
	const struct eas_wbxml_node **at = NULL; /* current node per depth */
	bool *masked = NULL;
	size_t depth = 0, cap = 0;

	sb_put(&b, "", 0);
	if (!root)
		return b.s;
	/* Iterative, so that no tree can exhaust the C stack. */
	for (const struct eas_wbxml_node *n = root; n && !b.oom;) {
		if (depth >= cap) {
			size_t ncap = cap ? cap * 2 : 16;
			const struct eas_wbxml_node **a = realloc(at, ncap * sizeof *a);
			bool *m;

			if (a)
				at = a;
			m = a ? realloc(masked, ncap * sizeof *m) : NULL;
			if (!m) {
				b.oom = true;
				break;
			}
			masked = m;
			cap = ncap;
		}
		at[depth] = n;
		masked[depth] = (depth && masked[depth - 1]) || is_secret(n);
		if (n->child) {
			put_indent(&b, depth);
			sb_put(&b, "<", 1);
			put_name(&b, n);
			sb_put(&b, ">\n", 2);
			depth++;
			n = n->child;
			continue;
		}
		put_leaf(&b, n, depth, masked[depth]);
		/* Next sibling, closing the parents that have none left. */
		n = NULL;
		while (depth > 0) {
			if (at[depth]->next) {
				n = at[depth]->next;
				break;
			}
			depth--;
			put_indent(&b, depth);
			sb_put(&b, "</", 2);
			put_name(&b, at[depth]);
			sb_put(&b, ">\n", 2);
		}
	}
	free(at);
	free(masked);
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* --------------------------------------------------------------- writer */

__attribute__((format(printf, 2, 3))) static void werr(struct eas_wbxml_writer *w, const char *fmt,
						       ...)
{
	va_list ap;

	if (w->error[0])
		return; /* the first error is the interesting one */
	va_start(ap, fmt);
	vsnprintf(w->error, sizeof w->error, fmt, ap);
	va_end(ap);
}

static void put(struct eas_wbxml_writer *w, const void *data, size_t n)
{
	if (w->error[0])
		return;
	if (n > SIZE_MAX / 2 - w->len) {
		werr(w, "WBXML document too large");
		return;
	}
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		unsigned char *p;

		while (cap < w->len + n)
			cap *= 2;
		p = realloc(w->buf, cap);
		if (!p) {
			werr(w, "out of memory writing WBXML");
			return;
		}
		w->buf = p;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, data, n);
	w->len += n;
}

static void put_byte(struct eas_wbxml_writer *w, unsigned char c)
{
	put(w, &c, 1);
}

static void put_mb(struct eas_wbxml_writer *w, uint32_t v)
{
	unsigned char tmp[5];
	size_t i = sizeof tmp;

	tmp[--i] = v & 0x7F;
	while (v >>= 7)
		tmp[--i] = 0x80 | (v & 0x7F);
	put(w, tmp + i, sizeof tmp - i);
}

void eas_wbxml_writer_init(struct eas_wbxml_writer *w)
{
	static const unsigned char head[] = {
		0x03,                  /* WBXML 1.3 */
		0x01,                  /* public identifier: unknown */
		WB_CHARSET_UTF8, 0x00, /* empty string table */
	};

	memset(w, 0, sizeof *w);
	put(w, head, sizeof head);
}

/* Write a tag token, switching the page first if needed. */
static int start(struct eas_wbxml_writer *w, int page, int tag, bool has_content)
{
	if (w->error[0])
		return -1;
	if (!eas_wbxml_page_name(page)) {
		werr(w, "unknown code page %d", page);
		return -1;
	}
	if (tag < 0x05 || tag > 0x3F) {
		werr(w, "tag token %d is out of range", tag);
		return -1;
	}
	if (w->depth == 0 && w->roots > 0) {
		werr(w, "a second root element");
		return -1;
	}
	if (page != w->page) {
		put_byte(w, WB_SWITCH_PAGE);
		put_byte(w, (unsigned char)page);
		w->page = page;
	}
	put_byte(w, (unsigned char)(tag | (has_content ? WB_CONTENT : 0)));
	if (w->depth == 0)
		w->roots++;
	if (has_content)
		w->depth++;
	return w->error[0] ? -1 : 0;
}

void eas_wbxml_open(struct eas_wbxml_writer *w, int page, int tag)
{
	start(w, page, tag, true);
}

void eas_wbxml_close(struct eas_wbxml_writer *w)
{
	if (w->error[0])
		return;
	if (w->depth == 0) {
		werr(w, "close without an open element");
		return;
	}
	put_byte(w, WB_END);
	w->depth--;
}

void eas_wbxml_empty(struct eas_wbxml_writer *w, int page, int tag)
{
	start(w, page, tag, false);
}

void eas_wbxml_text(struct eas_wbxml_writer *w, int page, int tag, const char *text)
{
	if (!text) {
		eas_wbxml_empty(w, page, tag);
		return;
	}
	if (start(w, page, tag, true))
		return;
	put_byte(w, WB_STR_I);
	put(w, text, strlen(text) + 1);
	eas_wbxml_close(w);
}

void eas_wbxml_opaque(struct eas_wbxml_writer *w, int page, int tag, const void *data, size_t len)
{
	if (len > UINT32_MAX) {
		werr(w, "opaque data of %zu bytes is too large", len);
		return;
	}
	if (start(w, page, tag, true))
		return;
	put_byte(w, WB_OPAQUE);
	put_mb(w, (uint32_t)len);
	if (len)
		put(w, data, len);
	eas_wbxml_close(w);
}

int eas_wbxml_finish(struct eas_wbxml_writer *w, unsigned char **buf, size_t *len, char *err,
		     size_t errlen)
{
	if (!w->error[0] && w->depth)
		werr(w, "%zu WBXML element%s left open", w->depth, w->depth == 1 ? "" : "s");
	if (!w->error[0] && !w->roots)
		werr(w, "no root element written");
	if (w->error[0]) {
		if (errlen)
			snprintf(err, errlen, "%s", w->error);
		eas_wbxml_writer_free(w);
		return -1;
	}
	*buf = w->buf;
	*len = w->len;
	w->buf = NULL;
	eas_wbxml_writer_free(w);
	return 0;
}

void eas_wbxml_writer_free(struct eas_wbxml_writer *w)
{
	free(w->buf);
	memset(w, 0, sizeof *w);
}
