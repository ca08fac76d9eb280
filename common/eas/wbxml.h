/* WBXML as ActiveSync uses it ([MS-ASWBXML]): tags, code pages, inline
 * strings and opaque data; no attributes, entities, string table references
 * or processing instructions. A small writer for requests and a strict,
 * bounded decoder for responses. Needs only libc, so it can be tested and
 * fuzzed on its own. */
#ifndef EAS_WBXML_H
#define EAS_WBXML_H

#include <stdbool.h>
#include <stddef.h>

/* Code pages ([MS-ASWBXML] 2.1.2.1). */
enum eas_wb_page {
	EAS_WB_PAGE_AIRSYNC = 0,
	EAS_WB_PAGE_CONTACTS = 1,
	EAS_WB_PAGE_EMAIL = 2,
	EAS_WB_PAGE_AIRNOTIFY = 3,
	EAS_WB_PAGE_CALENDAR = 4,
	EAS_WB_PAGE_MOVE = 5,
	EAS_WB_PAGE_GETITEMESTIMATE = 6,
	EAS_WB_PAGE_FOLDERHIERARCHY = 7,
	EAS_WB_PAGE_MEETINGRESPONSE = 8,
	EAS_WB_PAGE_TASKS = 9,
	EAS_WB_PAGE_RESOLVERECIPIENTS = 10,
	EAS_WB_PAGE_VALIDATECERT = 11,
	EAS_WB_PAGE_CONTACTS2 = 12,
	EAS_WB_PAGE_PING = 13,
	EAS_WB_PAGE_PROVISION = 14,
	EAS_WB_PAGE_SEARCH = 15,
	EAS_WB_PAGE_GAL = 16,
	EAS_WB_PAGE_AIRSYNCBASE = 17,
	EAS_WB_PAGE_SETTINGS = 18,
	EAS_WB_PAGE_DOCUMENTLIBRARY = 19,
	EAS_WB_PAGE_ITEMOPERATIONS = 20,
	EAS_WB_PAGE_COMPOSEMAIL = 21,
	EAS_WB_PAGE_EMAIL2 = 22,
	EAS_WB_PAGE_NOTES = 23,
	EAS_WB_PAGE_RIGHTSMANAGEMENT = 24,
	EAS_WB_PAGE_FIND = 25,
	EAS_WB_NPAGES
};

/* Tag tokens, without the content flag 0x40. */
enum {
	/* Code page 0: AirSync */
	EAS_WB_AIRSYNC_SYNC = 0x05,
	EAS_WB_AIRSYNC_RESPONSES = 0x06,
	EAS_WB_AIRSYNC_ADD = 0x07,
	EAS_WB_AIRSYNC_CHANGE = 0x08,
	EAS_WB_AIRSYNC_DELETE = 0x09,
	EAS_WB_AIRSYNC_FETCH = 0x0A,
	EAS_WB_AIRSYNC_SYNCKEY = 0x0B,
	EAS_WB_AIRSYNC_CLIENTID = 0x0C,
	EAS_WB_AIRSYNC_SERVERID = 0x0D,
	EAS_WB_AIRSYNC_STATUS = 0x0E,
	EAS_WB_AIRSYNC_COLLECTION = 0x0F,
	EAS_WB_AIRSYNC_CLASS = 0x10,
	EAS_WB_AIRSYNC_COLLECTIONID = 0x12,
	EAS_WB_AIRSYNC_GETCHANGES = 0x13,
	EAS_WB_AIRSYNC_MOREAVAILABLE = 0x14,
	EAS_WB_AIRSYNC_WINDOWSIZE = 0x15,
	EAS_WB_AIRSYNC_COMMANDS = 0x16,
	EAS_WB_AIRSYNC_OPTIONS = 0x17,
	EAS_WB_AIRSYNC_FILTERTYPE = 0x18,
	EAS_WB_AIRSYNC_CONFLICT = 0x1B,
	EAS_WB_AIRSYNC_COLLECTIONS = 0x1C,
	EAS_WB_AIRSYNC_APPLICATIONDATA = 0x1D,
	EAS_WB_AIRSYNC_DELETESASMOVES = 0x1E,
	EAS_WB_AIRSYNC_SUPPORTED = 0x20,
	EAS_WB_AIRSYNC_SOFTDELETE = 0x21,
	EAS_WB_AIRSYNC_MIMESUPPORT = 0x22,
	EAS_WB_AIRSYNC_MIMETRUNCATION = 0x23,
	EAS_WB_AIRSYNC_WAIT = 0x24,
	EAS_WB_AIRSYNC_LIMIT = 0x25,
	EAS_WB_AIRSYNC_PARTIAL = 0x26,
	EAS_WB_AIRSYNC_CONVERSATIONMODE = 0x27,
	EAS_WB_AIRSYNC_MAXITEMS = 0x28,
	EAS_WB_AIRSYNC_HEARTBEATINTERVAL = 0x29,

