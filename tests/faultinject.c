/* An LD_PRELOAD library that makes file I/O fail on purpose, for the tests
 * of error paths (tests/faults.sh). Controlled by the environment:
 *
 *   FAULTINJECT_PATH=S         only files whose path contains S (default:
 *                              every file opened by path; never stdin,
 *                              stdout or stderr)
 *   FAULTINJECT_READ_EIO=N     read, pread and fread fail with EIO once N
 *                              bytes have been read from such a file
 *   FAULTINJECT_WRITE=E        write fails with E (ENOSPC or EIO) once
 *   FAULTINJECT_WRITE_AFTER=N  N bytes (default 0) went to such a file
 *   FAULTINJECT_FSYNC=E        fsync and fdatasync fail with E
 *   FAULTINJECT_OPEN=E         open, fopen and mkstemp of such a path fail
 *                              with E (EACCES, ...)
 *   FAULTINJECT_SHRINK_AT=N    once N bytes have been read from such a
 *   FAULTINJECT_SHRINK_TO=M    file, it is truncated to M bytes (once), as
 *                              if another program rewrote it meanwhile
 *
 * stdio reaches the kernel through calls inside the C library that a
 * preloaded library cannot replace, so a stream made by fdopen or fopen on
 * a matching file, when a fault is set, is a cookie stream whose reads and
 * writes go through the faulty read and write; fileno still gives its
 * descriptor. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define FI_MAX_FD 4096

struct fi_fd {
	char *path;             /* NULL: not a file we watch */
	unsigned long long nread, nwritten;
	FILE *cookie;           /* the cookie stream on this descriptor */
};

static struct fi_fd fi_fds[FI_MAX_FD];
static pthread_mutex_t fi_lock = PTHREAD_MUTEX_INITIALIZER;

#define FI_REAL(name) ((__typeof__(&name))fi_real(#name))

static void *fi_real(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (f == NULL) {
		fprintf(stderr, "faultinject: no %s\n", name);
		abort();
	}
	return f;
}

static int fi_errno(const char *var)
{
	static const struct {
		const char *name;
		int value;
	} names[] = {
		{ "ENOSPC", ENOSPC }, { "EIO", EIO }, { "EACCES", EACCES }, { "EPERM", EPERM },
		{ "EROFS", EROFS }, { "EDQUOT", EDQUOT }, { "ENOENT", ENOENT },
	};
	const char *v = getenv(var);

	for (size_t i = 0; v != NULL && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(v, names[i].name) == 0)
			return names[i].value;
	return v != NULL && *v != '\0' ? EIO : 0;
}

static long long fi_number(const char *var)
{
	const char *v = getenv(var);

	return v != NULL && *v != '\0' ? atoll(v) : -1;
}

static int fi_matches(const char *path)
{
	const char *want = getenv("FAULTINJECT_PATH");

	return path != NULL && (want == NULL || strstr(path, want) != NULL);
}

static void fi_track(int fd, const char *path)
{
	if (fd < 3 || fd >= FI_MAX_FD)
		return;
	pthread_mutex_lock(&fi_lock);
	free(fi_fds[fd].path);
	memset(&fi_fds[fd], 0, sizeof fi_fds[fd]);
	if (fi_matches(path))
		fi_fds[fd].path = strdup(path);
	pthread_mutex_unlock(&fi_lock);
}

static int fi_watched(int fd)
{
	return fd >= 3 && fd < FI_MAX_FD && fi_fds[fd].path != NULL;
}

/* How many of n bytes may be read before the failure; -1: fail now. */
static ssize_t fi_read_allowance(int fd, size_t n)
{
	long long limit = fi_number("FAULTINJECT_READ_EIO");
	unsigned long long done;

	if (limit < 0 || !fi_watched(fd))
		return (ssize_t)n;
	done = fi_fds[fd].nread;
	if (done >= (unsigned long long)limit) {
		errno = EIO;
		return -1;
	}
	return (ssize_t)((unsigned long long)limit - done < n ? (unsigned long long)limit - done : n);
}

