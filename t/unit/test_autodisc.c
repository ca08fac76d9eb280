/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Autodiscover for mobile devices: the POX request body (and that expat
 * reads it back), the answers of the specifications' examples, redirects,
 * every error code, namespaces under any prefix, and hostile or broken
 * answers (entities, depth, size, encodings); the JSON answers too. */
#include <expat.h>
#include <stdlib.h>
#include <time.h>

#include "autodiscover/adanswer.h"
#include "tap.h"

#define NS_AD "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
#define NS_MS "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006"
#define HEAD "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
#define OPEN HEAD "<Autodiscover xmlns=\"" NS_AD "\"><Response xmlns=\"" NS_MS "\">"
#define CLOSE "</Response></Autodiscover>"

static char err[300];

static int pox(const char *body, struct eas_ad_answer *a)
{
	err[0] = 0;
	return eas_ad_parse_pox(body, strlen(body), a, err, sizeof err);
}

static int json(const char *body, struct eas_ad_answer *a)
{
	err[0] = 0;
	return eas_ad_parse_json(body, strlen(body), a, err, sizeof err);
}

/* No control character (C0, DEL, C1) in s. */
static int no_controls(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7F || (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
			return 0;
	return 1;
}

/* What expat reads as the request's EMailAddress. */
struct readback {
	int depth, in_addr, elements;
	char addr[400];
};

static void rb_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct readback *r = ud;

	(void)attrs;
	r->depth++;
	r->elements++;
	r->in_addr = !strcmp(name, "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/"
				   "requestschema/2006 EMailAddress");
}

static void rb_end(void *ud, const XML_Char *name)
{
	struct readback *r = ud;

	(void)name;
	r->depth--;
	r->in_addr = 0;
}

static void rb_text(void *ud, const XML_Char *s, int len)
{
	struct readback *r = ud;
	size_t n = strlen(r->addr);

	if (r->in_addr && n + (size_t)len < sizeof r->addr)
		memcpy(r->addr + n, s, (size_t)len), r->addr[n + (size_t)len] = 0;
}

static int read_back(const char *body, struct readback *r)
{
	XML_Parser p = XML_ParserCreateNS(NULL, ' ');
	int ok;

	memset(r, 0, sizeof *r);
	XML_SetUserData(p, r);
	XML_SetElementHandler(p, rb_start, rb_end);
	XML_SetCharacterDataHandler(p, rb_text);
	ok = XML_Parse(p, body, (int)strlen(body), XML_TRUE) == XML_STATUS_OK;
	XML_ParserFree(p);
	return ok;
}

