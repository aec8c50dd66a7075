/* Where the console finds the demo datasets when it is given no file:
 *   1. $CROSSMKT_DATA;
 *   2. for the binary in its build tree, the directory named by the file
 *      crossmkt.data beside it (make writes it there: the source tree's
 *      data/; it is never installed, so an installed binary has none);
 *   3. the installed data directory (CROSSMKT_DATADIR, pkgdatadir).
 * Nothing of the source tree is compiled in. */
#ifndef CROSSMKT_DEMODATA_H
#define CROSSMKT_DEMODATA_H

/* The first of those directories holding users.csv (the caller's), or
 * NULL. */
char *demodata_dir(void);
/* The directories searched, in order, for messages (the caller's). */
char *demodata_searched(void);

#endif
