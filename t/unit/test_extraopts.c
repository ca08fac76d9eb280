/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/extraopts.h"
#include "tap.h"

/* The error names the file and the line last: "..., in FILE line N". */
static int at_line(const char *err, int line)
{
	char tail[32];
	size_t n = strlen(err), tn;

	snprintf(tail, sizeof tail, " line %d", line);
	tn = strlen(tail);
	return n >= tn && !strcmp(err + n - tn, tail);
}

static void release(char **args, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(args[i]);
	free(args);
}

static char ini[] = "/tmp/eas-extraopts-ini-XXXXXX";

/* Load section "s" of a file holding len bytes of text. */
static int load(const char *text, size_t len, char ***args, size_t *n, char *err, size_t errlen)
{
	char spec[128];
	FILE *f = fopen(ini, "w");

	fwrite(text, 1, len, f);
	fclose(f);
	snprintf(spec, sizeof spec, "s@%s", ini);
	*args = NULL;
	*n = 0;
	err[0] = 0;
	return eas_extraopts_load(spec, "x", args, n, NULL, 0, err, errlen);
}

#define LOAD(text) load((text), sizeof(text) - 1, &args, &n, err, sizeof err)

static void hostile(struct tap *t)
{
	char err[512], spec[128], *big;
	char **args;
	size_t n;
	int fd = mkstemp(ini);

	close(fd);
	TAP_OK(t,
	       LOAD("[s]\npassword: s3cret\n") != 0 && strstr(err, ini) &&
		       strstr(err, "key 'password': ") && at_line(err, 2) && !strstr(err, "s3cret"),
	       "'password: s3cret' is an error naming the key only: %s", err);
	release(args, n);
	TAP_OK(t,
	       LOAD("[s]\n\npassword s3cret\n") != 0 && strstr(err, "key 'password': ") &&
		       at_line(err, 3) && !strstr(err, "s3cret"),
	       "'password s3cret' is an error naming the key only: %s", err);
	release(args, n);
	TAP_OK(t,
	       LOAD("[s]\nhostname=a\npass word = s3cret\n") != 0 && strstr(err, "key 'pass'") &&
		       !strstr(err, "s3cret") && n == 1,
	       "a key with a blank in it is an error: %s", err);
	release(args, n);
	TAP_OK(t, LOAD("[s]\n= s3cret\n") != 0 && strstr(err, "key ''") && !strstr(err, "s3cret"),
	       "a value without a key is an error: %s", err);
	release(args, n);
	TAP_OK(t, LOAD("[s]\n-k\n") != 0 && strstr(err, "key '-k'"),
	       "a key may not start with '-': %s", err);
	release(args, n);
	TAP_OK(t,
	       LOAD("[other]\npassword: s3cret\n[s]\nverbose\n") != 0 && strstr(err, "line 2") &&
		       !strstr(err, "s3cret"),
	       "a bad line in another section is an error too");
	release(args, n);

	TAP_OK(t,
	       LOAD("[s]\nuser\npassword=s3cret\n") == 0 && n == 2 && !strcmp(args[0], "--user") &&
		       !strcmp(args[1], "--password=s3cret"),
	       "a bare key is one word, the next line another (options.c refuses "
	       "--user without a value)");
	release(args, n);
	TAP_OK(t,
	       LOAD("[s]\r\nuser = a b \r\npassword = 'x y'\r\nverbose\r\n") == 0 && n == 3 &&
		       !strcmp(args[0], "--user=a b") && !strcmp(args[1], "--password=x y") &&
		       !strcmp(args[2], "--verbose"),
	       "CRLF lines, blanks around '=', quotes stripped");
	release(args, n);
	TAP_OK(t, LOAD("[s] ; ours\nverbose") == 0 && n == 1 && !strcmp(args[0], "--verbose"),
	       "a comment after a section header; a last line without newline");
	release(args, n);
	TAP_OK(t,
	       LOAD("[s] x\nverbose\n") != 0 && strstr(err, "text after the section header") &&
		       at_line(err, 1),
	       "text after a section header is an error: %s", err);
	release(args, n);
	TAP_OK(t, LOAD("[s\nverbose\n") != 0 && strstr(err, "unterminated") && at_line(err, 1),
	       "unterminated section header: %s", err);
	release(args, n);

	/* A long line is an error, never split into two options. */
	big = malloc(8192);
	memcpy(big, "[s]\nhostname=", 13);
	memset(big + 13, 'a', 5000 - 8);
	memcpy(big + 13 + 5000 - 8, "insecure\n", 9);
	TAP_OK(t,
	       load(big, 13 + 5000 + 1, &args, &n, err, sizeof err) != 0 &&
		       strstr(err, "longer than 4096 bytes") && at_line(err, 2) && n == 0,
	       "a 5000-byte line ending in 'insecure' is an error: %s", err);
	release(args, n);
	memset(big + 4, 'k', 4096);
	memcpy(big + 4, "ca-file=", 8);
	big[4 + 4096] = '\n';
	TAP_OK(t,
	       load(big, 4 + 4096 + 1, &args, &n, err, sizeof err) == 0 && n == 1 &&
		       strlen(args[0]) == 2 + 4096,
	       "a 4096-byte line is fine");
	release(args, n);
	big[4 + 4096] = 'k';
	big[4 + 4097] = '\n';
	TAP_OK(t,
	       load(big, 4 + 4097 + 1, &args, &n, err, sizeof err) != 0 &&
		       strstr(err, "longer than 4096") && at_line(err, 2),
	       "a 4097-byte line is not");
	release(args, n);
	free(big);

	TAP_OK(t,
	       LOAD("[s]\npassword=s3\0cret\n") != 0 && strstr(err, "contains a NUL byte") &&
		       at_line(err, 2) && !strstr(err, "cret"),
	       "a NUL byte is an error: %s", err);
	release(args, n);
	TAP_OK(t,
	       LOAD("[s]\npassword=s3\033cret\n") != 0 &&
		       strstr(err, "contains a control character") && at_line(err, 2),
	       "a control character is an error: %s", err);
	release(args, n);
	TAP_OK(t,
	       LOAD("[s]\npassword=s3\rcret\n") != 0 &&
		       strstr(err, "contains a control character") && at_line(err, 2),
	       "a CR inside a line is an error (only CRLF ends one)");
	release(args, n);
	TAP_OK(t,
	       LOAD("[s]\npassword=\ts3cret\t\n") == 0 && n == 1 &&
		       !strcmp(args[0], "--password=s3cret"),
	       "tabs are blanks");
	release(args, n);

	/* Files that never end or block: refused at once. */
	args = NULL;
	n = 0;
	TAP_OK(t,
	       eas_extraopts_load("@/dev/zero", "x", &args, &n, NULL, 0, err, sizeof err) != 0 &&
		       !strcmp(err, "--extra-opts: /dev/zero is not a regular file "
				    "(a character device)"),
	       "@/dev/zero: %s", err);
	unlink(ini);
	mkfifo(ini, 0600);
	snprintf(spec, sizeof spec, "@%s", ini);
	TAP_OK(t,
	       eas_extraopts_load(spec, "x", &args, &n, NULL, 0, err, sizeof err) != 0 &&
		       strstr(err, "is not a regular file (a FIFO)"),
	       "a FIFO: %s", err);
	unlink(ini);
	big = calloc(1, (1 << 20) + 2);
	memcpy(big, "[s]\n", 4);
	memset(big + 4, '\n', (1 << 20) - 4 + 1);
	TAP_OK(t,
	       load(big, (1 << 20) + 1, &args, &n, err, sizeof err) != 0 &&
		       strstr(err, "is larger than 1048576 bytes"),
	       "a file over 1 MiB: %s", err);
	TAP_OK(t, load(big, 1 << 20, &args, &n, err, sizeof err) == 0, "a file of 1 MiB is fine");
	free(big);
	{
		char *longname = malloc(5000);

		memset(longname, 'a', 4999);
		longname[0] = '@';
		longname[4999] = 0;
		TAP_OK(t,
		       eas_extraopts_load(longname, "x", &args, &n, NULL, 0, err, sizeof err) !=
				       0 &&
			       strstr(err, "file name too long"),
		       "a file name too long is not cut");
		free(longname);
	}
	unlink(ini);
}

