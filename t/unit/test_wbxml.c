#include <stdint.h>
#include <stdlib.h>

#include "eas/wbxml.h"
#include "tap.h"

#define AS EAS_WB_PAGE_AIRSYNC
#define ASB EAS_WB_PAGE_AIRSYNCBASE
#define FH EAS_WB_PAGE_FOLDERHIERARCHY
#define PROV EAS_WB_PAGE_PROVISION
#define SET EAS_WB_PAGE_SETTINGS

/* [MS-ASWBXML] 4.1: a Sync response adding a contact. The specification
 * prints these bytes; they are also exactly what xml2wbxml -n -a (libwbxml2
 * 0.11.8) makes of t/wbxml/resp-sync.xml. */
static const unsigned char spec_sync[] = {
	0x03, 0x01, 0x6a, 0x00, 0x45, 0x5c, 0x4f, 0x50, 0x03, 0x43, 0x6f, 0x6e, 0x74, 0x61,
	0x63, 0x74, 0x73, 0x00, 0x01, 0x4b, 0x03, 0x32, 0x00, 0x01, 0x52, 0x03, 0x32, 0x00,
	0x01, 0x4e, 0x03, 0x31, 0x00, 0x01, 0x56, 0x47, 0x4d, 0x03, 0x32, 0x3a, 0x31, 0x00,
	0x01, 0x5d, 0x00, 0x11, 0x4a, 0x46, 0x03, 0x31, 0x00, 0x01, 0x4c, 0x03, 0x30, 0x00,
	0x01, 0x4d, 0x03, 0x31, 0x00, 0x01, 0x01, 0x00, 0x01, 0x5e, 0x03, 0x46, 0x75, 0x6e,
	0x6b, 0x2c, 0x20, 0x44, 0x6f, 0x6e, 0x00, 0x01, 0x5f, 0x03, 0x44, 0x6f, 0x6e, 0x00,
	0x01, 0x69, 0x03, 0x46, 0x75, 0x6e, 0x6b, 0x00, 0x01, 0x00, 0x11, 0x56, 0x03, 0x31,
	0x00, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
};

/* A Provision response after the example of [MS-ASPROV] 4.1.2, which
 * gives XML only: the bytes are xml2wbxml -n -a of
 * t/wbxml/resp-provision.xml. */
static const unsigned char spec_provision[] = {
	0x03, 0x01, 0x6a, 0x00, 0x00, 0x0e, 0x45, 0x4b, 0x03, 0x31, 0x00, 0x01, 0x46, 0x47, 0x48,
	0x03, 0x4d, 0x53, 0x2d, 0x45, 0x41, 0x53, 0x2d, 0x50, 0x72, 0x6f, 0x76, 0x69, 0x73, 0x69,
	0x6f, 0x6e, 0x69, 0x6e, 0x67, 0x2d, 0x57, 0x42, 0x58, 0x4d, 0x4c, 0x00, 0x01, 0x4b, 0x03,
	0x31, 0x00, 0x01, 0x49, 0x03, 0x31, 0x33, 0x30, 0x37, 0x31, 0x39, 0x39, 0x35, 0x38, 0x34,
	0x00, 0x01, 0x4a, 0x4d, 0x4e, 0x03, 0x31, 0x00, 0x01, 0x4f, 0x03, 0x30, 0x00, 0x01, 0x51,
	0x03, 0x30, 0x00, 0x01, 0x5d, 0x03, 0x30, 0x00, 0x01, 0x53, 0x03, 0x31, 0x00, 0x01, 0x54,
	0x03, 0x34, 0x00, 0x01, 0x55, 0x03, 0x39, 0x30, 0x30, 0x00, 0x01, 0x56, 0x03, 0x38, 0x00,
	0x01, 0x58, 0x03, 0x31, 0x00, 0x01, 0x59, 0x03, 0x30, 0x00, 0x01, 0x5a, 0x03, 0x30, 0x00,
	0x01, 0x5b, 0x03, 0x31, 0x00, 0x01, 0x5c, 0x03, 0x31, 0x00, 0x01, 0x64, 0x03, 0x32, 0x00,
	0x01, 0x6a, 0x03, 0x30, 0x00, 0x01, 0x37, 0x39, 0x01, 0x01, 0x01, 0x01, 0x01,
};

/* The FolderSync response of [MS-ASCMD] 4.5 (XML there): xml2wbxml -n -a
 * of t/wbxml/resp-foldersync.xml. */
static const unsigned char spec_foldersync[] = {
	0x03, 0x01, 0x6a, 0x00, 0x00, 0x07, 0x56, 0x4c, 0x03, 0x31, 0x00, 0x01, 0x52, 0x03, 0x31,
	0x00, 0x01, 0x4e, 0x57, 0x03, 0x33, 0x00, 0x01, 0x4f, 0x48, 0x03, 0x31, 0x00, 0x01, 0x49,
	0x03, 0x30, 0x00, 0x01, 0x47, 0x03, 0x43, 0x61, 0x6c, 0x65, 0x6e, 0x64, 0x61, 0x72, 0x00,
	0x01, 0x4a, 0x03, 0x38, 0x00, 0x01, 0x01, 0x4f, 0x48, 0x03, 0x32, 0x00, 0x01, 0x49, 0x03,
	0x30, 0x00, 0x01, 0x47, 0x03, 0x43, 0x6f, 0x6e, 0x74, 0x61, 0x63, 0x74, 0x73, 0x00, 0x01,
	0x4a, 0x03, 0x39, 0x00, 0x01, 0x01, 0x4f, 0x48, 0x03, 0x33, 0x00, 0x01, 0x49, 0x03, 0x30,
	0x00, 0x01, 0x47, 0x03, 0x44, 0x65, 0x6c, 0x65, 0x74, 0x65, 0x64, 0x20, 0x49, 0x74, 0x65,
	0x6d, 0x73, 0x00, 0x01, 0x4a, 0x03, 0x34, 0x00, 0x01, 0x01, 0x01, 0x01,
};

/* Decode; 0 on success, and the error text in err either way. */
static int dec(const unsigned char *b, size_t n, const struct eas_wbxml_limits *lim,
	       struct eas_wbxml_doc *doc, char *err, size_t errlen)
{
	return eas_wbxml_decode(b, n, lim, doc, err, errlen);
}

