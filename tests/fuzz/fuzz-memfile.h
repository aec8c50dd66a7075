/* Fuzz inputs as files: loaders take a path, so each input is written to an
 * anonymous in-memory file (memfd) and opened as /proc/self/fd/N, with no
 * disk traffic and nothing left behind. */
#ifndef CROSSMKT_FUZZ_MEMFILE_H
#define CROSSMKT_FUZZ_MEMFILE_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_memfile {
	int fd;
	char path[64];
};

/* Creates the file holding data[0..size); aborts when that fails. */
void fuzz_memfile_open(struct fuzz_memfile *m, const uint8_t *data, size_t size);
void fuzz_memfile_close(struct fuzz_memfile *m);

#endif
