#!/usr/bin/env bash
# python_thread_tests.sh: python3's own regression tests for threads and queues,
# with PYTHONMALLOC=malloc so every Python object goes through malloc; the test
# workers are subprocesses, so they inherit LD_PRELOAD too. The test runner's
# log (timings, random seed) is not deterministic: it goes to a file and only
# its final result line and the exit status are printed, and a failure fails the script.
# since: an-arena-per-thread
# timeout: 300
set -u
if ! python3 -c 'import test.test_queue' 2>/dev/null; then
    echo "python3 has no regression tests (Debian: apt-get install libpython3.11-testsuite)" >&2
    exit 2
fi
PYTHONMALLOC=malloc python3 -m test -j2 \
    test_queue test_thread test_threading_local test_threadsignals > regrtest.log 2>&1
status=$?
if [ "$status" -ne 0 ]; then
    tail -n 40 regrtest.log >&2
fi
grep -E '^Result: ' regrtest.log | tail -n 1
echo "exit status: $status"
exit "$status"