static void test_request(struct tap *t)
{
	char body[EAS_AD_BODY_MAX], small[100];
	struct readback r;
	char longaddr[400];

	TAP_OK(t,
	       !eas_ad_request_body("user@example.com", body, sizeof body, err, sizeof err) &&
		       strstr(body, "<EMailAddress>user@example.com</EMailAddress>") &&
		       strstr(body,
			      "<AcceptableResponseSchema>" NS_MS "</AcceptableResponseSchema>") &&
		       strstr(body, "xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/"
				    "mobilesync/requestschema/2006\""),
	       "request body: the address and the mobilesync response schema");
	TAP_OK(t, read_back(body, &r) && !strcmp(r.addr, "user@example.com") && r.elements == 4,
	       "request body: expat reads it, 4 elements, the address back: %s", r.addr);
	TAP_OK(t,
	       !eas_ad_request_body("o'n<e>&\"x\"@example.com", body, sizeof body, err,
				    sizeof err) &&
		       strstr(body, "o&apos;n&lt;e&gt;&amp;&quot;x&quot;@example.com") &&
		       read_back(body, &r) && !strcmp(r.addr, "o'n<e>&\"x\"@example.com"),
	       "request body: the address escaped for XML, read back whole: %s", r.addr);
	TAP_OK(t,
	       !eas_ad_request_body("j\xc3\xbcrgen@m\xc3\xbcller.example", body, sizeof body, err,
				    sizeof err) &&
		       read_back(body, &r) &&
		       !strcmp(r.addr, "j\xc3\xbcrgen@m\xc3\xbcller.example"),
	       "request body: a UTF-8 address");
	TAP_OK(t,
	       eas_ad_request_body("user.example.com", body, sizeof body, err, sizeof err) &&
		       strstr(err, "not a plausible mailbox"),
	       "no '@': refused: %s", err);
	TAP_OK(t,
	       eas_ad_request_body("user@", body, sizeof body, err, sizeof err) &&
		       eas_ad_request_body("@example.com", body, sizeof body, err, sizeof err) &&
		       eas_ad_request_body("", body, sizeof body, err, sizeof err),
	       "empty local part or domain: refused");
	TAP_OK(t,
	       eas_ad_request_body("us\ner@example.com", body, sizeof body, err, sizeof err) &&
		       eas_ad_request_body("user@exa\x7fmple.com", body, sizeof body, err,
					   sizeof err) &&
		       eas_ad_request_body("user\xc2\x85@example.com", body, sizeof body, err,
					   sizeof err) &&
		       eas_ad_request_body("user@ex ample.com", body, sizeof body, err, sizeof err),
	       "control characters (C0, DEL, C1) or a blank in the domain: refused");
	TAP_OK(t,
	       eas_ad_request_body("us\xff"
				   "er@example.com",
				   body, sizeof body, err, sizeof err),
	       "invalid UTF-8: refused");
	memset(longaddr, 'a', sizeof longaddr);
	strcpy(longaddr + EAS_AD_ADDRESS_MAX - 12, "@example.com");
	TAP_OK(t, !eas_ad_request_body(longaddr, body, sizeof body, err, sizeof err),
	       "an address of %d bytes is taken", EAS_AD_ADDRESS_MAX);
	memset(longaddr, '&', sizeof longaddr);
	strcpy(longaddr + EAS_AD_ADDRESS_MAX - 12, "@example.com");
	TAP_OK(t, !eas_ad_request_body(longaddr, body, sizeof body, err, sizeof err),
	       "the longest address, escaped five-fold, fits EAS_AD_BODY_MAX");
	strcpy(longaddr + EAS_AD_ADDRESS_MAX - 11, "@example.com");
	TAP_OK(t, eas_ad_request_body(longaddr, body, sizeof body, err, sizeof err),
	       "an address of %d bytes: refused", EAS_AD_ADDRESS_MAX + 1);
	TAP_OK(t,
	       eas_ad_request_body("user@example.com", small, sizeof small, err, sizeof err) &&
		       strstr(err, "does not fit"),
	       "a buffer too small: refused: %s", err);
}