/* A malformed document must fail, leave no tree, and say so in err
 * (which must contain want). */
static void bad(struct tap *t, const char *what, const unsigned char *b, size_t n,
		const struct eas_wbxml_limits *lim, const char *want)
{
	struct eas_wbxml_doc doc;
	char err[160] = "untouched";
	int rc = dec(b, n, lim, &doc, err, sizeof err);

	TAP_OK(t, rc == -1 && !doc.root && strstr(err, want), "%s: refused (%s)", what, err);
	eas_wbxml_doc_free(&doc);
}

#define BAD(t, what, lim, want, ...)                               \
	do {                                                       \
		static const unsigned char b_[] = { __VA_ARGS__ }; \
		bad((t), (what), b_, sizeof b_, (lim), (want));    \
	} while (0)

static const char *str_at(const struct eas_wbxml_node *n)
{
	const char *s = eas_wbxml_str(n);

	return s ? s : "(null)";
}

static void test_spec_examples(struct tap *t)
{
	struct eas_wbxml_doc doc;
	const struct eas_wbxml_node *coll, *add, *appdata, *n;
	char err[160];
	int count;

	TAP_OK(t, dec(spec_sync, sizeof spec_sync, NULL, &doc, err, sizeof err) == 0,
	       "[MS-ASWBXML] Sync example decodes (%s)", err);
	coll = eas_wbxml_path(doc.root, AS, EAS_WB_AIRSYNC_COLLECTIONS, AS,
			      EAS_WB_AIRSYNC_COLLECTION, -1);
	TAP_OK(t, doc.root && doc.root->page == AS && doc.root->tag == EAS_WB_AIRSYNC_SYNC,
	       "root is AirSync:Sync");
	TAP_OK(t,
	       !strcmp(str_at(eas_wbxml_child(coll, AS, EAS_WB_AIRSYNC_CLASS)), "Contacts") &&
		       !strcmp(str_at(eas_wbxml_child(coll, AS, EAS_WB_AIRSYNC_SYNCKEY)), "2") &&
		       !strcmp(str_at(eas_wbxml_child(coll, AS, EAS_WB_AIRSYNC_STATUS)), "1"),
	       "Collection: Class, SyncKey and Status by path");
	add = eas_wbxml_path(coll, AS, EAS_WB_AIRSYNC_COMMANDS, AS, EAS_WB_AIRSYNC_ADD, -1);
	appdata = eas_wbxml_child(add, AS, EAS_WB_AIRSYNC_APPLICATIONDATA);
	TAP_OK(t, !strcmp(str_at(eas_wbxml_child(add, AS, EAS_WB_AIRSYNC_SERVERID)), "2:1"),
	       "Add: ServerId 2:1");
	TAP_OK(t,
	       !strcmp(str_at(eas_wbxml_path(appdata, ASB, EAS_WB_AIRSYNCBASE_BODY, ASB,
					     EAS_WB_AIRSYNCBASE_TRUNCATED, -1)),
		       "1"),
	       "SWITCH_PAGE to AirSyncBase: Body/Truncated is 1");
	n = eas_wbxml_child(appdata, EAS_WB_PAGE_CONTACTS, 0x1E);
	TAP_OK(t,
	       n && !strcmp(str_at(n), "Funk, Don") &&
		       !strcmp(eas_wbxml_tag_name(n->page, n->tag), "FileAs"),
	       "Contacts:FileAs is 'Funk, Don'");
	TAP_OK(t,
	       !strcmp(str_at(eas_wbxml_child(appdata, ASB, EAS_WB_AIRSYNCBASE_NATIVEBODYTYPE)),
		       "1"),
	       "a second SWITCH_PAGE back to AirSyncBase: NativeBodyType");
	TAP_OK(t,
	       eas_wbxml_str(coll) == NULL && eas_wbxml_path(coll, AS, 0x3F, -1) == NULL &&
		       eas_wbxml_child(NULL, AS, EAS_WB_AIRSYNC_SYNC) == NULL,
	       "containers have no text; absent paths are NULL");
	eas_wbxml_doc_free(&doc);

	TAP_OK(t, dec(spec_provision, sizeof spec_provision, NULL, &doc, err, sizeof err) == 0,
	       "[MS-ASPROV] Provision response decodes (%s)", err);
	n = eas_wbxml_path(doc.root, PROV, EAS_WB_PROVISION_POLICIES, PROV, EAS_WB_PROVISION_POLICY,
			   -1);
	TAP_OK(t,
	       !strcmp(str_at(eas_wbxml_child(doc.root, PROV, EAS_WB_PROVISION_STATUS)), "1") &&
		       !strcmp(str_at(eas_wbxml_child(n, PROV, EAS_WB_PROVISION_POLICYTYPE)),
			       "MS-EAS-Provisioning-WBXML") &&
		       !strcmp(str_at(eas_wbxml_child(n, PROV, EAS_WB_PROVISION_POLICYKEY)),
			       "1307199584"),
	       "Provision: Status 1, PolicyType, PolicyKey 1307199584");
	n = eas_wbxml_path(n, PROV, EAS_WB_PROVISION_DATA, PROV, EAS_WB_PROVISION_EASPROVISIONDOC,
			   -1);
	TAP_OK(t,
	       !strcmp(str_at(eas_wbxml_child(n, PROV,
					      EAS_WB_PROVISION_MAXINACTIVITYTIMEDEVICELOCK)),
		       "900") &&
		       !strcmp(str_at(eas_wbxml_child(n, PROV, EAS_WB_PROVISION_ALLOWBLUETOOTH)),
			       "2"),
	       "EASProvisionDoc: MaxInactivityTimeDeviceLock 900, AllowBluetooth 2");
	TAP_OK(t,
	       !strcmp(str_at(eas_wbxml_child(n, PROV, EAS_WB_PROVISION_APPROVEDAPPLICATIONLIST)),
		       ""),
	       "an empty element's text is \"\"");
	eas_wbxml_doc_free(&doc);

	TAP_OK(t, dec(spec_foldersync, sizeof spec_foldersync, NULL, &doc, err, sizeof err) == 0,
	       "[MS-ASCMD] FolderSync response decodes (%s)", err);
	n = eas_wbxml_child(doc.root, FH, EAS_WB_FH_CHANGES);
	count = 0;
	for (const struct eas_wbxml_node *c = n ? n->child : NULL; c; c = c->next)
		if (c->page == FH && c->tag == EAS_WB_FH_ADD)
			count++;
	TAP_OK(t,
	       count == 3 && !strcmp(str_at(eas_wbxml_child(n, FH, EAS_WB_FH_COUNT)), "3") &&
		       !strcmp(str_at(eas_wbxml_path(n, FH, EAS_WB_FH_ADD, FH,
						     EAS_WB_FH_DISPLAYNAME, -1)),
			       "Calendar"),
	       "FolderSync: Count 3, three Adds, the first is Calendar");
	eas_wbxml_doc_free(&doc);
}

