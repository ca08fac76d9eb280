/* wbxml-tool - test helper for common/wbxml, compared with libwbxml2 by
 * t/60-wbxml-oracle.t:
 *   wbxml-tool list           names of the requests it can encode
 *   wbxml-tool encode NAME    the request as WBXML on stdout
 *   wbxml-tool page N         every named tag of code page N, as WBXML
 *   wbxml-tool decode [FILE]  WBXML (stdin) -> eas_wbxml_dump on stdout
 *   wbxml-tool canon [FILE]   WBXML (stdin) -> one "Page:Tag[=text]" line
 *                             per element, indented two spaces a level
 * Errors go to stderr, with exit status 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eas/eassteps.h"
#include "eas/wbxml.h"

#define AS EAS_WB_PAGE_AIRSYNC
#define ASB EAS_WB_PAGE_AIRSYNCBASE
#define FH EAS_WB_PAGE_FOLDERHIERARCHY
#define GIE EAS_WB_PAGE_GETITEMESTIMATE
#define PROV EAS_WB_PAGE_PROVISION
#define SET EAS_WB_PAGE_SETTINGS

static void device_information(struct eas_wbxml_writer *w)
{
	eas_wbxml_open(w, SET, EAS_WB_SETTINGS_DEVICEINFORMATION);
	eas_wbxml_open(w, SET, EAS_WB_SETTINGS_SET);
	eas_wbxml_text(w, SET, EAS_WB_SETTINGS_MODEL, "check-eas");
	eas_wbxml_text(w, SET, EAS_WB_SETTINGS_IMEI, "123456789012345");
	eas_wbxml_text(w, SET, EAS_WB_SETTINGS_FRIENDLYNAME, "Monitoring <probe> & co");
	eas_wbxml_text(w, SET, EAS_WB_SETTINGS_OS, "Linux");
	eas_wbxml_text(w, SET, EAS_WB_SETTINGS_OSLANGUAGE, "English");
	eas_wbxml_text(w, SET, EAS_WB_SETTINGS_PHONENUMBER, "+4930123456");
	eas_wbxml_text(w, SET, EAS_WB_SETTINGS_USERAGENT, "check-eas/1.0");
	eas_wbxml_text(w, SET, EAS_WB_SETTINGS_MOBILEOPERATOR, "None");
	eas_wbxml_text(w, SET, EAS_WB_SETTINGS_ENABLEOUTBOUNDSMS, "0");
	eas_wbxml_close(w);
	eas_wbxml_close(w);
}

/* Provision phase 1 (download) without a key, phase 2 (acknowledge) with. */
static void provision(struct eas_wbxml_writer *w, int phase, int devinfo)
{
	eas_wbxml_open(w, PROV, EAS_WB_PROVISION_PROVISION);
	if (devinfo)
		device_information(w);
	eas_wbxml_open(w, PROV, EAS_WB_PROVISION_POLICIES);
	eas_wbxml_open(w, PROV, EAS_WB_PROVISION_POLICY);
	eas_wbxml_text(w, PROV, EAS_WB_PROVISION_POLICYTYPE, "MS-EAS-Provisioning-WBXML");
	if (phase == 2) {
		eas_wbxml_text(w, PROV, EAS_WB_PROVISION_POLICYKEY, "1307199584");
		eas_wbxml_text(w, PROV, EAS_WB_PROVISION_STATUS, "1");
	}
	eas_wbxml_close(w);
	eas_wbxml_close(w);
	eas_wbxml_close(w);
}

static void req_prov1(struct eas_wbxml_writer *w)
{
	provision(w, 1, 0);
}
static void req_prov1_dev(struct eas_wbxml_writer *w)
{
	provision(w, 1, 1);
}
static void req_prov2(struct eas_wbxml_writer *w)
{
	provision(w, 2, 0);
}
static void req_prov2_dev(struct eas_wbxml_writer *w)
{
	provision(w, 2, 1);
}

static void req_foldersync(struct eas_wbxml_writer *w)
{
	eas_wbxml_open(w, FH, EAS_WB_FH_FOLDERSYNC);
	eas_wbxml_text(w, FH, EAS_WB_FH_SYNCKEY, "0");
	eas_wbxml_close(w);
}

static void req_userinfo(struct eas_wbxml_writer *w)
{
	eas_wbxml_open(w, SET, EAS_WB_SETTINGS_SETTINGS);
	eas_wbxml_open(w, SET, EAS_WB_SETTINGS_USERINFORMATION);
	eas_wbxml_empty(w, SET, EAS_WB_SETTINGS_GET);
	eas_wbxml_close(w);
	eas_wbxml_close(w);
}