static void test_settings(struct tap *t)
{
	struct eas_ad_answer a;
	/* [MS-ASCMD] 4.2.4, the Url and Name with the blanks around them. */
	const char *spec = OPEN "<Culture>en:us</Culture>"
				"<User><DisplayName>Chris Gray</DisplayName>"
				"<EMailAddress>chris@woodgrovebank.com</EMailAddress></User>"
				"<Action><Settings><Server><Type>MobileSync</Type>"
				"<Url>\n  https://loandept.woodgrovebank.com/Microsoft-Server-"
				"ActiveSync\n  </Url>"
				"<Name> https://loandept.woodgrovebank.com/Microsoft-Server-"
				"ActiveSync </Name></Server>"
				"<Server><Type>CertEnroll</Type>"
				"<Url>https://cert.woodgrovebank.com/CertEnroll</Url><Name />"
				"<ServerData>CertEnrollTemplate</ServerData></Server>"
				"</Settings></Action>" CLOSE;
	TAP_OK(t,
	       !pox(spec, &a) && a.kind == EAS_AD_SETTINGS &&
		       !strcmp(a.url,
			       "https://loandept.woodgrovebank.com/Microsoft-Server-ActiveSync") &&
		       !strcmp(a.display_name, "Chris Gray") &&
		       !strcmp(a.email, "chris@woodgrovebank.com") &&
		       !strcmp(a.types, "MobileSync,CertEnroll"),
	       "[MS-ASCMD] 4.2.4: the MobileSync Url, the user, the server types");

	/* CertEnroll first, the type in another case, only a Name. */
	TAP_OK(t,
	       !pox(OPEN "<Action><Settings><Server><Type>CertEnroll</Type><Url>https://c/</Url>"
			 "</Server><Server><Type>mobilesync</Type><Name>https://eas.example.com/"
			 "Microsoft-Server-ActiveSync</Name></Server></Settings></Action>" CLOSE,
		    &a) &&
		       a.kind == EAS_AD_SETTINGS &&
		       !strcmp(a.url, "https://eas.example.com/Microsoft-Server-ActiveSync"),
	       "the MobileSync server after a CertEnroll one; its Name when it has no Url");
	TAP_OK(t,
	       !pox(OPEN "<Action><Settings><Server><Type>MobileSync</Type><Url>http://eas.lab/"
			 "Microsoft-Server-ActiveSync</Url></Server></Settings></Action>" CLOSE,
		    &a) &&
		       !strcmp(a.url, "http://eas.lab/Microsoft-Server-ActiveSync"),
	       "a plain-HTTP Url is reported (the caller judges it)");
	TAP_OK(t,
	       pox(OPEN "<Action><Settings><Server><Type>CertEnroll</Type><Url>https://c/</Url>"
			"</Server></Settings></Action>" CLOSE,
		   &a) == -1 &&
		       strstr(err, "no MobileSync server") && strstr(err, "CertEnroll"),
	       "settings without a MobileSync server: %s", err);
	TAP_OK(t,
	       pox(OPEN "<Action><Settings><Server><Type>Mobile\t&#x85;Sync</Type><Url>https://x/"
			"</Url></Server></Settings></Action>" CLOSE,
		   &a) == -1 &&
		       strstr(err, "no MobileSync server") && no_controls(err),
	       "a Type with control characters is shown without them: %s", err);
	TAP_OK(t,
	       pox(OPEN "<Action><Settings><Server><Type>MobileSync</Type><Url>ftp://x/</Url>"
			"</Server></Settings></Action>" CLOSE,
		   &a) == -1 &&
		       strstr(err, "not an http:// or https:// URL"),
	       "a Url of another scheme: %s", err);
	TAP_OK(t,
	       pox(OPEN "<Action><Settings><Server><Type>MobileSync</Type><Url>https://a b/</Url>"
			"</Server></Settings></Action>" CLOSE,
		   &a) == -1 &&
		       pox(OPEN "<Action><Settings><Server><Type>MobileSync</Type><Url>https://a"
				"&#x85;b/</Url></Server></Settings></Action>" CLOSE,
			   &a) == -1,
	       "a Url with a blank or a C1 control character: refused");
	TAP_OK(t,
	       !pox(OPEN "<Action><Settings><Server><Type>MobileSync</Type><Url>https://first/"
			 "</Url></Server><Server><Type>MobileSync</Type><Url>https://second/</Url>"
			 "</Server></Settings></Action>" CLOSE,
		    &a) &&
		       !strcmp(a.url, "https://first/") &&
		       !strcmp(a.types, "MobileSync,MobileSync"),
	       "two MobileSync servers: the first one's Url");
	TAP_OK(t,
	       pox(OPEN "<Action><Settings><Server><Type>MobileSync</Type><Url>https://a<b/>c/"
			"</Url></Server></Settings></Action>" CLOSE,
		   &a) == -1 &&
		       strstr(err, "no MobileSync server"),
	       "a Url holding an element is not taken: %s", err);
	TAP_OK(t,
	       pox(OPEN "<User><DisplayName>x</DisplayName></User>" CLOSE, &a) == -1 &&
		       strstr(err, "neither settings, a redirect nor an error"),
	       "an answer saying nothing: %s", err);
}