/* Truncates the file once enough of it has been read. */
static void fi_shrink(int fd)
{
	static int done;
	long long at = fi_number("FAULTINJECT_SHRINK_AT"), to = fi_number("FAULTINJECT_SHRINK_TO");

	if (at < 0 || to < 0 || done || fi_fds[fd].nread < (unsigned long long)at)
		return;
	done = 1;
	if (truncate(fi_fds[fd].path, (off_t)to) != 0)
		perror("faultinject: truncate");
}

static void fi_count_read(int fd, ssize_t r)
{
	if (r > 0 && fi_watched(fd)) {
		fi_fds[fd].nread += (unsigned long long)r;
		fi_shrink(fd);
	}
}

static int fi_open_fails(const char *path)
{
	int e = fi_errno("FAULTINJECT_OPEN");

	if (e == 0 || !fi_matches(path))
		return 0;
	errno = e;
	return 1;
}

ssize_t read(int fd, void *buf, size_t n)
{
	ssize_t allow = fi_read_allowance(fd, n), r;

	if (allow < 0)
		return -1;
	r = FI_REAL(read)(fd, buf, (size_t)allow);
	fi_count_read(fd, r);
	return r;
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	ssize_t allow = fi_read_allowance(fd, n), r;

	if (allow < 0)
		return -1;
	r = FI_REAL(pread)(fd, buf, (size_t)allow, off);
	fi_count_read(fd, r);
	return r;
}

ssize_t pread64(int fd, void *buf, size_t n, off64_t off)
{
	ssize_t allow = fi_read_allowance(fd, n), r;

	if (allow < 0)
		return -1;
	r = FI_REAL(pread64)(fd, buf, (size_t)allow, off);
	fi_count_read(fd, r);
	return r;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	int e = fi_errno("FAULTINJECT_WRITE");
	long long after = fi_number("FAULTINJECT_WRITE_AFTER");
	ssize_t r;

	if (e != 0 && fi_watched(fd)) {
		unsigned long long done = fi_fds[fd].nwritten, room;

		room = after > 0 && (unsigned long long)after > done ? (unsigned long long)after - done : 0;
		if (room == 0) {
			errno = e;
			return -1;
		}
		if (n > room)
			n = (size_t)room;
	}
	r = FI_REAL(write)(fd, buf, n);
	if (r > 0 && fi_watched(fd))
		fi_fds[fd].nwritten += (unsigned long long)r;
	return r;
}

static int fi_sync_fails(int fd)
{
	int e = fi_errno("FAULTINJECT_FSYNC");

	if (e == 0 || !fi_watched(fd))
		return 0;
	errno = e;
	return 1;
}

int fsync(int fd)
{
	return fi_sync_fails(fd) ? -1 : FI_REAL(fsync)(fd);
}

int fdatasync(int fd)
{
	return fi_sync_fails(fd) ? -1 : FI_REAL(fdatasync)(fd);
}

static mode_t fi_mode(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int fd;

	va_start(ap, flags);
	mode = fi_mode(flags, ap);
	va_end(ap);
	if (fi_open_fails(path))
		return -1;
	fd = FI_REAL(open)(path, flags, mode);
	fi_track(fd, path);
	return fd;
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int fd;

	va_start(ap, flags);
	mode = fi_mode(flags, ap);
	va_end(ap);
	if (fi_open_fails(path))
		return -1;
	fd = FI_REAL(open64)(path, flags, mode);
	fi_track(fd, path);
	return fd;
}

int openat(int dir, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int fd;

	va_start(ap, flags);
	mode = fi_mode(flags, ap);
	va_end(ap);
	if (fi_open_fails(path))
		return -1;
	fd = FI_REAL(openat)(dir, path, flags, mode);
	fi_track(fd, path);
	return fd;
}

