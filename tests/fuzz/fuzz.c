/* fuzz.c: random calls of the whole malloc API, from several threads,
 * with every result checked against a shadow record of the live blocks.
 *
 *   LD_PRELOAD=./libmalloc.so out/fuzz/fuzz [options]
 *
 *   -s SECONDS   how long (5), but at least -n calls per thread (1000)
 *   -S SEED      the run's seed (from the clock); each thread's is derived
 *   -t THREADS   threads (4); -t 1 replays a seed's calls exactly
 *   -a NAMES     the calls to make, comma-separated (all eleven)
 *   -F           no fork (a library that cannot fork with threads busy)
 *   -B BYTES     stop after allocating this much (a library that never
 *                reuses memory); K, M, G suffixes
 *   -m KINDS     misuse mode: free (or realloc, malloc_usable_size, if -a
 *                has them) what is not a block and expect a report:
 *                double (a freed block), interior, metadata
 *   -R BYTES     misuse: regions are this big and aligned to it (4M)
 *   -M OFFSETS   misuse: metadata's offsets from a region's start (0,256K:
 *                from chapter 05 on, the node array, then the header)
 *
 * The output ends with "fuzz: ok"; a failure names the seed, the thread,
 * the step and the call, and exits with 1 (or dies of the signal).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "fuzz.h"

struct settings settings = {
    .seconds = 5, .min_steps = 1000, .threads = 4, .fork = true, .region = (size_t)4 << 20,
    .meta = { 0, (size_t)256 << 10 }, .nmeta = 2,
};

static struct thread threads[MAX_THREADS];
static struct timespec deadline;

/* The fuzzer's core: make random calls and check every result, until
   the time, the step count or the byte budget runs out. */
void run(struct thread *t, unsigned long steps)
{
    for (unsigned long n = 0; n < steps && !stopping(t); n++, t->step++)
        step(t);
}

/* Time is up once the thread made its minimum of calls (-n), so that a
   busy machine still sees every kind of call; the budget stops at once. */
bool stopping(const struct thread *t)
{
    if (settings.budget != 0 && bytes_allocated() > settings.budget)
        return true;
    return t->step >= settings.min_steps && time_is_up();
}

void start_clock(double seconds)
{
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    long ns = (long)((seconds - (long)seconds) * 1e9) + deadline.tv_nsec;
    deadline.tv_sec += (time_t)seconds + ns / 1000000000;
    deadline.tv_nsec = ns % 1000000000;
}

bool time_is_up(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec != deadline.tv_sec)
        return now.tv_sec > deadline.tv_sec;
    return now.tv_nsec >= deadline.tv_nsec;
}