static void sync(struct eas_wbxml_writer *w, const char *key, int window)
{
	eas_wbxml_open(w, AS, EAS_WB_AIRSYNC_SYNC);
	eas_wbxml_open(w, AS, EAS_WB_AIRSYNC_COLLECTIONS);
	eas_wbxml_open(w, AS, EAS_WB_AIRSYNC_COLLECTION);
	eas_wbxml_text(w, AS, EAS_WB_AIRSYNC_SYNCKEY, key);
	eas_wbxml_text(w, AS, EAS_WB_AIRSYNC_COLLECTIONID, "5");
	if (window) {
		eas_wbxml_empty(w, AS, EAS_WB_AIRSYNC_GETCHANGES);
		eas_wbxml_text(w, AS, EAS_WB_AIRSYNC_WINDOWSIZE, "1");
		eas_wbxml_open(w, AS, EAS_WB_AIRSYNC_OPTIONS);
		eas_wbxml_text(w, AS, EAS_WB_AIRSYNC_FILTERTYPE, "3");
		eas_wbxml_open(w, ASB, EAS_WB_AIRSYNCBASE_BODYPREFERENCE);
		eas_wbxml_text(w, ASB, EAS_WB_AIRSYNCBASE_TYPE, "1");
		eas_wbxml_text(w, ASB, EAS_WB_AIRSYNCBASE_TRUNCATIONSIZE, "200");
		eas_wbxml_close(w);
		eas_wbxml_close(w);
	}
	eas_wbxml_close(w);
	eas_wbxml_close(w);
	eas_wbxml_close(w);
}

static void req_sync0(struct eas_wbxml_writer *w)
{
	sync(w, "0", 0);
}
static void req_sync1(struct eas_wbxml_writer *w)
{
	sync(w, "1757403316", 1);
}

static void req_estimate(struct eas_wbxml_writer *w)
{
	eas_wbxml_open(w, GIE, EAS_WB_GIE_GETITEMESTIMATE);
	eas_wbxml_open(w, GIE, EAS_WB_GIE_COLLECTIONS);
	eas_wbxml_open(w, GIE, EAS_WB_GIE_COLLECTION);
	eas_wbxml_text(w, AS, EAS_WB_AIRSYNC_SYNCKEY, "1757403316");
	eas_wbxml_text(w, GIE, EAS_WB_GIE_COLLECTIONID, "5");
	eas_wbxml_open(w, AS, EAS_WB_AIRSYNC_OPTIONS);
	eas_wbxml_text(w, AS, EAS_WB_AIRSYNC_FILTERTYPE, "3");
	eas_wbxml_close(w);
	eas_wbxml_close(w);
	eas_wbxml_close(w);
	eas_wbxml_close(w);
}

/* The requests check_eas_sync sends, made by its own code (eassteps). */
static const struct eas_devinfo plugin_info = {
	"check-eas",
	"check-eas monitoring",
	"check-eas",
	"check-eas/0.1.0",
};
static void plug_prov1(struct eas_wbxml_writer *w)
{
	eas_wbxml_writer_free(w); /* the builder starts its own document */
	eas_provision_body(w, NULL, NULL);
}
static void plug_prov1_dev(struct eas_wbxml_writer *w)
{
	eas_wbxml_writer_free(w); /* the builder starts its own document */
	eas_provision_body(w, NULL, &plugin_info);
}
static void plug_prov2(struct eas_wbxml_writer *w)
{
	eas_wbxml_writer_free(w); /* the builder starts its own document */
	eas_provision_body(w, "1307199584", &plugin_info);
}
static void plug_foldersync(struct eas_wbxml_writer *w)
{
	eas_wbxml_writer_free(w); /* the builder starts its own document */
	eas_foldersync_body(w, "0");
}
static void plug_settings(struct eas_wbxml_writer *w)
{
	eas_wbxml_writer_free(w); /* the builder starts its own document */
	eas_settings_body(w);
}
static void plug_sync0(struct eas_wbxml_writer *w)
{
	eas_wbxml_writer_free(w); /* the builder starts its own document */
	eas_sync_body(w, "0", "5", NULL, 1, NULL, 0);
}
static void plug_sync1(struct eas_wbxml_writer *w)
{
	eas_wbxml_writer_free(w); /* the builder starts its own document */
	eas_sync_body(w, "s1", "5", NULL, 1, NULL, 0);
}
static void plug_sync1_12(struct eas_wbxml_writer *w)
{
	eas_wbxml_writer_free(w); /* the builder starts its own document */
	eas_sync_body(w, "s1", "5", "Email", 1, NULL, 0);
}
static void plug_estimate(struct eas_wbxml_writer *w)
{
	eas_wbxml_writer_free(w); /* the builder starts its own document */
	eas_estimate_body(w, "s1", "5", NULL);
}
static void plug_estimate_12(struct eas_wbxml_writer *w)
{
	eas_wbxml_writer_free(w); /* the builder starts its own document */
	eas_estimate_body(w, "s1", "5", "Email");
}

