/* In-memory files for the fuzz targets. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-memfile.h"

void fuzz_memfile_open(struct fuzz_memfile *m, const uint8_t *data, size_t size)
{
	size_t off = 0;

	m->fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	if (m->fd < 0) {
		perror("memfd_create");
		abort();
	}
	while (off < size) {
		ssize_t n = write(m->fd, data + off, size - off);

		if (n <= 0) {
			perror("write");
			abort();
		}
		off += (size_t)n;
	}
	snprintf(m->path, sizeof m->path, "/proc/self/fd/%d", m->fd);
}

void fuzz_memfile_close(struct fuzz_memfile *m)
{
	close(m->fd);
	m->fd = -1;
}
