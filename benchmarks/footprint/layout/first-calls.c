/*
 * first-calls: which functions of a program run, in the order they first run.
 *
 *   first-calls OUT ADDRESSES -- PROGRAM [ARGS...]
 *
 * ADDRESSES lists the entry addresses (hex, one per line) of the functions to watch in PROGRAM, a
 * non-position-independent executable (the reference executor is linked at a fixed address).
 * PROGRAM runs under ptrace with a breakpoint (int3) on the first byte of each of them. The first
 * time a thread reaches one, the original byte is put back, the thread resumes at it and its
 * address is noted; the function costs nothing after that. When PROGRAM exits, the noted addresses
 * are appended to OUT in first-run order and first-calls exits with PROGRAM's status. Every thread
 * is followed (PTRACE_O_TRACECLONE); signals other than these breakpoints are passed on, and
 * SIGTERM, SIGINT and SIGHUP sent to first-calls are forwarded to PROGRAM.
 *
 * Used by record.sh to write the order file of the reference executor (see ../README.md). Linux,
 * x86-64 only. Our own tool: no dependency beyond the C library.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t *watched;      /* sorted, unique entry addresses */
static unsigned char *saved;   /* the byte each breakpoint replaced */
static unsigned char *reached; /* whether the function has run */
static size_t count;
static pid_t program;

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static long lookup(uint64_t address)
{
    size_t low = 0, high = count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (watched[middle] < address) low = middle + 1; else high = middle;
    }
    return low < count && watched[low] == address ? (long)low : -1;
}

static void forward(int signal_number)
{
    if (program > 0) kill(program, signal_number);
}

static int read_addresses(const char *path)
{
    FILE *file = fopen(path, "r");
    if (!file) { perror(path); return -1; }
    size_t capacity = 1 << 16;
    watched = malloc(capacity * sizeof *watched);
    unsigned long long value;
    while (watched && fscanf(file, "%llx", &value) == 1) {
        if (count == capacity) watched = realloc(watched, (capacity *= 2) * sizeof *watched);
        if (watched) watched[count++] = value;
    }
    fclose(file);
    if (!watched) { fprintf(stderr, "first-calls: out of memory\n"); return -1; }
    qsort(watched, count, sizeof *watched, compare);
    size_t unique = 0;
    for (size_t i = 0; i < count; i++)
        if (unique == 0 || watched[unique - 1] != watched[i]) watched[unique++] = watched[i];
    count = unique;
    saved = malloc(count ? count : 1);
    reached = calloc(count ? count : 1, 1);
    return saved && reached ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 5 || strcmp(argv[3], "--") != 0) {
        fprintf(stderr, "usage: first-calls OUT ADDRESSES -- PROGRAM [ARGS...]\n");
        return 64;
    }
    if (read_addresses(argv[2]) != 0) return 66;
    uint64_t *order = malloc((count ? count : 1) * sizeof *order);
    size_t ran = 0;
    if (!order) return 71;

    program = fork();
    if (program < 0) { perror("fork"); return 71; }
    if (program == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        execv(argv[4], argv + 4);
        perror(argv[4]);
        _exit(127);
    }
    signal(SIGTERM, forward);
    signal(SIGINT, forward);
    signal(SIGHUP, forward);

    int status;
    if (waitpid(program, &status, __WALL) < 0 || !WIFSTOPPED(status)) {
        fprintf(stderr, "first-calls: %s did not stop after exec\n", argv[4]);
        return 71;
    }
    ptrace(PTRACE_SETOPTIONS, program, 0, PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL);

    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mem", (int)program);
    int memory = open(path, O_RDWR);
    if (memory < 0) { perror(path); return 71; }
    const unsigned char breakpoint = 0xCC;
    for (size_t i = 0; i < count; i++) {
        if (pread(memory, &saved[i], 1, (off_t)watched[i]) != 1 || pwrite(memory, &breakpoint, 1, (off_t)watched[i]) != 1) {
            fprintf(stderr, "first-calls: cannot set a breakpoint at %llx\n", (unsigned long long)watched[i]);
            kill(program, SIGKILL);
            return 71;
        }
    }
    ptrace(PTRACE_CONT, program, 0, 0);

    int exit_status = 0;
    pid_t *threads = NULL;
    size_t thread_count = 0, thread_capacity = 0;
    for (;;) {
        pid_t thread = waitpid(-1, &status, __WALL);
        if (thread < 0) {
            if (errno == EINTR) continue;
            break; /* ECHILD: every thread is gone */
        }
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            if (thread == program) exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            continue;
        }
        if (!WIFSTOPPED(status)) continue;
        int signal_number = WSTOPSIG(status);
        if (status >> 16) { /* a ptrace event (clone): nothing to pass on */
            ptrace(PTRACE_CONT, thread, 0, 0);
            continue;
        }
        int known = 0;
        for (size_t i = 0; i < thread_count && !known; i++) known = threads[i] == thread;
        if (!known) {
            if (thread_count == thread_capacity) {
                thread_capacity = thread_capacity ? thread_capacity * 2 : 64;
                threads = realloc(threads, thread_capacity * sizeof *threads);
                if (!threads) { kill(program, SIGKILL); return 71; }
            }
            threads[thread_count++] = thread;
            if (thread != program && signal_number == SIGSTOP) { /* a new thread's first stop */
                ptrace(PTRACE_CONT, thread, 0, 0);
                continue;
            }
        }
        if (signal_number == SIGTRAP) {
            struct user_regs_struct registers;
            ptrace(PTRACE_GETREGS, thread, 0, &registers);
            long index = lookup(registers.rip - 1);
            if (index >= 0) {
                /* Another thread may have reached the same breakpoint first: the byte is back then,
                   but this thread still executed the int3 and must step back onto the function. */
                if (!reached[index]) {
                    reached[index] = 1;
                    pwrite(memory, &saved[index], 1, (off_t)watched[index]);
                    order[ran++] = watched[index];
                }
                registers.rip -= 1;
                ptrace(PTRACE_SETREGS, thread, 0, &registers);
                ptrace(PTRACE_CONT, thread, 0, 0);
                continue;
            }
        }
        ptrace(PTRACE_CONT, thread, 0, signal_number);
    }

    FILE *out = fopen(argv[1], "a");
    if (!out) { perror(argv[1]); return 73; }
    for (size_t i = 0; i < ran; i++) fprintf(out, "%llx\n", (unsigned long long)order[i]);
    fclose(out);
    fprintf(stderr, "first-calls: %zu of %zu functions ran\n", ran, count);
    return exit_status;
}