static const struct {
	const char *name;
	void (*write)(struct eas_wbxml_writer *w);
} requests[] = {
	{ "plugin-provision1", plug_prov1 },  { "plugin-provision1-devinfo", plug_prov1_dev },
	{ "plugin-provision2", plug_prov2 },  { "plugin-foldersync", plug_foldersync },
	{ "plugin-settings", plug_settings }, { "plugin-sync0", plug_sync0 },
	{ "plugin-sync1", plug_sync1 },       { "plugin-sync1-12", plug_sync1_12 },
	{ "plugin-estimate", plug_estimate }, { "plugin-estimate-12", plug_estimate_12 },
	{ "provision1", req_prov1 },          { "provision1-devinfo", req_prov1_dev },
	{ "provision2", req_prov2 },          { "provision2-devinfo", req_prov2_dev },
	{ "foldersync0", req_foldersync },    { "settings-userinfo", req_userinfo },
	{ "sync-initial", req_sync0 },        { "sync-window1", req_sync1 },
	{ "getitemestimate", req_estimate },
};

/* Every named tag of one code page, as empty children of AirSync:Sync,
 * to compare our tables with another implementation's. */
static int encode_page(const char *arg)
{
	struct eas_wbxml_writer w;
	unsigned char *buf;
	size_t len;
	char err[128];
	int page = atoi(arg);

	if (!eas_wbxml_page_name(page)) {
		fprintf(stderr, "wbxml-tool: no code page %s\n", arg);
		return 1;
	}
	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_SYNC);
	for (int tag = 0x05; tag <= 0x3F; tag++)
		if (eas_wbxml_tag_name(page, tag))
			eas_wbxml_empty(&w, page, tag);
	eas_wbxml_close(&w);
	if (eas_wbxml_finish(&w, &buf, &len, err, sizeof err)) {
		fprintf(stderr, "wbxml-tool: page %d: %s\n", page, err);
		return 1;
	}
	fwrite(buf, 1, len, stdout);
	free(buf);
	return 0;
}

static int encode(const char *name)
{
	struct eas_wbxml_writer w;
	unsigned char *buf;
	size_t len;
	char err[128];

	for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++) {
		if (strcmp(requests[i].name, name))
			continue;
		eas_wbxml_writer_init(&w);
		requests[i].write(&w);
		if (eas_wbxml_finish(&w, &buf, &len, err, sizeof err)) {
			fprintf(stderr, "wbxml-tool: %s: %s\n", name, err);
			return 1;
		}
		fwrite(buf, 1, len, stdout);
		free(buf);
		return 0;
	}
	fprintf(stderr, "wbxml-tool: no request named '%s'\n", name);
	return 1;
}

static unsigned char *read_all(FILE *f, size_t *len)
{
	size_t cap = 4096, n = 0, got;
	unsigned char *buf = malloc(cap), *p;

	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
			cap *= 2;
		}
	}
	*len = n;
	return buf;
}

static void canon(const struct eas_wbxml_node *n, int depth)
{
	for (; n; n = n->next) {
		const char *page = eas_wbxml_page_name(n->page);
		const char *tag = eas_wbxml_tag_name(n->page, n->tag);

		printf("%*s%s:", depth * 2, "", page);
		if (tag)
			printf("%s", tag);
		else
			printf("unknown_0x%02X", n->tag);
		if (n->opaque) {
			printf("=#");
			for (size_t i = 0; i < n->len; i++)
				printf("%02x", n->data[i]);
		} else if (n->data) {
			printf("=%s", (const char *)n->data);
		}
		printf("\n");
		canon(n->child, depth + 1);
	}
}

static int decode(int as_canon, const char *path)
{
	struct eas_wbxml_doc doc;
	unsigned char *buf;
	size_t len;
	char err[160], *text;
	FILE *f = path ? fopen(path, "rb") : stdin;

	if (!f) {
		perror(path);
		return 1;
	}
	buf = read_all(f, &len);
	if (f != stdin)
		fclose(f);
	if (!buf) {
		fprintf(stderr, "wbxml-tool: out of memory\n");
		return 1;
	}
	if (eas_wbxml_decode(buf, len, NULL, &doc, err, sizeof err)) {
		fprintf(stderr, "wbxml-tool: %s\n", err);
		free(buf);
		return 1;
	}
	free(buf);
	if (as_canon) {
		canon(doc.root, 0);
	} else {
		text = eas_wbxml_dump(doc.root);
		fputs(text ? text : "", stdout);
		free(text);
	}
	eas_wbxml_doc_free(&doc);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "list")) {
		for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++)
			printf("%s\n", requests[i].name);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "encode"))
		return encode(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "page"))
		return encode_page(argv[2]);
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "decode"))
		return decode(0, argv[2]);
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "canon"))
		return decode(1, argv[2]);
	fprintf(stderr,
		"usage: wbxml-tool list | encode NAME | page N | decode [FILE] | canon [FILE]\n");
	return 2;
}