static void test_writer(struct tap *t)
{
	static const unsigned char foldersync[] = {
		0x03, 0x01, 0x6A, 0x00, 0x00, 0x07, 0x56, 0x52, 0x03, '0', 0x00, 0x01, 0x01,
	};
	static const unsigned char bin[] = { 0x00, 0xFF, 0x01, 0x03, 0xC3 };
	static const unsigned char
		mixed[] = {
			0x03, 0x01, 0x6A, 0x00, 0x45, 0x57, /* Sync, Options */
			0x00, 0x11, 0x45,                   /* AirSyncBase:BodyPreference */
			0x46, 0x03, '1',  0x00, 0x01,       /* Type 1 */
			0x47, 0x03, 0x00, 0x01, 0x01,       /* TruncationSize "" */
			0x00, 0x00, 0x13, 0x01,             /* AirSync:GetChanges/ */
			0x00, 0x12, 0x57, 0x03, '<',  'a',  ' ',  '&',  ' ',
			'b',  '>',  ' ',  0xC3, 0xA9, 0x00, 0x01, 0x58, 0xC3,
			0x05, 0x00, 0xFF, 0x01, 0x03, 0xC3, 0x01, /* IMEI opaque */
			0x5A, 0xC3, 0x00, 0x01,                   /* OS, empty opaque */
			0x1B, 0x01,                               /* OSLanguage/, end of Sync */
		};
	struct eas_wbxml_writer w;
	struct eas_wbxml_doc doc;
	const struct eas_wbxml_node *n;
	unsigned char *buf = NULL;
	size_t len = 0;
	char err[160];

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, FH, EAS_WB_FH_FOLDERSYNC);
	eas_wbxml_text(&w, FH, EAS_WB_FH_SYNCKEY, "0");
	eas_wbxml_close(&w);
	TAP_OK(t,
	       eas_wbxml_finish(&w, &buf, &len, err, sizeof err) == 0 && len == sizeof foldersync &&
		       !memcmp(buf, foldersync, len),
	       "FolderSync SyncKey 0: the exact bytes");
	free(buf);

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_SYNC);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_OPTIONS);
	eas_wbxml_open(&w, ASB, EAS_WB_AIRSYNCBASE_BODYPREFERENCE);
	eas_wbxml_text(&w, ASB, EAS_WB_AIRSYNCBASE_TYPE, "1");
	eas_wbxml_text(&w, ASB, EAS_WB_AIRSYNCBASE_TRUNCATIONSIZE, "");
	eas_wbxml_close(&w);
	eas_wbxml_empty(&w, AS, EAS_WB_AIRSYNC_GETCHANGES);
	eas_wbxml_close(&w);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_MODEL, "<a & b> \xc3\xa9");
	eas_wbxml_opaque(&w, SET, EAS_WB_SETTINGS_IMEI, bin, sizeof bin);
	eas_wbxml_opaque(&w, SET, EAS_WB_SETTINGS_OS, NULL, 0);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_OSLANGUAGE, NULL);
	eas_wbxml_close(&w);
	TAP_OK(t,
	       eas_wbxml_finish(&w, &buf, &len, err, sizeof err) == 0 && len == sizeof mixed &&
		       !memcmp(buf, mixed, len),
	       "a mixed document: the exact bytes, SWITCH_PAGE only on a page change");
	TAP_OK(t, dec(buf, len, NULL, &doc, err, sizeof err) == 0, "... and decodes (%s)", err);
	n = eas_wbxml_path(doc.root, AS, EAS_WB_AIRSYNC_OPTIONS, ASB,
			   EAS_WB_AIRSYNCBASE_BODYPREFERENCE, -1);
	TAP_OK(t, !strcmp(str_at(eas_wbxml_child(n, ASB, EAS_WB_AIRSYNCBASE_TYPE)), "1"),
	       "round trip: AirSyncBase:Type");
	n = eas_wbxml_child(n, ASB, EAS_WB_AIRSYNCBASE_TRUNCATIONSIZE);
	TAP_OK(t, n && n->data && n->len == 0 && !strcmp(str_at(n), ""),
	       "round trip: empty text stays present and empty");
	n = eas_wbxml_path(doc.root, AS, EAS_WB_AIRSYNC_OPTIONS, AS, EAS_WB_AIRSYNC_GETCHANGES, -1);
	TAP_OK(t, n && !n->data && !n->child, "round trip: <GetChanges/> has no content");
	n = eas_wbxml_child(doc.root, SET, EAS_WB_SETTINGS_MODEL);
	TAP_OK(t, !strcmp(str_at(n), "<a & b> \xc3\xa9"),
	       "round trip: text with markup characters and UTF-8");
	n = eas_wbxml_child(doc.root, SET, EAS_WB_SETTINGS_IMEI);
	TAP_OK(t,
	       n && n->opaque && n->len == sizeof bin && !memcmp(n->data, bin, sizeof bin) &&
		       eas_wbxml_str(n) == NULL,
	       "round trip: opaque bytes, NUL included; no text");
	n = eas_wbxml_child(doc.root, SET, EAS_WB_SETTINGS_OS);
	TAP_OK(t, n && n->opaque && n->len == 0, "round trip: empty opaque");
	n = eas_wbxml_child(doc.root, SET, EAS_WB_SETTINGS_OSLANGUAGE);
	TAP_OK(t, n && !n->data && !strcmp(str_at(n), ""), "round trip: NULL text writes <tag/>");
	eas_wbxml_doc_free(&doc);
	free(buf);

	/* Misuse is reported once, at the end. */
	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_SYNC);
	TAP_OK(t,
	       eas_wbxml_finish(&w, &buf, &len, err, sizeof err) == -1 &&
		       strstr(err, "1 WBXML element left open"),
	       "writer: unclosed element (%s)", err);
	eas_wbxml_writer_init(&w);
	eas_wbxml_close(&w);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_SYNC);
	eas_wbxml_close(&w);
	TAP_OK(t,
	       eas_wbxml_finish(&w, &buf, &len, err, sizeof err) == -1 &&
		       strstr(err, "close without an open element"),
	       "writer: close without open (%s)", err);
	eas_wbxml_writer_init(&w);
	eas_wbxml_empty(&w, AS, EAS_WB_AIRSYNC_SYNC);
	eas_wbxml_empty(&w, AS, EAS_WB_AIRSYNC_SYNC);
	TAP_OK(t,
	       eas_wbxml_finish(&w, &buf, &len, err, sizeof err) == -1 &&
		       strstr(err, "second root"),
	       "writer: second root element (%s)", err);
	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, 26, 0x05);
	TAP_OK(t,
	       eas_wbxml_finish(&w, &buf, &len, err, sizeof err) == -1 &&
		       strstr(err, "unknown code page 26"),
	       "writer: unknown page (%s)", err);
	eas_wbxml_writer_init(&w);
	eas_wbxml_text(&w, AS, 0x04, "x");
	TAP_OK(t,
	       eas_wbxml_finish(&w, &buf, &len, err, sizeof err) == -1 &&
		       strstr(err, "out of range"),
	       "writer: tag token 4 is a global token (%s)", err);
	eas_wbxml_writer_init(&w);
	TAP_OK(t,
	       eas_wbxml_finish(&w, &buf, &len, err, sizeof err) == -1 &&
		       strstr(err, "no root element"),
	       "writer: empty document (%s)", err);
	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_SYNC);
	eas_wbxml_writer_free(&w);
	TAP_OK(t, w.buf == NULL, "writer_free releases an unfinished document");
}