int close(int fd)
{
	if (fd >= 3 && fd < FI_MAX_FD && fi_fds[fd].cookie == NULL)
		fi_track(fd, NULL);
	return FI_REAL(close)(fd);
}

int mkstemp(char *tmpl)
{
	int fd;

	if (fi_open_fails(tmpl))
		return -1;
	fd = FI_REAL(mkstemp)(tmpl);
	fi_track(fd, tmpl);
	return fd;
}

int mkostemp(char *tmpl, int flags)
{
	int fd;

	if (fi_open_fails(tmpl))
		return -1;
	fd = FI_REAL(mkostemp)(tmpl, flags);
	fi_track(fd, tmpl);
	return fd;
}

/* Cookie streams: every write goes through the faulty write. */
static ssize_t fi_cookie_read(void *c, char *buf, size_t n)
{
	return read((int)(intptr_t)c, buf, n);
}

static ssize_t fi_cookie_write(void *c, const char *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = write((int)(intptr_t)c, buf + done, n - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return done > 0 ? (ssize_t)done : -1;
		done += (size_t)r;
	}
	return (ssize_t)done;
}

static int fi_cookie_seek(void *c, off64_t *off, int whence)
{
	off64_t r = lseek64((int)(intptr_t)c, *off, whence);

	if (r < 0)
		return -1;
	*off = r;
	return 0;
}

static int fi_cookie_close(void *c)
{
	int fd = (int)(intptr_t)c;

	if (fd >= 0 && fd < FI_MAX_FD) {
		pthread_mutex_lock(&fi_lock);
		fi_fds[fd].cookie = NULL;
		pthread_mutex_unlock(&fi_lock);
	}
	return close(fd);       /* the interposed close: forgets fd */
}

static int fi_cookie_wanted(int fd, const char *mode)
{
	int writes = strpbrk(mode, "wa+") != NULL, reads = mode[0] == 'r' || strchr(mode, '+');

	if (!fi_watched(fd))
		return 0;
	return (writes && fi_errno("FAULTINJECT_WRITE") != 0) ||
	    (reads && fi_number("FAULTINJECT_READ_EIO") >= 0);
}

/* A stream on fd: a cookie stream when its reads or writes may fail, else
 * the C library's own. */
static FILE *fi_stream(int fd, const char *mode)
{
	static const cookie_io_functions_t io = {
		fi_cookie_read, fi_cookie_write, fi_cookie_seek, fi_cookie_close,
	};
	FILE *f;

	if (!fi_cookie_wanted(fd, mode))
		return FI_REAL(fdopen)(fd, mode);
	f = fopencookie((void *)(intptr_t)fd, mode, io);
	if (f != NULL)
		fi_fds[fd].cookie = f;
	return f;
}

FILE *fdopen(int fd, const char *mode)
{
	return fi_stream(fd, mode);
}

int fileno(FILE *f)
{
	for (int fd = 3; f != NULL && fd < FI_MAX_FD; fd++)
		if (fi_fds[fd].cookie == f)
			return fd;
	return FI_REAL(fileno)(f);
}

static FILE *fi_fopen(const char *path, const char *mode, FILE *(*real)(const char *, const char *))
{
	FILE *f;

	if (fi_open_fails(path))
		return NULL;
	f = real(path, mode);
	if (f == NULL)
		return NULL;
	fi_track(FI_REAL(fileno)(f), path);
	if (fi_cookie_wanted(FI_REAL(fileno)(f), mode)) {
		int fd = dup(FI_REAL(fileno)(f));

		fi_track(FI_REAL(fileno)(f), NULL);
		fclose(f);
		fi_track(fd, path);
		return fi_stream(fd, mode);
	}
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	return fi_fopen(path, mode, FI_REAL(fopen));
}

FILE *fopen64(const char *path, const char *mode)
{
	return fi_fopen(path, mode, FI_REAL(fopen64));
}