static void test_prefixes(struct tap *t)
{
	struct eas_ad_answer a;

	TAP_OK(t,
	       !pox(HEAD "<a:Autodiscover xmlns:a=\"" NS_AD "\" xmlns:m=\"" NS_MS "\">"
			 "<m:Response><m:Action><m:Settings><m:Server><m:Type>MobileSync</m:Type>"
			 "<m:Url>https://p.example.com/Microsoft-Server-ActiveSync</m:Url>"
			 "</m:Server></m:Settings></m:Action></m:Response></a:Autodiscover>",
		    &a) &&
		       a.kind == EAS_AD_SETTINGS && strstr(a.url, "p.example.com"),
	       "prefixed elements: the same answer");
	TAP_OK(t,
	       !pox(HEAD "<Autodiscover xmlns=\"" NS_AD "\"><x:Response xmlns:x=\"" NS_MS
			 "\"><Action xmlns=\"" NS_MS "\"><Settings><Server><Type>MobileSync</Type>"
			 "<Url>https://q.example.com/</Url></Server></Settings></Action>"
			 "</x:Response></Autodiscover>",
		    &a) &&
		       !strcmp(a.url, "https://q.example.com/"),
	       "default and prefixed namespaces mixed");
	TAP_OK(t,
	       !pox(HEAD "<Autodiscover xmlns=\"" NS_AD "\"><Response><Action><Settings><Server>"
			 "<Type>MobileSync</Type><Url>https://g.example.com/</Url></Server>"
			 "</Settings></Action></Response></Autodiscover>",
		    &a) &&
		       !strcmp(a.url, "https://g.example.com/"),
	       "everything in the generic response namespace");
	TAP_OK(t,
	       pox(HEAD "<Autodiscover xmlns=\"" NS_AD "\"><Response xmlns=\"urn:other\"><Action>"
			"<Settings><Server><Type>MobileSync</Type><Url>https://o.example.com/"
			"</Url></Server></Settings></Action></Response></Autodiscover>",
		   &a) == -1,
	       "a Response in a foreign namespace is not read: %s", err);
	TAP_OK(t,
	       pox(HEAD "<Autodiscover><Response><Action><Settings><Server><Type>MobileSync"
			"</Type><Url>https://n.example.com/</Url></Server></Settings></Action>"
			"</Response></Autodiscover>",
		   &a) == -1 &&
		       strstr(err, "not an Autodiscover document"),
	       "no namespace at all: %s", err);
	TAP_OK(t,
	       pox("<html><body>Sign in</body></html>", &a) == -1 &&
		       strstr(err, "not an Autodiscover document (its root is html"),
	       "a login page in XHTML: %s", err);
}