static void test_truncation(struct tap *t)
{
	const struct {
		const char *name;
		const unsigned char *b;
		size_t n;
	} docs[] = {
		{ "Sync example", spec_sync, sizeof spec_sync },
		{ "Provision response", spec_provision, sizeof spec_provision },
		{ "FolderSync response", spec_foldersync, sizeof spec_foldersync },
	};

	for (size_t d = 0; d < sizeof docs / sizeof docs[0]; d++) {
		size_t clean = 0;

		for (size_t cut = 0; cut < docs[d].n; cut++) {
			/* A copy of exactly cut bytes, so ASan sees any overread. */
			unsigned char *b = malloc(cut ? cut : 1);
			struct eas_wbxml_doc doc;
			char err[160] = "";

			memcpy(b, docs[d].b, cut);
			if (dec(b, cut, NULL, &doc, err, sizeof err) == -1 && !doc.root && err[0])
				clean++;
			else
				printf("# %s cut at %zu: '%s'\n", docs[d].name, cut, err);
			eas_wbxml_doc_free(&doc);
			free(b);
		}
		TAP_OK(t, clean == docs[d].n,
		       "%s truncated at each of its %zu offsets: a clean error each time",
		       docs[d].name, docs[d].n);
	}
	bad(t, "cut after the root's END", spec_sync, sizeof spec_sync - 1, NULL, "not closed");
	bad(t, "cut inside an inline string", spec_sync, 12, NULL,
	    "inline string at offset 8 is not terminated");
	BAD(t, "empty input", NULL, "empty document");
	BAD(t, "header only", NULL, "no root element", 0x03, 0x01, 0x6A, 0x00);
	BAD(t, "SWITCH_PAGE without page", NULL, "SWITCH_PAGE at offset 4 has no page", 0x03, 0x01,
	    0x6A, 0x00, 0x00);
	BAD(t, "charset cut inside its mb_u_int32", NULL, "charset at offset 2 ends early", 0x03,
	    0x01, 0xEA);
}

