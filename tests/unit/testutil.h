/* Shared includes for cmocka unit tests. */
#ifndef AL_TESTUTIL_H
#define AL_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Where the test data copied from GitLab and real repositories lives,
 * relative to the repository root (tests run from it; see testdata/). */
#define TESTDATA_DIR "testdata"

#endif