static void test_redirects(struct tap *t)
{
	struct eas_ad_answer a;

	TAP_OK(t,
	       !pox(OPEN "<Action><Redirect>chris@contoso.com</Redirect></Action>" CLOSE, &a) &&
		       a.kind == EAS_AD_REDIRECT_ADDR && !strcmp(a.redirect, "chris@contoso.com"),
	       "Redirect to an address");
	TAP_OK(t,
	       !pox(OPEN "<Action><Redirect> https://autodiscover.contoso.com/autodiscover/"
			 "autodiscover.xml </Redirect></Action>" CLOSE,
		    &a) &&
		       a.kind == EAS_AD_REDIRECT_URL &&
		       !strcmp(a.redirect,
			       "https://autodiscover.contoso.com/autodiscover/autodiscover.xml"),
	       "Redirect to an https:// URL");
	TAP_OK(t,
	       pox(OPEN
		   "<Action><Redirect>http://autodiscover.contoso.com/x</Redirect></Action>" CLOSE,
		   &a) == -1 &&
		       strstr(err, "neither an e-mail address nor an https:// URL") &&
		       !a.redirect[0],
	       "Redirect to plain HTTP: refused: %s", err);
	TAP_OK(t, pox(OPEN "<Action><Redirect>no address</Redirect></Action>" CLOSE, &a) == -1,
	       "Redirect to neither: refused");
	TAP_OK(t,
	       !pox(HEAD "<Autodiscover xmlns=\"" NS_AD "\"><Response xmlns=\"http://schemas."
			 "microsoft.com/exchange/autodiscover/outlook/responseschema/2006a\">"
			 "<Account><Action>redirectAddr</Action><RedirectAddr>a@b.example"
			 "</RedirectAddr></Account></Response></Autodiscover>",
		    &a) &&
		       a.kind == EAS_AD_REDIRECT_ADDR && !strcmp(a.redirect, "a@b.example"),
	       "the Outlook schema's RedirectAddr");
	TAP_OK(t,
	       !pox(HEAD "<Autodiscover xmlns=\"" NS_AD "\"><Response xmlns=\"http://schemas."
			 "microsoft.com/exchange/autodiscover/outlook/responseschema/2006a\">"
			 "<Account><Action>redirectUrl</Action><RedirectUrl>https://r.example/"
			 "autodiscover/autodiscover.xml</RedirectUrl></Account></Response>"
			 "</Autodiscover>",
		    &a) &&
		       a.kind == EAS_AD_REDIRECT_URL && strstr(a.redirect, "https://r.example/"),
	       "the Outlook schema's RedirectUrl");
}

static void test_errors(struct tap *t)
{
	static const int codes[] = { 500, 501, 600, 601, 602, 603 };
	struct eas_ad_answer a;
	char body[1000];

	/* [MS-ASCMD]'s example of an error answer (with the namespace quoted:
	 * the example lacks the quotes). */
	TAP_OK(t,
	       !pox(OPEN "<Error Time=\"16:56:32.6164027\" Id=\"1054084152\">"
			 "<ErrorCode>600</ErrorCode><Message>Invalid Request</Message>"
			 "<DebugData /></Error>" CLOSE,
		    &a) &&
		       a.kind == EAS_AD_ERROR && a.error_code == 600 &&
		       !strcmp(a.error_msg, "Invalid Request") &&
		       !strcmp(a.error_time, "16:56:32.6164027") &&
		       !strcmp(a.error_id, "1054084152") && !a.error_debug[0],
	       "[MS-ASCMD]'s error example: ErrorCode 600, Message, Time and Id");
	TAP_OK(t,
	       !pox(HEAD "<Autodiscover xmlns=\"" NS_AD "\"><Response><Error Time=\"1\" Id=\"2\">"
			 "<ErrorCode>601</ErrorCode><Message>Provider is not available</Message>"
			 "<DebugData>No provider</DebugData></Error></Response></Autodiscover>",
		    &a) &&
		       a.error_code == 601 && !strcmp(a.error_debug, "No provider"),
	       "an Error in the generic response schema, with DebugData");
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		snprintf(body, sizeof body,
			 OPEN "<Action><Error><ErrorCode>%d</ErrorCode><Message>m\n\tline</Message>"
			      "</Error></Action>" CLOSE,
			 codes[i]);
		TAP_OK(t,
		       !pox(body, &a) && a.kind == EAS_AD_ERROR && a.error_code == codes[i] &&
			       !strcmp(a.error_msg, "m line") &&
			       strcmp(eas_ad_error_meaning(codes[i]), eas_ad_error_meaning(1)),
		       "Action/Error %d: %s", codes[i], eas_ad_error_meaning(codes[i]));
	}
	TAP_OK(t, strstr(eas_ad_error_meaning(601), "not configured") != NULL,
	       "601 says mobilesync is not configured");
	TAP_OK(t,
	       !pox(OPEN "<Action><Error><ErrorCode>7x</ErrorCode><Message>odd</Message></Error>"
			 "</Action>" CLOSE,
		    &a) &&
		       a.kind == EAS_AD_ERROR && a.error_code == -1 && eas_ad_error_meaning(-1),
	       "a code that is no number: -1, the message kept");
	TAP_OK(t,
	       !pox(OPEN "<Error><ErrorCode>600</ErrorCode></Error><Action><Settings><Server>"
			 "<Type>MobileSync</Type><Url>https://x.example/</Url></Server>"
			 "</Settings></Action>" CLOSE,
		    &a) &&
		       a.kind == EAS_AD_ERROR && !a.url[0],
	       "an Error wins over Settings");
}