static void test_malformed(struct tap *t)
{
	struct eas_wbxml_limits small = { .max_depth = 4, .max_nodes = 5, .max_len = 64 };
	unsigned char *big;
	size_t n;

	BAD(t, "WBXML version 0x00", NULL, "unsupported WBXML version 0x00", 0x00, 0x01, 0x6A, 0x00,
	    0x05);
	BAD(t, "WBXML version 0x04", NULL, "unsupported WBXML version 0x04", 0x04, 0x01, 0x6A, 0x00,
	    0x05);
	BAD(t, "public id 2", NULL, "public identifier 2", 0x03, 0x02, 0x6A, 0x00, 0x05);
	BAD(t, "charset ISO-8859-1 (4)", NULL, "charset 4", 0x03, 0x01, 0x04, 0x00, 0x05);
	BAD(t, "string table past the end", NULL, "string table of 16 bytes", 0x03, 0x01, 0x6A,
	    0x10, 0x05);
	BAD(t, "public id index outside the string table", NULL, "index 4 is outside", 0x03, 0x00,
	    0x04, 0x6A, 0x02, 'a', 0x00, 0x05);
	BAD(t, "mb_u_int32 of 6 bytes", NULL, "longer than 5 bytes", 0x03, 0x01, 0x80, 0x80, 0x80,
	    0x80, 0x80, 0x6A, 0x00, 0x05);
	BAD(t, "mb_u_int32 above 32 bits", NULL, "does not fit 32 bits", 0x03, 0x01, 0x6A, 0x00,
	    0x45, 0xC3, 0x90, 0x80, 0x80, 0x80, 0x00, 0x01);
	BAD(t, "huge OPAQUE length", NULL,
	    "OPAQUE data at offset 5 (4294967295 bytes) runs past the end", 0x03, 0x01, 0x6A, 0x00,
	    0x45, 0xC3, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F, 0x01);
	BAD(t, "OPAQUE length one past the end", NULL, "(3 bytes) runs past the end", 0x03, 0x01,
	    0x6A, 0x00, 0x45, 0xC3, 0x03, 'a', 'b');
	BAD(t, "SWITCH_PAGE to page 26", NULL, "unknown code page 26 at offset 4", 0x03, 0x01, 0x6A,
	    0x00, 0x00, 0x1A, 0x05);
	BAD(t, "SWITCH_PAGE to page 255", NULL, "unknown code page 255", 0x03, 0x01, 0x6A, 0x00,
	    0x45, 0x00, 0xFF, 0x05, 0x01);
	BAD(t, "attribute flag on a tag", NULL, "unsupported WBXML token 0x85 at offset 4", 0x03,
	    0x01, 0x6A, 0x00, 0x85, 0x01);
	BAD(t, "attributes and content", NULL, "unsupported WBXML token 0xC5", 0x03, 0x01, 0x6A,
	    0x00, 0xC5, 0x01, 0x01);
	BAD(t, "string table reference STR_T", NULL, "unsupported WBXML token 0x83 at offset 7",
	    0x03, 0x01, 0x6A, 0x02, 'a', 0x00, 0x45, 0x83, 0x00, 0x01);
	BAD(t, "LITERAL", NULL, "unsupported WBXML token 0x04", 0x03, 0x01, 0x6A, 0x00, 0x04, 0x00);
	BAD(t, "ENTITY", NULL, "unsupported WBXML token 0x02", 0x03, 0x01, 0x6A, 0x00, 0x45, 0x02,
	    0x41, 0x01);
	BAD(t, "PI", NULL, "unsupported WBXML token 0x43", 0x03, 0x01, 0x6A, 0x00, 0x45, 0x43, 0x01,
	    0x01);
	BAD(t, "EXT_I_0", NULL, "unsupported WBXML token 0x40", 0x03, 0x01, 0x6A, 0x00, 0x45, 0x40,
	    'a', 0x00, 0x01);
	BAD(t, "EXT_T_0", NULL, "unsupported WBXML token 0x80", 0x03, 0x01, 0x6A, 0x00, 0x45, 0x80,
	    0x00, 0x01);
	BAD(t, "EXT_0", NULL, "unsupported WBXML token 0xC0", 0x03, 0x01, 0x6A, 0x00, 0x45, 0xC0,
	    0x01);
	BAD(t, "trailing END", NULL, "trailing bytes after the root element at offset 5", 0x03,
	    0x01, 0x6A, 0x00, 0x05, 0x01);
	BAD(t, "a second root element", NULL, "trailing bytes after the root element at offset 6",
	    0x03, 0x01, 0x6A, 0x00, 0x45, 0x01, 0x45, 0x01);
	BAD(t, "trailing NUL", NULL, "trailing bytes", 0x03, 0x01, 0x6A, 0x00, 0x45, 0x01, 0x00);
	BAD(t, "END with nothing open", NULL, "END at offset 4 closes no element", 0x03, 0x01, 0x6A,
	    0x00, 0x01);
	BAD(t, "text before the root", NULL, "text outside the root element", 0x03, 0x01, 0x6A,
	    0x00, 0x03, 'a', 0x00);
	BAD(t, "opaque before the root", NULL, "opaque data outside", 0x03, 0x01, 0x6A, 0x00, 0xC3,
	    0x00);
	BAD(t, "unclosed elements", NULL, "2 elements not closed", 0x03, 0x01, 0x6A, 0x00, 0x45,
	    0x46);
	BAD(t, "text then a child", NULL,
	    "AirSync:Sync mixes child elements and content at offset 7", 0x03, 0x01, 0x6A, 0x00,
	    0x45, 0x03, 0x00, 0x05, 0x01);
	BAD(t, "a child then text", NULL, "mixes child elements and content at offset 6", 0x03,
	    0x01, 0x6A, 0x00, 0x45, 0x05, 0x03, 'a', 0x00, 0x01);
	BAD(t, "text then opaque", NULL, "mixes text and opaque data", 0x03, 0x01, 0x6A, 0x00, 0x45,
	    0x03, 'a', 0x00, 0xC3, 0x01, 'b', 0x01);
	BAD(t, "nested deeper than 4", &small, "nested deeper than 4 at offset 8", 0x03, 0x01, 0x6A,
	    0x00, 0x45, 0x45, 0x45, 0x45, 0x05, 0x01, 0x01, 0x01, 0x01);
	BAD(t, "more than 5 elements", &small, "more than 5 elements", 0x03, 0x01, 0x6A, 0x00, 0x45,
	    0x05, 0x05, 0x05, 0x05, 0x05, 0x01);
	BAD(t, "longer than max_len", &small, "of 65 bytes exceeds the limit of 64 bytes", 0x03,
	    0x01, 0x6A, 0x00, 0x45, 0xC3, 57, [64] = 0x01);

	/* Default limits: a depth bomb and an element flood. */
	n = 4 + 10000 * 2;
	big = calloc(1, n);
	memcpy(big, "\x03\x01\x6A\x00", 4);
	memset(big + 4, 0x45, 10000);
	memset(big + 4 + 10000, 0x01, 10000);
	bad(t, "10000 nested elements, default limits", big, n, NULL, "nested deeper than 32");
	free(big);
	n = 4 + 1 + 100001 + 1;
	big = malloc(n);
	memcpy(big, "\x03\x01\x6A\x00\x45", 5);
	memset(big + 5, 0x05, 100001);
	big[n - 1] = 0x01;
	bad(t, "100002 elements, default limits", big, n, NULL, "more than 100000 elements");
	free(big);
	n = 1024 * 1024 + 1;
	big = calloc(1, n);
	bad(t, "1 MiB + 1 byte, default limits", big, n, NULL,
	    "exceeds the limit of 1048576 bytes");
	free(big);
}