	/* Code page 6: GetItemEstimate */
	EAS_WB_GIE_GETITEMESTIMATE = 0x05,
	EAS_WB_GIE_COLLECTIONS = 0x07,
	EAS_WB_GIE_COLLECTION = 0x08,
	EAS_WB_GIE_COLLECTIONID = 0x0A,
	EAS_WB_GIE_ESTIMATE = 0x0C,
	EAS_WB_GIE_RESPONSE = 0x0D,
	EAS_WB_GIE_STATUS = 0x0E,

	/* Code page 7: FolderHierarchy */
	EAS_WB_FH_DISPLAYNAME = 0x07,
	EAS_WB_FH_SERVERID = 0x08,
	EAS_WB_FH_PARENTID = 0x09,
	EAS_WB_FH_TYPE = 0x0A,
	EAS_WB_FH_STATUS = 0x0C,
	EAS_WB_FH_CHANGES = 0x0E,
	EAS_WB_FH_ADD = 0x0F,
	EAS_WB_FH_DELETE = 0x10,
	EAS_WB_FH_UPDATE = 0x11,
	EAS_WB_FH_SYNCKEY = 0x12,
	EAS_WB_FH_FOLDERCREATE = 0x13,
	EAS_WB_FH_FOLDERDELETE = 0x14,
	EAS_WB_FH_FOLDERUPDATE = 0x15,
	EAS_WB_FH_FOLDERSYNC = 0x16,
	EAS_WB_FH_COUNT = 0x17,

	/* Code page 13: Ping */
	EAS_WB_PING_PING = 0x05,
	EAS_WB_PING_STATUS = 0x07,
	EAS_WB_PING_HEARTBEATINTERVAL = 0x08,
	EAS_WB_PING_FOLDERS = 0x09,
	EAS_WB_PING_FOLDER = 0x0A,
	EAS_WB_PING_ID = 0x0B,
	EAS_WB_PING_CLASS = 0x0C,
	EAS_WB_PING_MAXFOLDERS = 0x0D,