static void test_hostile(struct tap *t)
{
	struct eas_ad_answer a;
	const char *laughs =
		HEAD "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		     "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
		     "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
		     "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
		     "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
		     "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
		     "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
		     "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
		     "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
		     "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">"
		     "]>"
		     "<Autodiscover xmlns=\"" NS_AD "\"><Response xmlns=\"" NS_MS "\">"
		     "<Action><Error><ErrorCode>600</ErrorCode><Message>&lol9;</Message>"
		     "</Error></Action>" CLOSE;
	const char *xxe = HEAD "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
			       "<Autodiscover xmlns=\"" NS_AD "\"><Response xmlns=\"" NS_MS "\">"
			       "<Action><Error><ErrorCode>600</ErrorCode><Message>&x;</Message>"
			       "</Error></Action>" CLOSE;
	const char *dtd = HEAD "<!DOCTYPE Autodiscover SYSTEM \"file:///etc/passwd\">"
			       "<Autodiscover xmlns=\"" NS_AD "\"/>";
	size_t big = 20000 * 3 + 200, n;
	int rc;
	char *s = malloc(EAS_AD_ANSWER_MAX + 200);
	clock_t c0 = clock();

	TAP_OK(t,
	       pox(laughs, &a) == -1 &&
		       !strcmp(err, "the answer declares a DOCTYPE or entities: "
				    "refused") &&
		       (clock() - c0) < CLOCKS_PER_SEC,
	       "billion laughs: refused at once: %s", err);
	TAP_OK(t,
	       pox(xxe, &a) == -1 && strstr(err, "refused") && !strstr(a.error_msg, "root:") &&
		       !a.error_msg[0],
	       "an external entity (file:///etc/passwd): refused, nothing read: %s", err);
	TAP_OK(t, pox(dtd, &a) == -1 && strstr(err, "refused"), "an external DTD: refused: %s",
	       err);
	TAP_OK(t,
	       pox(OPEN "<Action><Error><ErrorCode>600</ErrorCode><Message>&x;</Message></Error>"
			"</Action>" CLOSE,
		   &a) == -1 &&
		       strstr(err, "not well-formed") && strstr(err, "undefined entity"),
	       "an undeclared entity: not well-formed: %s", err);

	if (!s)
		abort();
	n = (size_t)sprintf(s, HEAD "<Autodiscover xmlns=\"" NS_AD "\">");
	for (int i = 0; i < 100; i++)
		n += (size_t)sprintf(s + n, "<Response>");
	TAP_OK(t, pox(s, &a) == -1 && strstr(err, "deeper than 32"), "deep nesting: %s", err);

	n = (size_t)sprintf(s, OPEN);
	while (n < big)
		n += (size_t)sprintf(s + n, "<x/>");
	strcpy(s + n, CLOSE);
	TAP_OK(t, pox(s, &a) == -1 && strstr(err, "more than 10000 elements"), "20000 elements: %s",
	       err);

	/* An attribute of almost 1 MiB on the answer that is otherwise good. */
	n = (size_t)sprintf(s, HEAD "<Autodiscover xmlns=\"" NS_AD "\" junk=\"");
	memset(s + n, 'A', EAS_AD_ANSWER_MAX - 1000);
	n += EAS_AD_ANSWER_MAX - 1000;
	n += (size_t)sprintf(s + n, "\"><Response xmlns=\"" NS_MS "\"><Action><Redirect>a@b.c"
				    "</Redirect></Action>" CLOSE);
	TAP_OK(t, n <= EAS_AD_ANSWER_MAX && !pox(s, &a) && a.kind == EAS_AD_REDIRECT_ADDR,
	       "a huge attribute (%zu bytes in all) is read through", n);
	memset(s, ' ', EAS_AD_ANSWER_MAX + 1);
	TAP_OK(t,
	       eas_ad_parse_pox(s, EAS_AD_ANSWER_MAX + 1, &a, err, sizeof err) == -1 &&
		       strstr(err, "larger than"),
	       "more than 1 MiB: refused: %s", err);

	/* A text far longer than any field. */
	n = (size_t)sprintf(s, OPEN "<Action><Settings><Server><Type>MobileSync</Type>"
				    "<Url>https://x/");
	memset(s + n, 'a', 5000);
	n += 5000;
	strcpy(s + n, "</Url></Server></Settings></Action>" CLOSE);
	TAP_OK(t, pox(s, &a) == -1 && strstr(err, "longer than 1023"), "a long Url: %s", err);
	n = (size_t)sprintf(s, OPEN "<User><DisplayName>");
	for (int i = 0; i < 1000; i++)
		n += (size_t)sprintf(s + n, "\xc3\xa4");
	strcpy(s + n, "</DisplayName></User><Action><Redirect>a@b.c</Redirect></Action>" CLOSE);
	rc = pox(s, &a);
	TAP_OK(t, !rc && strlen(a.display_name) == 254 && !strncmp(a.display_name, "\xc3\xa4", 2),
	       "a long display name is cut between characters (%zu bytes)", strlen(a.display_name));
	free(s);
}

