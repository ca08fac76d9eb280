/* SPDX-License-Identifier: GPL-3.0-or-later */
/* benchrun: run a command N times and print the medians of its wall time,
 * CPU time (user + system, from wait4) and peak RSS, one line:
 *   NAME wall_ms cpu_ms rss_kb runs
 * Usage: benchrun NAME RUNS command [args...]
 * Output of the command goes to /dev/null; a run that exits >= 3 (UNKNOWN or
 * a crash) aborts the benchmark, since its timings would mean nothing. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int run_once(char **argv, double *wall, double *cpu, double *rss)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*wall = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	*cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	*rss = (double)ru.ru_maxrss;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int main(int argc, char **argv)
{
	double *wall, *cpu, *rss;
	int runs, rc;

	if (argc < 4 || (runs = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: benchrun NAME RUNS command [args...]\n");
		return 2;
	}
	wall = calloc((size_t)runs, sizeof *wall);
	cpu = calloc((size_t)runs, sizeof *cpu);
	rss = calloc((size_t)runs, sizeof *rss);
	if (!wall || !cpu || !rss)
		return 2;
	for (int i = 0; i < runs; i++) {
		rc = run_once(argv + 3, &wall[i], &cpu[i], &rss[i]);
		if (rc < 0 || rc >= 3) {
			fprintf(stderr, "benchrun: %s exited %d on run %d\n", argv[1], rc, i + 1);
			return 1;
		}
	}
	printf("%s %.2f %.2f %.0f %d\n", argv[1], median(wall, runs), median(cpu, runs),
	       median(rss, runs), runs);
	free(wall);
	free(cpu);
	free(rss);
	return 0;
}
