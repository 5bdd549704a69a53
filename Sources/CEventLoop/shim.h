#ifndef PCMOCK_CEVENTLOOP_SHIM_H
#define PCMOCK_CEVENTLOOP_SHIM_H
// Swift's Glibc module lacks <sys/epoll.h>, <sys/eventfd.h> and accept4. struct epoll_event is
// packed on x86-64, which Swift imports badly, so the calls take plain integers instead.
// Headers the Glibc module already covers are not included: two views of them conflict.
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

static const uint32_t PCMOCK_EPOLLIN = EPOLLIN;
static const uint32_t PCMOCK_EPOLLOUT = EPOLLOUT;
static const uint32_t PCMOCK_EPOLLERR = EPOLLERR;
static const uint32_t PCMOCK_EPOLLHUP = EPOLLHUP;

static inline int pcmock_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

// op: 0 add, 1 modify, 2 delete.
static inline int pcmock_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t token) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = token;
    int ops[3] = {EPOLL_CTL_ADD, EPOLL_CTL_MOD, EPOLL_CTL_DEL};
    return epoll_ctl(epfd, ops[op < 0 || op > 2 ? 2 : op], fd, &event);
}

// Copies at most 256 ready events into the two arrays; returns their number, or -1 with errno.
static inline int pcmock_epoll_wait(int epfd, uint64_t *tokens, uint32_t *events, int capacity, int timeout_ms) {
    struct epoll_event ready[256];
    if (capacity > 256) capacity = 256;
    int count = epoll_wait(epfd, ready, capacity, timeout_ms);
    for (int i = 0; i < count; i++) {
        tokens[i] = ready[i].data.u64;
        events[i] = ready[i].events;
    }
    return count;
}

static inline int pcmock_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

// The counter cannot overflow in practice and the descriptor never blocks: results are moot.
static inline void pcmock_eventfd_signal(int fd) { (void)eventfd_write(fd, 1); }

static inline void pcmock_eventfd_drain(int fd) {
    eventfd_t value;
    (void)eventfd_read(fd, &value);
}

// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC passed by the caller; declared here (not via
// _GNU_SOURCE and <sys/socket.h>) for the same reason.
extern int accept4(int fd, void *address, unsigned int *length, int flags);
#endif