	/* Code page 14: Provision */
	EAS_WB_PROVISION_PROVISION = 0x05,
	EAS_WB_PROVISION_POLICIES = 0x06,
	EAS_WB_PROVISION_POLICY = 0x07,
	EAS_WB_PROVISION_POLICYTYPE = 0x08,
	EAS_WB_PROVISION_POLICYKEY = 0x09,
	EAS_WB_PROVISION_DATA = 0x0A,
	EAS_WB_PROVISION_STATUS = 0x0B,
	EAS_WB_PROVISION_REMOTEWIPE = 0x0C,
	EAS_WB_PROVISION_EASPROVISIONDOC = 0x0D,
	EAS_WB_PROVISION_DEVICEPASSWORDENABLED = 0x0E,
	EAS_WB_PROVISION_ALPHANUMERICDEVICEPASSWORDREQUIRED = 0x0F,
	EAS_WB_PROVISION_DEVICEENCRYPTIONENABLED = 0x10,
	EAS_WB_PROVISION_REQUIRESTORAGECARDENCRYPTION = 0x10,
	EAS_WB_PROVISION_PASSWORDRECOVERYENABLED = 0x11,
	EAS_WB_PROVISION_ATTACHMENTSENABLED = 0x13,
	EAS_WB_PROVISION_MINDEVICEPASSWORDLENGTH = 0x14,
	EAS_WB_PROVISION_MAXINACTIVITYTIMEDEVICELOCK = 0x15,
	EAS_WB_PROVISION_MAXDEVICEPASSWORDFAILEDATTEMPTS = 0x16,
	EAS_WB_PROVISION_MAXATTACHMENTSIZE = 0x17,
	EAS_WB_PROVISION_ALLOWSIMPLEDEVICEPASSWORD = 0x18,
	EAS_WB_PROVISION_DEVICEPASSWORDEXPIRATION = 0x19,
	EAS_WB_PROVISION_DEVICEPASSWORDHISTORY = 0x1A,
	EAS_WB_PROVISION_ALLOWSTORAGECARD = 0x1B,
	EAS_WB_PROVISION_ALLOWCAMERA = 0x1C,
	EAS_WB_PROVISION_REQUIREDEVICEENCRYPTION = 0x1D,
	EAS_WB_PROVISION_ALLOWUNSIGNEDAPPLICATIONS = 0x1E,
	EAS_WB_PROVISION_ALLOWUNSIGNEDINSTALLATIONPACKAGES = 0x1F,
	EAS_WB_PROVISION_MINDEVICEPASSWORDCOMPLEXCHARACTERS = 0x20,
	EAS_WB_PROVISION_ALLOWWIFI = 0x21,
	EAS_WB_PROVISION_ALLOWTEXTMESSAGING = 0x22,
	EAS_WB_PROVISION_ALLOWPOPIMAPEMAIL = 0x23,
	EAS_WB_PROVISION_ALLOWBLUETOOTH = 0x24,
	EAS_WB_PROVISION_ALLOWIRDA = 0x25,
	EAS_WB_PROVISION_REQUIREMANUALSYNCWHENROAMING = 0x26,
	EAS_WB_PROVISION_ALLOWDESKTOPSYNC = 0x27,
	EAS_WB_PROVISION_MAXCALENDARAGEFILTER = 0x28,
	EAS_WB_PROVISION_ALLOWHTMLEMAIL = 0x29,
	EAS_WB_PROVISION_MAXEMAILAGEFILTER = 0x2A,
	EAS_WB_PROVISION_MAXEMAILBODYTRUNCATIONSIZE = 0x2B,
	EAS_WB_PROVISION_MAXEMAILHTMLBODYTRUNCATIONSIZE = 0x2C,
	EAS_WB_PROVISION_REQUIRESIGNEDSMIMEMESSAGES = 0x2D,
	EAS_WB_PROVISION_REQUIREENCRYPTEDSMIMEMESSAGES = 0x2E,
	EAS_WB_PROVISION_REQUIRESIGNEDSMIMEALGORITHM = 0x2F,
	EAS_WB_PROVISION_REQUIREENCRYPTIONSMIMEALGORITHM = 0x30,
	EAS_WB_PROVISION_ALLOWSMIMEENCRYPTIONALGORITHMNEGOTIATION = 0x31,
	EAS_WB_PROVISION_ALLOWSMIMESOFTCERTS = 0x32,
	EAS_WB_PROVISION_ALLOWBROWSER = 0x33,
	EAS_WB_PROVISION_ALLOWCONSUMEREMAIL = 0x34,
	EAS_WB_PROVISION_ALLOWREMOTEDESKTOP = 0x35,
	EAS_WB_PROVISION_ALLOWINTERNETSHARING = 0x36,
	EAS_WB_PROVISION_UNAPPROVEDINROMAPPLICATIONLIST = 0x37,
	EAS_WB_PROVISION_APPLICATIONNAME = 0x38,
	EAS_WB_PROVISION_APPROVEDAPPLICATIONLIST = 0x39,
	EAS_WB_PROVISION_HASH = 0x3A,
	EAS_WB_PROVISION_ACCOUNTONLYREMOTEWIPE = 0x3B,

