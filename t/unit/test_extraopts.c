#include <stdlib.h>
#include <unistd.h>

#include "extraopts.h"
#include "tap.h"

static void release(char **args, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(args[i]);
	free(args);
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
	      "[check_eas_options]\nurl-path=/x\n", f);
	fclose(f);

	snprintf(spec, sizeof spec, "@%s", path);
	TAP_OK(&t, eas_extraopts_load(spec, "check_eas_options", &args, &n, err, sizeof err) == 0,
	       "default section loads");
	TAP_OK(&t, n == 4 && !strcmp(args[0], "--hostname=mail.example.com") &&
	       !strcmp(args[1], "--port=8443") && !strcmp(args[2], "--verbose") &&
	       !strcmp(args[3], "--url-path=/x"), "keys become long options, repeated sections merge");
	release(args, n);
	args = NULL;
	n = 0;

	snprintf(spec, sizeof spec, "other@%s", path);
	TAP_OK(&t, eas_extraopts_load(spec, "check_eas_options", &args, &n, err, sizeof err) == 0 &&
	       n == 1 && !strcmp(args[0], "--password=s3cret pass"), "named section, quotes stripped");
	release(args, n);
	args = NULL;
	n = 0;

	snprintf(spec, sizeof spec, "missing@%s", path);
	TAP_OK(&t, eas_extraopts_load(spec, "x", &args, &n, err, sizeof err) != 0 &&
	       strstr(err, "no section [missing]"), "missing section is an error: %s", err);
	TAP_OK(&t, eas_extraopts_load("@/nonexistent/file.ini", "x", &args, &n, err, sizeof err) != 0 &&
	       strstr(err, "cannot read /nonexistent/file.ini"), "missing file is an error");
	release(args, n);
	unlink(path);
	return tap_done(&t);
}