int main(void)
{
	struct tap t = { 0 };
	char path[] = "/tmp/eas-extraopts-XXXXXX", spec[128], err[256];
	char **args = NULL;
	size_t n = 0;
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs("; comment\n[check_eas_options]\nhostname = mail.example.com\n"
	      "  port=8443\nverbose\n# more\n[other]\npassword=\"s3cret pass\"\n"
	      "[check_eas_options]\nurl-path=/x\n",
	      f);
	fclose(f);

	snprintf(spec, sizeof spec, "@%s", path);
	TAP_OK(&t,
	       eas_extraopts_load(spec, "check_eas_options", &args, &n, NULL, 0, err, sizeof err) ==
		       0,
	       "default section loads");
	TAP_OK(&t,
	       n == 4 && !strcmp(args[0], "--hostname=mail.example.com") &&
		       !strcmp(args[1], "--port=8443") && !strcmp(args[2], "--verbose") &&
		       !strcmp(args[3], "--url-path=/x"),
	       "keys become long options, repeated sections merge");
	release(args, n);
	args = NULL;
	n = 0;

	snprintf(spec, sizeof spec, "other@%s", path);
	TAP_OK(&t,
	       eas_extraopts_load(spec, "check_eas_options", &args, &n, NULL, 0, err, sizeof err) ==
			       0 &&
		       n == 1 && !strcmp(args[0], "--password=s3cret pass"),
	       "named section, quotes stripped");
	release(args, n);
	args = NULL;
	n = 0;

	snprintf(spec, sizeof spec, "missing@%s", path);
	TAP_OK(&t,
	       eas_extraopts_load(spec, "x", &args, &n, NULL, 0, err, sizeof err) != 0 &&
		       strstr(err, "no section [missing]"),
	       "missing section is an error: %s", err);
	TAP_OK(&t,
	       eas_extraopts_load("@/nonexistent/file.ini", "x", &args, &n, NULL, 0, err,
				  sizeof err) != 0 &&
		       strstr(err, "cannot read /nonexistent/file.ini"),
	       "missing file is an error");
	release(args, n);
	unlink(path);
	hostile(&t);
	return tap_done(&t);
}