static void test_accepted(struct tap *t)
{
	/* Public id 0: the identifier is string 0 of a 3-byte string table. */
	static const unsigned char strtbl[] = {
		0x03, 0x00, 0x00, 0x6A, 0x03, 'a', 'b', 0x00, 0x00, 0x0E, 0x05,
	};
	static const unsigned char v11[] = { 0x01, 0x01, 0x6A, 0x00, 0x05 };
	static const unsigned char pieces[] = {
		0x03, 0x01, 0x6A, 0x00, 0x45, 0x03, 'a',  'b',
		0x00, 0x03, 0x00, 0x03, 'c',  0x00, 0x01,
	};
	static const unsigned char unknown[] = {
		0x03, 0x01, 0x6A, 0x00, 0x00, 0x0E, 0x45, 0x7F, 0x03, 'x', 0x00, 0x01, 0x3E, 0x01,
	};
	static const unsigned char empty_content[] = { 0x03, 0x01, 0x6A, 0x00, 0x45, 0x01 };
	struct eas_wbxml_doc doc;
	char err[160];
	char *dump;

	TAP_OK(t,
	       dec(strtbl, sizeof strtbl, NULL, &doc, err, sizeof err) == 0 &&
		       doc.root->page == PROV && doc.root->tag == EAS_WB_PROVISION_PROVISION,
	       "public id in the string table: the table is skipped (%s)", err);
	eas_wbxml_doc_free(&doc);
	TAP_OK(t, dec(v11, sizeof v11, NULL, &doc, err, sizeof err) == 0, "WBXML 1.1 is accepted");
	eas_wbxml_doc_free(&doc);
	TAP_OK(t,
	       dec(pieces, sizeof pieces, NULL, &doc, err, sizeof err) == 0 &&
		       !strcmp(str_at(doc.root), "abc") && doc.root->len == 3,
	       "consecutive inline strings join into one text");
	eas_wbxml_doc_free(&doc);
	TAP_OK(t,
	       dec(empty_content, sizeof empty_content, NULL, &doc, err, sizeof err) == 0 &&
		       !doc.root->data && !doc.root->child,
	       "a content flag with no content: empty element");
	eas_wbxml_doc_free(&doc);
	TAP_OK(t,
	       dec(unknown, sizeof unknown, NULL, &doc, err, sizeof err) == 0 && doc.root->child &&
		       doc.root->child->tag == 0x3F && doc.root->child->next &&
		       doc.root->child->next->tag == 0x3E,
	       "unknown tags in a known page are accepted (%s)", err);
	dump = eas_wbxml_dump(doc.root);
	TAP_OK(t,
	       dump && strstr(dump, "  <Provision:unknown_0x3F>x</Provision:unknown_0x3F>\n") &&
		       strstr(dump, "  <Provision:unknown_0x3E/>\n"),
	       "... and dumped as unknown_0xNN");
	free(dump);
	eas_wbxml_doc_free(&doc);
	TAP_OK(t, eas_wbxml_decode(spec_sync, sizeof spec_sync, NULL, &doc, NULL, 0) == 0,
	       "err may be NULL with errlen 0");
	eas_wbxml_doc_free(&doc);
	eas_wbxml_doc_free(&doc);
	TAP_OK(t, doc.root == NULL, "doc_free twice is harmless");
}

static void test_dump(struct tap *t)
{
	static const unsigned char bin[300] = { 1, 2, 3 };
	char longtext[2001];
	struct eas_wbxml_writer w;
	struct eas_wbxml_doc doc;
	unsigned char *buf;
	size_t len;
	char err[160], *dump;

	memset(longtext, 'x', 2000);
	longtext[2000] = 0;
	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_SETTINGS);
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_DEVICEPASSWORD);
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_SET);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_PASSWORD, "hunter2-device");
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_PASSWORD, "hunter2-plain");
	eas_wbxml_text(&w, EAS_WB_PAGE_ITEMOPERATIONS, 0x15, "hunter2-itemops");
	eas_wbxml_opaque(&w, EAS_WB_PAGE_SEARCH, 0x1F, "hunter2-search", 14);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_MODEL, "a<b>&c\\ \x01\n\xff \xc3\xa9 \xed\xa0\x80");
	eas_wbxml_opaque(&w, SET, EAS_WB_SETTINGS_IMEI, bin, sizeof bin);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_OS, longtext);
	eas_wbxml_empty(&w, SET, EAS_WB_SETTINGS_GET);
	eas_wbxml_close(&w);
	if (eas_wbxml_finish(&w, &buf, &len, err, sizeof err) ||
	    dec(buf, len, NULL, &doc, err, sizeof err)) {
		TAP_OK(t, 0, "dump document builds (%s)", err);
		return;
	}
	free(buf);
	dump = eas_wbxml_dump(doc.root);
	TAP_OK(t, dump && !strstr(dump, "hunter2"), "dump: no password appears");
	TAP_OK(t,
	       dump && strstr(dump, "<Settings:Settings>\n"
				    "  <Settings:DevicePassword>\n"
				    "    <Settings:Set>\n"
				    "      <Settings:Password>****</Settings:Password>\n"
				    "    </Settings:Set>\n"
				    "  </Settings:DevicePassword>\n"
				    "  <Settings:Password>****</Settings:Password>\n"
				    "  <ItemOperations:Password>****</ItemOperations:Password>\n"
				    "  <Search:Password>****</Search:Password>\n"),
	       "dump: indented, namespaced, passwords masked (also opaque ones)");
	TAP_OK(t,
	       dump && strstr(dump,
			      "<Settings:Model>a&lt;b&gt;&amp;c\\\\ \\x01\\x0A\\xFF \xc3\xa9 \\xED\\xA0\\x80</Settings:Model>\n"),
	       "dump: text escaped, control bytes and invalid UTF-8 as \\xNN, valid UTF-8 kept");
	TAP_OK(t, dump && strstr(dump, "  <Settings:IMEI>[300 bytes]</Settings:IMEI>\n"),
	       "dump: opaque as [N bytes]");
	TAP_OK(t, dump && strstr(dump, "xxx...[2000 bytes]</Settings:OS>\n") && strlen(dump) < 2000,
	       "dump: long text cut, its size shown");
	TAP_OK(t, dump && strstr(dump, "  <Settings:Get/>\n</Settings:Settings>\n"),
	       "dump: empty element and the closing root");
	free(dump);
	eas_wbxml_doc_free(&doc);
	dump = eas_wbxml_dump(NULL);
	TAP_OK(t, dump && !*dump, "dump of no tree is empty text");
	free(dump);
}