static void *thread_main(void *arg)
{
    struct thread *t = arg;
    set_self(t);
    run(t, (unsigned long)-1);
    release_all(t);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* The command line                                                   */

static _Noreturn void usage(const char *problem)
{
    fprintf(stderr, "fuzz: %s (see the top of tests/fuzz/fuzz.c)\n",
            problem);
    exit(2);
}

static size_t parse_bytes(const char *s)
{
    char *end;
    unsigned long long n = strtoull(s, &end, 0);
    int shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
    if (end == s || (shift != 0 && end[1] != '\0')
        || (shift == 0 && *end != '\0'))
        usage("a size is a number with an optional K, M or G");
    return (size_t)n << shift;
}

static void parse_calls(char *list)
{
    memset(settings.use, 0, sizeof settings.use);
    for (char *name = strtok(list, ","); name; name = strtok(NULL, ",")) {
        unsigned i = 0;
        while (i < API_COUNT && strcmp(name, api_names[i]) != 0)
            i++;
        if (i == API_COUNT)
            usage("-a takes names of the malloc API");
        settings.use[i] = true;
    }
    if (!settings.use[API_MALLOC] || !settings.use[API_FREE])
        usage("-a needs malloc and free at least");
}

static void parse_misuse(char *list)
{
    static const char *const kinds[] = { "double", "interior", "metadata" };
    for (char *name = strtok(list, ","); name; name = strtok(NULL, ",")) {
        unsigned i = 0;
        while (i < 3 && strcmp(name, kinds[i]) != 0)
            i++;
        if (i == 3)
            usage("-m takes double, interior, metadata");
        settings.misuse |= 1u << i;
    }
}

static void parse_offsets(char *list)
{
    size_t room = sizeof settings.meta / sizeof settings.meta[0];
    settings.nmeta = 0;
    for (char *s = strtok(list, ","); s; s = strtok(NULL, ",")) {
        if (settings.nmeta == room)
            usage("-M takes at most four offsets");
        settings.meta[settings.nmeta++] = parse_bytes(s);
    }
}

static void parse(int argc, char **argv)
{
    bool seeded = false;
    for (unsigned i = 0; i < API_COUNT; i++)
        settings.use[i] = true;
    for (int c; (c = getopt(argc, argv, "s:n:S:t:a:FB:m:R:M:")) != -1;) {
        switch (c) {
        case 's': settings.seconds = atof(optarg); break;
        case 'n': settings.min_steps = strtoul(optarg, NULL, 0); break;
        case 'S': settings.seed = strtoull(optarg, NULL, 0); seeded = true;
                  break;
        case 't': settings.threads = (unsigned)atoi(optarg); break;
        case 'a': parse_calls(optarg); break;
        case 'F': settings.fork = false; break;
        case 'B': settings.budget = parse_bytes(optarg); break;
        case 'm': parse_misuse(optarg); break;
        case 'R': settings.region = parse_bytes(optarg); break;
        case 'M': parse_offsets(optarg); break;
        default: usage("unknown option");
        }
    }
    if (optind != argc || settings.threads < 1
        || settings.threads > MAX_THREADS)
        usage("bad arguments");
    if ((settings.region & (settings.region - 1)) != 0)
        usage("-R takes a power of two");
    if (!seeded)
        settings.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    if (settings.misuse != 0) {
        /* One thread, no fork: each misuse child is a fork already. */
        settings.threads = 1;
        settings.fork = false;
    }
}

/* ------------------------------------------------------------------ */

static void report(double seconds)
{
    unsigned long calls[API_COUNT] = { 0 }, steps = 0, refusals = 0;
    unsigned long forks = 0, handovers = 0;
    for (unsigned i = 0; i < settings.threads; i++) {
        for (unsigned a = 0; a < API_COUNT; a++)
            calls[a] += threads[i].calls[a];
        steps += threads[i].step;
        refusals += threads[i].refusals;
        forks += threads[i].forks;
        handovers += threads[i].handovers;
    }
    char line[1024];
    int n = 0;
    for (unsigned a = 0; a < API_COUNT; a++)
        if (settings.use[a])
            n += snprintf(line + n, sizeof line - (size_t)n, " %s=%lu",
                          api_names[a], calls[a]);
    say("fuzz: %lu steps in %.1f s, %lu refusals, %lu forks, "
        "%lu hand-overs\nfuzz: calls%s\n", steps, seconds, refusals, forks,
        handovers, line);
    if (settings.misuse != 0)
        say("fuzz: reported double=%lu interior=%lu metadata=%lu\n"
            "fuzz: misused free=%lu realloc=%lu malloc_usable_size=%lu\n",
            misuse_count[0], misuse_count[1], misuse_count[2],
            misuse_calls[API_FREE], misuse_calls[API_REALLOC],
            misuse_calls[API_USABLE_SIZE]);
}

int main(int argc, char **argv)
{
    parse(argc, argv);
    catch_crashes();
    say("fuzz: seed %llu, %u thread%s, %.1f s%s%s\n",
        (unsigned long long)settings.seed, settings.threads,
        settings.threads == 1 ? "" : "s", settings.seconds,
        settings.fork ? ", fork" : "", settings.misuse ? ", misuse" : "");
    struct timespec began, ended;
    clock_gettime(CLOCK_MONOTONIC, &began);
    start_clock(settings.seconds);
    for (unsigned i = 0; i < settings.threads; i++)
        threads[i] = (struct thread){
            .id = i, .rng = settings.seed ^ (0xd1b54a32d192ed03u * (i + 1)),
        };
    if (settings.misuse != 0) {
        set_self(&threads[0]);
        misuse_run(&threads[0]);
        release_all(&threads[0]);
    } else {
        pthread_t ids[MAX_THREADS];
        for (unsigned i = 0; i < settings.threads; i++)
            if (pthread_create(&ids[i], NULL, thread_main, &threads[i]))
                fail(&threads[i], "pthread_create failed");
        for (unsigned i = 0; i < settings.threads; i++)
            pthread_join(ids[i], NULL);
        set_self(&threads[0]);
        drain_queue(&threads[0]);
    }
    clock_gettime(CLOCK_MONOTONIC, &ended);
    report((double)(ended.tv_sec - began.tv_sec)
           + (double)(ended.tv_nsec - began.tv_nsec) / 1e9);
    say("fuzz: ok\n");
    return 0;
}