	/* Code page 17: AirSyncBase */
	EAS_WB_AIRSYNCBASE_BODYPREFERENCE = 0x05,
	EAS_WB_AIRSYNCBASE_TYPE = 0x06,
	EAS_WB_AIRSYNCBASE_TRUNCATIONSIZE = 0x07,
	EAS_WB_AIRSYNCBASE_ALLORNONE = 0x08,
	EAS_WB_AIRSYNCBASE_BODY = 0x0A,
	EAS_WB_AIRSYNCBASE_DATA = 0x0B,
	EAS_WB_AIRSYNCBASE_ESTIMATEDDATASIZE = 0x0C,
	EAS_WB_AIRSYNCBASE_TRUNCATED = 0x0D,
	EAS_WB_AIRSYNCBASE_NATIVEBODYTYPE = 0x16,

	/* Code page 18: Settings */
	EAS_WB_SETTINGS_SETTINGS = 0x05,
	EAS_WB_SETTINGS_STATUS = 0x06,
	EAS_WB_SETTINGS_GET = 0x07,
	EAS_WB_SETTINGS_SET = 0x08,
	EAS_WB_SETTINGS_OOF = 0x09,
	EAS_WB_SETTINGS_DEVICEPASSWORD = 0x14,
	EAS_WB_SETTINGS_PASSWORD = 0x15,
	EAS_WB_SETTINGS_DEVICEINFORMATION = 0x16,
	EAS_WB_SETTINGS_MODEL = 0x17,
	EAS_WB_SETTINGS_IMEI = 0x18,
	EAS_WB_SETTINGS_FRIENDLYNAME = 0x19,
	EAS_WB_SETTINGS_OS = 0x1A,
	EAS_WB_SETTINGS_OSLANGUAGE = 0x1B,
	EAS_WB_SETTINGS_PHONENUMBER = 0x1C,
	EAS_WB_SETTINGS_USERINFORMATION = 0x1D,
	EAS_WB_SETTINGS_EMAILADDRESSES = 0x1E,
	EAS_WB_SETTINGS_SMTPADDRESS = 0x1F,
	EAS_WB_SETTINGS_USERAGENT = 0x20,
	EAS_WB_SETTINGS_ENABLEOUTBOUNDSMS = 0x21,
	EAS_WB_SETTINGS_MOBILEOPERATOR = 0x22,
	EAS_WB_SETTINGS_PRIMARYSMTPADDRESS = 0x23,
	EAS_WB_SETTINGS_ACCOUNTS = 0x24,
	EAS_WB_SETTINGS_ACCOUNT = 0x25,
	EAS_WB_SETTINGS_ACCOUNTID = 0x26,
	EAS_WB_SETTINGS_ACCOUNTNAME = 0x27,
	EAS_WB_SETTINGS_USERDISPLAYNAME = 0x28,
};

/* ---------------------------------------------------------------- decoder */

/* A decoded element. Text (STR_I) is NUL-terminated; OPAQUE content is
 * not. An element holds text, opaque data or child elements, never a mix. */
struct eas_wbxml_node {
	unsigned char page, tag; /* tag without the 0x40/0x80 flags */
	bool opaque;
	const unsigned char *data; /* NULL: no content (<tag/>, <tag></tag>) */
	size_t len;
	struct eas_wbxml_node *child, *next;
};

/* The tree and the memory it lives in (two allocations). */
struct eas_wbxml_doc {
	struct eas_wbxml_node *root;
	struct eas_wbxml_node *nodes; /* private */
	unsigned char *text;          /* private */
};