static void test_broken(struct tap *t)
{
	struct eas_ad_answer a;
	const char *good = OPEN "<Action><Redirect>a@b.example</Redirect></Action>" CLOSE;
	char cut[400];

	TAP_OK(t, pox(OPEN "<Action></Response>" CLOSE, &a) == -1 && strstr(err, "not well-formed"),
	       "mismatched tags: %s", err);
	snprintf(cut, sizeof cut, "%.*s", (int)strlen(good) - 20, good);
	TAP_OK(t, pox(cut, &a) == -1 && strstr(err, "not well-formed"), "truncated: %s", err);
	TAP_OK(t, pox("", &a) == -1 && err[0], "empty: %s", err);
	TAP_OK(t, pox("HTTP/1.1 200 OK", &a) == -1 && err[0], "not XML: %s", err);
	TAP_OK(t,
	       pox(OPEN "<User><DisplayName>bad \xff\xfe</DisplayName></User>" CLOSE, &a) == -1 &&
		       strstr(err, "not well-formed"),
	       "invalid UTF-8 from the server: %s", err);
	TAP_OK(t, eas_ad_parse_pox(good, strlen(good) + 1, &a, err, sizeof err) == -1,
	       "a NUL after the document: %s", err);
	TAP_OK(t,
	       !pox("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Autodiscover xmlns=\"" NS_AD
		    "\"><Response xmlns=\"" NS_MS "\"><User><DisplayName>J\xfcrgen &#x85;x&#9;y"
		    "</DisplayName></User><Action><Redirect>a@b.example</Redirect></Action>" CLOSE,
		    &a) &&
		       !strcmp(a.display_name, "J\xc3\xbcrgen ?x y") && /* NEL: '?' */
		       no_controls(a.display_name),
	       "ISO-8859-1 becomes UTF-8, control characters go: %s", a.display_name);
	TAP_OK(t,
	       pox("<?xml version=\"1.0\" encoding=\"EBCDIC-X\"?><Autodiscover xmlns=\"" NS_AD
		   "\"/>",
		   &a) == -1,
	       "an unknown encoding: %s", err);
}

