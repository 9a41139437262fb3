// libzmq (Debian libzmq3-dev). Its API is plain C that Swift imports as is; the shims cover what it cannot:
// zmq_msg_t is an opaque 64-byte union that must stay at one address while libzmq uses it, so messages are
// received into a caller-owned one and only their bytes cross into Swift.
#ifndef BEAMFORGE_CZMQ_SHIM_H
#define BEAMFORGE_CZMQ_SHIM_H
#include <zmq.h>
#include <errno.h>

// errno values libzmq reports through zmq_errno() that the wrapper tells apart (Swift imports the macros of
// <errno.h> only through Glibc, which the wrapper does not need otherwise).
static inline int bf_zmq_eagain(void) { return EAGAIN; }
static inline int bf_zmq_eintr(void) { return EINTR; }
#endif
