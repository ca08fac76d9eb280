/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/safefile.h"
#include "tap.h"

static char dir[] = "/tmp/eas-safefile-XXXXXX";

static const char *at(const char *name)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
	return buf[i];
}

static void put(const char *name, const char *data, size_t len, mode_t mode)
{
	FILE *f = fopen(at(name), "w");

	fwrite(data, 1, len, f);
	fclose(f);
	chmod(at(name), mode);
}

int main(void)
{
	struct tap t = { 0 };
	struct eas_file_info info;
	char err[512], *data, big[100];
	size_t len;
	int rc, sock;

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp failed\n");
		return 1;
	}
	put("plain", "line 1\nline 2\n", 14, 0600);
	rc = eas_safefile_read(at("plain"), "ini file", 1024, &data, &len, &info, err, sizeof err);
	TAP_OK(&t, rc == 0 && len == 14 && !strcmp(data, "line 1\nline 2\n") && data[len] == 0,
	       "a regular file is read whole, NUL-terminated");
	TAP_OK(&t, rc == 0 && !info.group_or_world_readable && !info.group_or_world_writable,
	       "mode 0600: private");
	eas_safefile_free(data, len);

	chmod(at("plain"), 0644);
	rc = eas_safefile_read(at("plain"), NULL, 1024, &data, &len, &info, err, sizeof err);
	TAP_OK(&t, rc == 0 && info.group_or_world_readable && !info.group_or_world_writable,
	       "mode 0644: readable by others");
	eas_safefile_free(data, len);
	chmod(at("plain"), 0620);
	rc = eas_safefile_read(at("plain"), NULL, 1024, &data, &len, &info, err, sizeof err);
	TAP_OK(&t, rc == 0 && !info.group_or_world_readable && info.group_or_world_writable,
	       "mode 0620: writable by the group");
	eas_safefile_free(data, len);
	chmod(at("plain"), 0602);
	rc = eas_safefile_read(at("plain"), NULL, 1024, &data, &len, &info, err, sizeof err);
	TAP_OK(&t, rc == 0 && info.group_or_world_writable, "mode 0602: writable by others");
	eas_safefile_free(data, len);

	rc = eas_safefile_read(at("plain"), NULL, 1024, &data, &len, NULL, err, sizeof err);
	TAP_OK(&t, rc == 0 && len == 14, "info may be NULL");
	eas_safefile_free(data, len);

	put("nul", "a\0b", 3, 0600);
	rc = eas_safefile_read(at("nul"), NULL, 1024, &data, &len, NULL, err, sizeof err);
	TAP_OK(&t, rc == 0 && len == 3 && data[0] == 'a' && data[1] == 0 && data[2] == 'b',
	       "NUL bytes are kept, the length tells");
	eas_safefile_free(data, len);

	put("empty", "", 0, 0600);
	rc = eas_safefile_read(at("empty"), NULL, 1024, &data, &len, NULL, err, sizeof err);
	TAP_OK(&t, rc == 0 && len == 0 && data && !*data,
	       "an empty file is read as \"\" (the caller judges)");
	eas_safefile_free(data, len);

	memset(big, 'x', sizeof big);
	put("big", big, sizeof big, 0600);
	rc = eas_safefile_read(at("big"), NULL, 100, &data, &len, NULL, err, sizeof err);
	TAP_OK(&t, rc == 0 && len == 100, "exactly the cap is fine");
	eas_safefile_free(data, len);
	rc = eas_safefile_read(at("big"), "password file", 99, &data, &len, NULL, err, sizeof err);
	TAP_OK(&t,
	       rc != 0 && !data && strstr(err, "password file ") &&
		       strstr(err, "/big is larger than 99 bytes"),
	       "one byte over the cap: %s", err);

	rc = eas_safefile_read("/proc/self/status", NULL, 1 << 20, &data, &len, NULL, err,
			       sizeof err);
	TAP_OK(&t, rc == 0 && len > 0 && strstr(data, "Name:"),
	       "a file that reports size 0 (/proc) is still read whole");
	eas_safefile_free(data, len);
	rc = eas_safefile_read("/proc/self/status", NULL, 16, &data, &len, NULL, err, sizeof err);
	TAP_OK(&t, rc != 0 && strstr(err, "larger than 16 bytes"),
	       "... and its growth past the cap is caught");

	symlink(at("plain"), at("link"));
	rc = eas_safefile_read(at("link"), NULL, 1024, &data, &len, NULL, err, sizeof err);
	TAP_OK(&t, rc == 0 && len == 14, "a symbolic link to a regular file is followed");
	eas_safefile_free(data, len);

	/* Not regular files: refused at once, never blocking. */
	mkfifo(at("fifo"), 0600);
	rc = eas_safefile_read(at("fifo"), "password file", 1024, &data, &len, NULL, err,
			       sizeof err);
	TAP_OK(&t,
	       rc != 0 && !data && strstr(err, "password file ") &&
		       strstr(err, "/fifo is not a regular file (a FIFO)"),
	       "FIFO: %s", err);
	rc = eas_safefile_read(dir, NULL, 1024, &data, &len, NULL, err, sizeof err);
	TAP_OK(&t, rc != 0 && strstr(err, "is not a regular file (a directory)"), "directory: %s",
	       err);
	rc = eas_safefile_read("/dev/zero", NULL, 1024, &data, &len, NULL, err, sizeof err);
	TAP_OK(&t,
	       rc != 0 && !strcmp(err, "/dev/zero is not a regular file "
				       "(a character device)"),
	       "/dev/zero: %s", err);
	rc = eas_safefile_read("/dev/null", NULL, 1024, &data, &len, NULL, err, sizeof err);
	TAP_OK(&t, rc != 0 && strstr(err, "(a character device)"), "/dev/null: %s", err);
	sock = socket(AF_UNIX, SOCK_STREAM, 0);
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		snprintf(sa.sun_path, sizeof sa.sun_path, "%s", at("sock"));
		rc = bind(sock, (struct sockaddr *)&sa, sizeof sa);
	}
	rc = rc ? rc
		: eas_safefile_read(at("sock"), NULL, 1024, &data, &len, NULL, err, sizeof err);
	TAP_OK(&t, rc != 0 && strstr(err, "(a socket)"), "socket: %s", err);
	close(sock);

	rc = eas_safefile_read(at("missing"), "password file", 1024, &data, &len, NULL, err,
			       sizeof err);
	TAP_OK(&t,
	       rc != 0 && !data && !strncmp(err, "cannot read password file ", 26) &&
		       strstr(err, "/missing: No such file or directory"),
	       "missing: %s", err);
	chmod(at("plain"), 0);
	rc = eas_safefile_read(at("plain"), NULL, 1024, &data, &len, NULL, err, sizeof err);
	TAP_OK(&t, geteuid() == 0 || (rc != 0 && strstr(err, "Permission denied")),
	       "unreadable: %s", geteuid() == 0 ? "(root reads anything)" : err);
	if (rc == 0)
		eas_safefile_free(data, len);
	eas_safefile_free(NULL, 0);

	/* eas_safefile_check: files another library opens. */
	TAP_OK(&t, eas_safefile_check(at("nul"), "--ca-file", false, err, sizeof err) == 0,
	       "check: a regular file passes");
	rc = eas_safefile_check(at("fifo"), "--ca-file", false, err, sizeof err);
	TAP_OK(&t,
	       rc && strstr(err, "--ca-file ") &&
		       strstr(err, "/fifo is not a regular file (a FIFO)"),
	       "check: a FIFO is refused, option and file named, without blocking: %s", err);
	rc = eas_safefile_check("/dev/zero", "--cert", false, err, sizeof err);
	TAP_OK(&t,
	       rc && !strcmp(err, "--cert /dev/zero is not a regular file (a character device)"),
	       "check: a device is refused: %s", err);
	TAP_OK(&t, eas_safefile_check(dir, "--ca-path", true, err, sizeof err) == 0,
	       "check: a directory passes where one is wanted");
	rc = eas_safefile_check(at("nul"), "--ca-path", true, err, sizeof err);
	TAP_OK(&t, rc && strstr(err, "/nul is not a directory (a regular file)"),
	       "check: a file where a directory is wanted: %s", err);
	rc = eas_safefile_check(at("missing"), "--ca-file", false, err, sizeof err);
	TAP_OK(&t, rc && strstr(err, "cannot read --ca-file ") && strstr(err, "No such file"),
	       "check: a missing file: %s", err);

	for (const char *const *n = (const char *const[]){ "plain", "nul", "empty", "big", "link",
							   "fifo", "sock", NULL };
	     *n; n++)
		unlink(at(*n));
	rmdir(dir);
	return tap_done(&t);
}