static void test_json(struct tap *t)
{
	struct eas_ad_answer a;

	TAP_OK(t,
	       !json("{\"Protocol\":\"ActiveSync\",\"Url\":\"https://mail.example.com/"
		     "Microsoft-Server-ActiveSync\"}",
		     &a) &&
		       a.kind == EAS_AD_SETTINGS &&
		       !strcmp(a.url, "https://mail.example.com/Microsoft-Server-ActiveSync"),
	       "JSON: the ActiveSync Url");
	TAP_OK(t,
	       !json("{\"ErrorCode\":\"InvalidProtocol\",\"ErrorMessage\":\"The given protocol "
		     "value \\u0027Foo\\u0027 is invalid.\\n\"}",
		     &a) &&
		       a.kind == EAS_AD_ERROR && !strcmp(a.error_name, "InvalidProtocol") &&
		       !strcmp(a.error_msg, "The given protocol value 'Foo' is invalid."),
	       "JSON: an error: %s: %s", a.error_name, a.error_msg);
	TAP_OK(t, json("[\"https://x/\"]", &a) == -1 && strstr(err, "not an object"),
	       "JSON: not an object: %s", err);
	TAP_OK(t, json("{\"Protocol\":\"ActiveSync\"}", &a) == -1 && strstr(err, "no Url"),
	       "JSON: no Url: %s", err);
	TAP_OK(t,
	       json("{\"Protocol\":\"ActiveSync\",\"Url\":\"http://mail.example.com/x\"}", &a) ==
			       -1 &&
		       strstr(err, "not an https:// URL") && !a.url[0],
	       "JSON: a plain-HTTP Url: %s", err);
	TAP_OK(t, json("{\"Url\":\"https://\"}", &a) == -1, "JSON: a Url without a host");
	TAP_OK(t, json("{\"Url\":\"https://a\\u0000b/\"}", &a) == -1 && strstr(err, "plain"),
	       "JSON: a NUL in the Url: %s", err);
	TAP_OK(t, json("{\"Url\":42}", &a) == -1, "JSON: a Url that is no string");
	TAP_OK(t,
	       json("{\"Protocol\":\"Rest\",\"Url\":\"https://outlook.office.com/api\"}", &a) ==
			       -1 &&
		       strstr(err, "another protocol"),
	       "JSON: another protocol: %s", err);
	TAP_OK(t, json("{\"Url\":\"https://a/\"", &a) == -1 && strstr(err, "cut short"),
	       "JSON: truncated: %s", err);
	TAP_OK(t, json("{\"Url\":\"https://a/\"} x", &a) == -1, "JSON: trailing text: %s", err);
	TAP_OK(t, json("{'Url':'https://a/'}", &a) == -1, "JSON: not strict JSON: %s", err);
	TAP_OK(t, json("{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}", &a) == -1,
	       "JSON: too deep: %s", err);
	TAP_OK(t, json("{\"Url\":\"https://a/\xff\"}", &a) == -1, "JSON: invalid UTF-8: %s", err);
	TAP_OK(t, json("", &a) == -1 && err[0], "JSON: empty: %s", err);
	TAP_OK(t,
	       !json("{\"url\":\"https://m.example/Microsoft-Server-ActiveSync\"}", &a) &&
		       a.kind == EAS_AD_SETTINGS,
	       "JSON: member names in any case");
}

int main(void)
{
	struct tap t = { 0 };

	test_request(&t);
	test_settings(&t);
	test_prefixes(&t);
	test_redirects(&t);
	test_errors(&t);
	test_hostile(&t);
	test_broken(&t);
	test_json(&t);
	return tap_done(&t);
}