/* Bounds for hostile input; a 0 field takes the default. */
struct eas_wbxml_limits {
	size_t max_len;   /* bytes, default 1 MiB */
	size_t max_depth; /* nesting, default 32 */
	size_t max_nodes; /* elements, default 100000 */
};

/* Decode a whole document. Returns 0 and fills *doc (release it with
 * eas_wbxml_doc_free), or -1 with one sentence in err and *doc empty.
 * lim may be NULL for the defaults. */
int eas_wbxml_decode(const unsigned char *buf, size_t len, const struct eas_wbxml_limits *lim,
		     struct eas_wbxml_doc *doc, char *err, size_t errlen);
void eas_wbxml_doc_free(struct eas_wbxml_doc *doc);

/* First child of n with this page and tag, or NULL (n may be NULL). */
const struct eas_wbxml_node *eas_wbxml_child(const struct eas_wbxml_node *n, int page, int tag);
/* Walk down from n through (page, tag) pairs ended by -1, taking the first
 * matching child at each step:
 *   eas_wbxml_path(root, P, EAS_WB_PROVISION_POLICIES,
 *                  P, EAS_WB_PROVISION_POLICY, -1) */
const struct eas_wbxml_node *eas_wbxml_path(const struct eas_wbxml_node *n, ...);
/* Text of an element: "" when it has no content, NULL when n is NULL, has
 * opaque content or child elements. */
const char *eas_wbxml_str(const struct eas_wbxml_node *n);

/* Readable, indented, XML-like text for -vv ("<Provision:PolicyKey>1</...>"),
 * text escaped and printable, OPAQUE as "[N bytes]", the content of secret
 * elements (passwords) as "****". Returns malloc'd text, NULL when out of
 * memory. */
char *eas_wbxml_dump(const struct eas_wbxml_node *root);

/* ----------------------------------------------------------------- writer */

struct eas_wbxml_writer {
	unsigned char *buf;
	size_t len, cap;
	int page;       /* current code page */
	size_t depth;   /* open elements */
	int roots;      /* top-level elements written */
	char error[96]; /* first error, "" when none */
};

/* Start a document: version 1.3, public id 1 (unknown), UTF-8, no string
 * table. The calls below never fail on the spot; the first error is kept
 * and reported by eas_wbxml_finish. */
void eas_wbxml_writer_init(struct eas_wbxml_writer *w);
/* <tag> with content; SWITCH_PAGE only when the page changes. */
void eas_wbxml_open(struct eas_wbxml_writer *w, int page, int tag);
void eas_wbxml_close(struct eas_wbxml_writer *w);
/* <tag>text</tag>; NULL text writes <tag/>. */
void eas_wbxml_text(struct eas_wbxml_writer *w, int page, int tag, const char *text);
/* <tag/> */
void eas_wbxml_empty(struct eas_wbxml_writer *w, int page, int tag);
/* <tag>OPAQUE</tag> */
void eas_wbxml_opaque(struct eas_wbxml_writer *w, int page, int tag, const void *data, size_t len);
/* Hand over the document (malloc'd, caller frees) and reset the writer.
 * Returns -1 with err filled after any earlier error, an element left
 * open or no root element. */
int eas_wbxml_finish(struct eas_wbxml_writer *w, unsigned char **buf, size_t *len, char *err,
		     size_t errlen);
void eas_wbxml_writer_free(struct eas_wbxml_writer *w);

/* ------------------------------------------------------------------ names */

/* "Provision", NULL for an unknown page. */
const char *eas_wbxml_page_name(int page);
/* "PolicyKey", NULL when the page or tag is unknown. */
const char *eas_wbxml_tag_name(int page, int tag);
/* "Provision", "PolicyKey" -> 14, 9. Returns 0, or -1 when unknown. */
int eas_wbxml_tag_lookup(const char *page_name, const char *tag_name, int *page, int *tag);

#endif
