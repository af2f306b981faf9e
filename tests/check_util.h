/* check_util.h: shared glue of Tessera's Check suites: runs one suite with a
 * generous per-test timeout (valgrind and sanitizer builds are slow) and
 * returns the process exit status automake expects. */
#ifndef CHECK_UTIL_H
#define CHECK_UTIL_H

#include <check.h>
#include <stdlib.h>

#include "jit/jit_llvm.h"

/* After each test: no JIT compile may still run when the test's process
 * exits (jit_cache_stop explains why). */
static inline void check_util_teardown(void)
{
   jit_cache_wait_idle();
}

/* Add a test case to suite s with the standard timeout. */
static inline TCase *check_util_tcase(Suite *s, const char *name)
{
   TCase *tc = tcase_create(name);
   tcase_set_timeout(tc, 120);
   tcase_add_checked_fixture(tc, NULL, check_util_teardown);
   suite_add_tcase(s, tc);
   return tc;
}

/* Run s, print the summary ("N%: Checks: ...") and return EXIT_SUCCESS/FAILURE. */
static inline int check_util_run(Suite *s)
{
   SRunner *sr = srunner_create(s);
   srunner_run_all(sr, CK_NORMAL);
   int failed = srunner_ntests_failed(sr);
   srunner_free(sr);
   return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