/* A deep tree dumps without recursion: 1000 levels with raised limits. */
static void test_deep_dump(struct tap *t)
{
	struct eas_wbxml_limits lim = { .max_depth = 5000 };
	struct eas_wbxml_doc doc;
	size_t n = 4 + 2000, lines = 0;
	unsigned char *b = malloc(n);
	char err[160], *dump;

	memcpy(b, "\x03\x01\x6A\x00", 4);
	memset(b + 4, 0x45, 1000);
	memset(b + 4 + 1000, 0x01, 1000);
	TAP_OK(t, dec(b, n, &lim, &doc, err, sizeof err) == 0,
	       "1000 levels decode with max_depth 5000 (%s)", err);
	dump = eas_wbxml_dump(doc.root);
	for (char *p = dump; p && *p; p++)
		lines += *p == '\n';
	TAP_OK(t, dump && lines == 1999, "... and dump as 1999 lines");
	free(dump);
	eas_wbxml_doc_free(&doc);
	free(b);
}

static void test_names(struct tap *t)
{
	static const struct {
		int page, tag;
		const char *name;
	} constants[] = {
		{ AS, EAS_WB_AIRSYNC_SYNC, "Sync" },
		{ AS, EAS_WB_AIRSYNC_COLLECTIONS, "Collections" },
		{ AS, EAS_WB_AIRSYNC_COLLECTION, "Collection" },
		{ AS, EAS_WB_AIRSYNC_SYNCKEY, "SyncKey" },
		{ AS, EAS_WB_AIRSYNC_COLLECTIONID, "CollectionId" },
		{ AS, EAS_WB_AIRSYNC_STATUS, "Status" },
		{ AS, EAS_WB_AIRSYNC_CLASS, "Class" },
		{ AS, EAS_WB_AIRSYNC_GETCHANGES, "GetChanges" },
		{ AS, EAS_WB_AIRSYNC_WINDOWSIZE, "WindowSize" },
		{ AS, EAS_WB_AIRSYNC_COMMANDS, "Commands" },
		{ AS, EAS_WB_AIRSYNC_ADD, "Add" },
		{ AS, EAS_WB_AIRSYNC_SERVERID, "ServerId" },
		{ AS, EAS_WB_AIRSYNC_APPLICATIONDATA, "ApplicationData" },
		{ AS, EAS_WB_AIRSYNC_MOREAVAILABLE, "MoreAvailable" },
		{ AS, EAS_WB_AIRSYNC_OPTIONS, "Options" },
		{ AS, EAS_WB_AIRSYNC_RESPONSES, "Responses" },
		{ AS, EAS_WB_AIRSYNC_FILTERTYPE, "FilterType" },
		{ AS, EAS_WB_AIRSYNC_HEARTBEATINTERVAL, "HeartbeatInterval" },
		{ FH, EAS_WB_FH_FOLDERSYNC, "FolderSync" },
		{ FH, EAS_WB_FH_STATUS, "Status" },
		{ FH, EAS_WB_FH_SYNCKEY, "SyncKey" },
		{ FH, EAS_WB_FH_CHANGES, "Changes" },
		{ FH, EAS_WB_FH_COUNT, "Count" },
		{ FH, EAS_WB_FH_ADD, "Add" },
		{ FH, EAS_WB_FH_SERVERID, "ServerId" },
		{ FH, EAS_WB_FH_PARENTID, "ParentId" },
		{ FH, EAS_WB_FH_DISPLAYNAME, "DisplayName" },
		{ FH, EAS_WB_FH_TYPE, "Type" },
		{ PROV, EAS_WB_PROVISION_PROVISION, "Provision" },
		{ PROV, EAS_WB_PROVISION_POLICIES, "Policies" },
		{ PROV, EAS_WB_PROVISION_POLICY, "Policy" },
		{ PROV, EAS_WB_PROVISION_POLICYTYPE, "PolicyType" },
		{ PROV, EAS_WB_PROVISION_POLICYKEY, "PolicyKey" },
		{ PROV, EAS_WB_PROVISION_DATA, "Data" },
		{ PROV, EAS_WB_PROVISION_STATUS, "Status" },
		{ PROV, EAS_WB_PROVISION_REMOTEWIPE, "RemoteWipe" },
		{ PROV, EAS_WB_PROVISION_EASPROVISIONDOC, "EASProvisionDoc" },
		{ PROV, EAS_WB_PROVISION_DEVICEPASSWORDENABLED, "DevicePasswordEnabled" },
		{ PROV, EAS_WB_PROVISION_MAXINACTIVITYTIMEDEVICELOCK,
		  "MaxInactivityTimeDeviceLock" },
		{ PROV, EAS_WB_PROVISION_ALLOWSMIMEENCRYPTIONALGORITHMNEGOTIATION,
		  "AllowSMIMEEncryptionAlgorithmNegotiation" },
		{ PROV, EAS_WB_PROVISION_HASH, "Hash" },
		{ PROV, EAS_WB_PROVISION_ACCOUNTONLYREMOTEWIPE, "AccountOnlyRemoteWipe" },
		{ SET, EAS_WB_SETTINGS_SETTINGS, "Settings" },
		{ SET, EAS_WB_SETTINGS_STATUS, "Status" },
		{ SET, EAS_WB_SETTINGS_GET, "Get" },
		{ SET, EAS_WB_SETTINGS_SET, "Set" },
		{ SET, EAS_WB_SETTINGS_USERINFORMATION, "UserInformation" },
		{ SET, EAS_WB_SETTINGS_EMAILADDRESSES, "EmailAddresses" },
		{ SET, EAS_WB_SETTINGS_PRIMARYSMTPADDRESS, "PrimarySmtpAddress" },
		{ SET, EAS_WB_SETTINGS_SMTPADDRESS, "SmtpAddress" },
		{ SET, EAS_WB_SETTINGS_ACCOUNTS, "Accounts" },
		{ SET, EAS_WB_SETTINGS_ACCOUNT, "Account" },
		{ SET, EAS_WB_SETTINGS_DEVICEINFORMATION, "DeviceInformation" },
		{ SET, EAS_WB_SETTINGS_MODEL, "Model" },
		{ SET, EAS_WB_SETTINGS_IMEI, "IMEI" },
		{ SET, EAS_WB_SETTINGS_FRIENDLYNAME, "FriendlyName" },
		{ SET, EAS_WB_SETTINGS_OS, "OS" },
		{ SET, EAS_WB_SETTINGS_OSLANGUAGE, "OSLanguage" },
		{ SET, EAS_WB_SETTINGS_PHONENUMBER, "PhoneNumber" },
		{ SET, EAS_WB_SETTINGS_USERAGENT, "UserAgent" },
		{ SET, EAS_WB_SETTINGS_MOBILEOPERATOR, "MobileOperator" },
		{ SET, EAS_WB_SETTINGS_ENABLEOUTBOUNDSMS, "EnableOutboundSMS" },
		{ SET, EAS_WB_SETTINGS_PASSWORD, "Password" },
		{ SET, EAS_WB_SETTINGS_DEVICEPASSWORD, "DevicePassword" },
		{ SET, EAS_WB_SETTINGS_USERDISPLAYNAME, "UserDisplayName" },
		{ EAS_WB_PAGE_GETITEMESTIMATE, EAS_WB_GIE_GETITEMESTIMATE, "GetItemEstimate" },
		{ EAS_WB_PAGE_GETITEMESTIMATE, EAS_WB_GIE_COLLECTIONS, "Collections" },
		{ EAS_WB_PAGE_GETITEMESTIMATE, EAS_WB_GIE_COLLECTION, "Collection" },
		{ EAS_WB_PAGE_GETITEMESTIMATE, EAS_WB_GIE_COLLECTIONID, "CollectionId" },
		{ EAS_WB_PAGE_GETITEMESTIMATE, EAS_WB_GIE_ESTIMATE, "Estimate" },
		{ EAS_WB_PAGE_GETITEMESTIMATE, EAS_WB_GIE_RESPONSE, "Response" },
		{ EAS_WB_PAGE_GETITEMESTIMATE, EAS_WB_GIE_STATUS, "Status" },
		{ ASB, EAS_WB_AIRSYNCBASE_BODYPREFERENCE, "BodyPreference" },
		{ ASB, EAS_WB_AIRSYNCBASE_TYPE, "Type" },
		{ ASB, EAS_WB_AIRSYNCBASE_TRUNCATIONSIZE, "TruncationSize" },
		{ ASB, EAS_WB_AIRSYNCBASE_NATIVEBODYTYPE, "NativeBodyType" },
	};
	static const char *const page_names[EAS_WB_NPAGES] = {
		"AirSync",
		"Contacts",
		"Email",
		"AirNotify",
		"Calendar",
		"Move",
		"GetItemEstimate",
		"FolderHierarchy",
		"MeetingResponse",
		"Tasks",
		"ResolveRecipients",
		"ValidateCert",
		"Contacts2",
		"Ping",
		"Provision",
		"Search",
		"GAL",
		"AirSyncBase",
		"Settings",
		"DocumentLibrary",
		"ItemOperations",
		"ComposeMail",
		"Email2",
		"Notes",
		"RightsManagement",
		"Find",
	};
	size_t wrong = 0, named = 0, roundtrip = 0;
	int page, tag, pages_ok = 1;

	for (size_t i = 0; i < sizeof constants / sizeof constants[0]; i++) {
		const char *n = eas_wbxml_tag_name(constants[i].page, constants[i].tag);

		if (!n || strcmp(n, constants[i].name)) {
			printf("# page %d tag 0x%02X is %s, not %s\n", constants[i].page,
			       constants[i].tag, n ? n : "(none)", constants[i].name);
			wrong++;
		}
	}
	TAP_OK(t, wrong == 0, "the %zu constants of wbxml.h name their tags",
	       sizeof constants / sizeof constants[0]);
	for (int p = 0; p < EAS_WB_NPAGES; p++)
		pages_ok &=
			eas_wbxml_page_name(p) && !strcmp(eas_wbxml_page_name(p), page_names[p]);
	TAP_OK(t, pages_ok && !eas_wbxml_page_name(-1) && !eas_wbxml_page_name(26),
	       "code pages 0..25 by name; -1 and 26 unknown");
	/* Every name leads back to its token: no name twice in a page. */
	for (int p = 0; p < EAS_WB_NPAGES; p++) {
		for (int k = 0; k < 64; k++) {
			const char *n = eas_wbxml_tag_name(p, k);

			if (!n)
				continue;
			named++;
			if (eas_wbxml_tag_lookup(page_names[p], n, &page, &tag) == 0 && page == p &&
			    tag == k)
				roundtrip++;
			else
				printf("# %s:%s does not look up as 0x%02X\n", page_names[p], n, k);
		}
	}
	TAP_OK(t, named > 500 && roundtrip == named, "all %zu tag names look up to their own token",
	       named);
	TAP_OK(t,
	       eas_wbxml_tag_lookup("Provision", "PolicyKey", &page, &tag) == 0 && page == PROV &&
		       tag == 0x09,
	       "lookup Provision:PolicyKey");
	TAP_OK(t,
	       eas_wbxml_tag_lookup("Provision", "RequireStorageCardEncryption", &page, &tag) ==
			       0 &&
		       page == PROV && tag == 0x10 &&
		       !strcmp(eas_wbxml_tag_name(PROV, 0x10), "DeviceEncryptionEnabled"),
	       "a second name for a token looks up, the first one prints");
	TAP_OK(t,
	       eas_wbxml_tag_lookup("Provision", "Nope", &page, &tag) == -1 &&
		       eas_wbxml_tag_lookup("Nope", "Status", &page, &tag) == -1 &&
		       eas_wbxml_tag_lookup("provision", "PolicyKey", &page, &tag) == -1,
	       "unknown names do not look up (names are case-sensitive)");
	TAP_OK(t,
	       !eas_wbxml_tag_name(PROV, 0x04) && !eas_wbxml_tag_name(PROV, 0x40) &&
		       !eas_wbxml_tag_name(PROV, 0x3C) && !eas_wbxml_tag_name(26, 0x05) &&
		       !eas_wbxml_tag_name(-1, 0x05),
	       "no names outside the tables");
}

int main(void)
{
	struct tap t = { 0 };

	test_spec_examples(&t);
	test_writer(&t);
	test_truncation(&t);
	test_malformed(&t);
	test_accepted(&t);
	test_dump(&t);
	test_deep_dump(&t);
	test_names(&t);
	return tap_done(&t);
}
