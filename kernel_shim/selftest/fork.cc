// SPDX-License-Identifier: GPL-2.0-only
// fork(), waitpid(), exit() and fopen("/proc/PID/status") of the selftest
// (wrapped at link time as syscalls.cc's calls are): a fork() in a case
// makes a second process of the same simulated machine.
//
// Which fork: the kselftest harness forks a child per case and a grandchild
// per TEST_F before the fixture's setup opens /dev/iommu; those copy the
// booted machine (each case runs on its own copy). A fork() by a process
// that has opened /dev/iommu is the case's own: the real fork() makes the
// host process that runs the child's code, and the simulated kernel stays
// in the parent, which adds a simulated process for the child (its task, a
// copy of the parent's mm and descriptor table: host/process_fork.h).
//
// The child's system calls on simulated files (open of /dev/iommu, ioctl,
// read, close) and its reads of /proc/PID/status go over a socket made at
// fork to the parent, which serves them as the child's process (its task
// `current`; copies from and to user memory reach the child's host memory
// by its pid). The parent serves while it waits in waitpid() or in a
// blocking read() of a real descriptor (a pipe, an eventfd): a request at a
// time, each run to its end before the next, the children in the order
// they were made, so the simulated machine sees the order the program
// makes. EOF on a child's socket is its exit (however it ended: exit(),
// a signal, a crash): its simulated process exits (its descriptors closed,
// its mm's users gone, so a later pin of its pages fails with EFAULT), and
// only then does waitpid() reap it.
//
// /proc/PID/status of a simulated process is the host process's own file
// with VmLck and VmPin from the simulated mm (iommufd accounts there).
//
// Not done: a fork() by a forked child (ENOSYS); a child's new memory
// (anonymous memory would need frames of the parent's pool: ENOMEM), its
// mmap()/munmap() of a simulated file, memfd_create(), ftruncate() and
// poll() of simulated files (ENOSYS); poll() in the parent does not serve
// children.
#include "fork.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "host.h"
#include "machine.h"

namespace smmusim::kshim::selftest {

namespace {

enum class Op : uint32_t { Open, Ioctl, Read, Close, Status };

struct Request {
    Op op;
    int32_t fd;   // Status: the pid
    uint64_t a;   // Ioctl: cmd; Read: buf
    uint64_t b;   // Ioctl: arg; Read: count
    char name[32];
};

struct Reply {
    int64_t ret;  // the kernel's value (negative errno)
    char text[8192];  // Status: the file, NUL-terminated
};

// A child waits this long (host time) for nothing at all from it before
// its parent names what it waited for and kills it (the case then fails).
constexpr int kStallMs = 120 * 1000;

Process& process() { return host().process; }

// ---- the parent's side -----------------------------------------------------

struct Child {
    pid_t pid;
    int sock;  // -1 once it is gone
    int n;     // its number in Forks
};

std::vector<Child>& children()
{
    static std::vector<Child> c;
    return c;
}

// A forked child (pid -1: any) whose process has not ended.
bool alive(pid_t pid = -1)
{
    for (const Child& c : children())
        if (c.sock >= 0 && (pid == -1 || c.pid == pid))
            return true;
    return false;
}

// /proc/PID/status of simulated process n (host process pid): the host's
// file, its VmLck and VmPin lines from the simulated mm; "" if none.
std::string status_text(pid_t pid, int n)
{
    std::ifstream f("/proc/" + std::to_string(pid) + "/status");
    if (!f)
        return "";
    unsigned long pinned = 0, locked = 0;
    process().forks().vm(n, &pinned, &locked);
    std::ostringstream out;
    std::string line;
    char buf[64];
    while (std::getline(f, line)) {
        const bool lck = line.rfind("VmLck:", 0) == 0, pin = line.rfind("VmPin:", 0) == 0;
        if (lck || pin) {
            std::snprintf(buf, sizeof(buf), "%s\t%8lu kB", lck ? "VmLck:" : "VmPin:", (lck ? locked : pinned) * 4);
            line = buf;
        }
        out << line << '\n';
    }
    return out.str();
}

// The simulated process that host process `pid` is, seen from this one:
// 0 this one, n a child, -1 none.
int simulated_process(pid_t pid)
{
    if (pid == getpid())
        return 0;
    const int n = process().forks().child_of(pid);
    return n ? n : -1;
}

// One request of child c, served as its process.
long serve(const Child& c, const Request& rq, Reply& rp)
{
    Forks& forks = process().forks();
    rp.text[0] = 0;
    switch (rq.op) {
    case Op::Open: {
        const std::string dev(rq.name, strnlen(rq.name, sizeof(rq.name)));
        return forks.as(c.n, [&] { return static_cast<long>(process().sys_open(dev)); });
    }
    case Op::Ioctl:
        return forks.as(c.n, [&] { return process().sys_ioctl(rq.fd, rq.a, reinterpret_cast<void*>(rq.b)); });
    case Op::Read:
        return forks.as(c.n, [&] { return process().sys_read(rq.fd, reinterpret_cast<void*>(rq.a), rq.b); });
    case Op::Close:
        return forks.as(c.n, [&] { return static_cast<long>(process().sys_close(rq.fd)); });
    case Op::Status: {
        const int n = simulated_process(rq.fd);
        const std::string s = n < 0 ? "" : status_text(rq.fd, n);
        if (s.empty() || s.size() >= sizeof(rp.text))
            return -ENOENT;
        std::memcpy(rp.text, s.c_str(), s.size() + 1);
        return 0;
    }
    }
    return -ENOSYS;
}

// A message (or EOF) from child c: serves it, or ends its process.
void on_message(Child& c)
{
    Request rq{};
    const ssize_t got = recv(c.sock, &rq, sizeof(rq), 0);
    if (got == static_cast<ssize_t>(sizeof(rq))) {
        static Reply rp;
        rp.ret = serve(c, rq, rp);
        const size_t len = offsetof(Reply, text) + (rq.op == Op::Status ? std::strlen(rp.text) + 1 : 0);
        send(c.sock, &rp, len, MSG_NOSIGNAL);  // a child that died waiting: its EOF comes next
        return;
    }
    if (got < 0 && errno == EINTR)
        return;
    // EOF (or a broken message: the child is not speaking this protocol).
    close(c.sock);
    c.sock = -1;
    process().forks().exit(c.n);
}

// Serves the live children until `fd` (if >= 0) is readable, or child
// `pid` (if > 0; -1: any) is gone, or no child is alive. `what` names the
// wait for the message of a stalled child.
void serve_until(int fd, pid_t pid, const char* what)
{
    for (;;) {
        std::vector<pollfd> fds;
        std::vector<Child*> who;
        if (fd >= 0)
            fds.push_back({fd, POLLIN, 0});
        for (Child& c : children())
            if (c.sock >= 0) {
                fds.push_back({c.sock, POLLIN, 0});
                who.push_back(&c);
            }
        if (who.empty())
            return;
        const int ready = poll(fds.data(), fds.size(), kStallMs);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0) {
            for (Child* c : who) {
                std::fprintf(stderr, "iommufd selftest: %s waited %d s for forked process %d, which neither "
                             "called the simulated kernel nor exited: killed\n", what, kStallMs / 1000, c->pid);
                kill(c->pid, SIGKILL);
            }
            continue;
        }
        if (fd >= 0 && fds[0].revents)
            return;
        const size_t first = fd >= 0 ? 1 : 0;
        for (size_t i = 0; i < who.size(); i++) {
            if (!fds[first + i].revents)
                continue;
            Child& c = *who[i];
            on_message(c);
            if (c.sock < 0 && (pid == -1 || pid == c.pid))
                return;
        }
    }
}

// ---- the child's side ------------------------------------------------------

// The forked child's simulated system calls, sent to its parent.
class ToParent : public SyscallForwarder {
public:
    explicit ToParent(int sock) : sock_(sock) {}

    int open(const std::string& dev) override
    {
        Request rq{Op::Open, 0, 0, 0, {}};
        std::snprintf(rq.name, sizeof(rq.name), "%s", dev.c_str());
        return static_cast<int>(call(rq));
    }
    long ioctl(int fd, unsigned long cmd, void* arg) override
    {
        return call({Op::Ioctl, fd, cmd, reinterpret_cast<uint64_t>(arg), {}});
    }
    long read(int fd, void* buf, size_t count) override
    {
        return call({Op::Read, fd, reinterpret_cast<uint64_t>(buf), count, {}});
    }
    int close(int fd) override { return static_cast<int>(call({Op::Close, fd, 0, 0, {}})); }

    // /proc/PID/status as the parent's kernel has it, or "" (not simulated).
    std::string status(pid_t pid)
    {
        return call({Op::Status, static_cast<int32_t>(pid), 0, 0, {}}) == 0 ? std::string(reply_.text) : "";
    }

private:
    long call(const Request& rq)
    {
        if (send(sock_, &rq, sizeof(rq), MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof(rq))) {
            ssize_t got;
            do
                got = recv(sock_, &reply_, sizeof(reply_), 0);
            while (got < 0 && errno == EINTR);
            if (got >= static_cast<ssize_t>(offsetof(Reply, text)))
                return reply_.ret;
        }
        std::fprintf(stderr, "iommufd selftest: forked process %d: the process running the simulated kernel "
                     "is gone\n", getpid());
        return -EIO;
    }

    int sock_;
    Reply reply_{};
};

ToParent* to_parent = nullptr;  // set in a forked child

void become_child(int sock)
{
    for (Child& c : children())
        if (c.sock >= 0)
            close(c.sock);
    children().clear();
    to_parent = new ToParent(sock);  // the process's lifetime
    process().forward_to(to_parent);
    host().user.freeze();
}

// pid of "/proc/PID/status" or "/proc/self/status", or -1.
pid_t status_pid(const char* path)
{
    if (std::strcmp(path, "/proc/self/status") == 0)
        return getpid();
    int pid = 0, end = 0;
    if (std::sscanf(path, "/proc/%d/status%n", &pid, &end) == 1 && path[end] == 0 && pid > 0)
        return pid;
    return -1;
}

FILE* text_file(const std::string& s)
{
    FILE* f = fmemopen(nullptr, s.size() + 1, "w+");
    if (!f)
        return nullptr;
    std::fputs(s.c_str(), f);
    std::rewind(f);
    return f;
}

}  // namespace

void serve_children_until_readable(int fd)
{
    if (!alive() || (fcntl(fd, F_GETFL) & O_NONBLOCK))
        return;
    serve_until(fd, 0, "read()");
}

}  // namespace smmusim::kshim::selftest

using namespace smmusim::kshim::selftest;

extern "C" {

pid_t __wrap_fork(void)
{
    machine();
    if (!process().opened_iommu())
        return fork();  // the harness's: a copy of the machine per case
    if (to_parent) {
        std::fprintf(stderr, "iommufd selftest: fork() in a forked process is not modelled\n");
        errno = ENOSYS;
        return -1;
    }
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
        return -1;
    const pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        become_child(sv[1]);
        return 0;
    }
    close(sv[1]);
    const int n = pid > 0 ? process().forks().fork(pid) : -1;
    if (pid > 0 && n < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        errno = ENOMEM;
    }
    if (n < 0) {
        close(sv[0]);
        return -1;
    }
    children().push_back({pid, sv[0], n});
    return pid;
}

pid_t __wrap_waitpid(pid_t pid, int* status, int options)
{
    if (!(options & WNOHANG) && (pid == -1 || alive(pid)))
        serve_until(-1, pid, "waitpid()");
    // WNOHANG: what the children have sent already is served; none is waited for.
    for (Child& c : children()) {
        pollfd p{c.sock, POLLIN, 0};
        if ((options & WNOHANG) && c.sock >= 0 && poll(&p, 1, 0) > 0)
            on_message(c);
    }
    return waitpid(pid, status, options);
}

// A forked child's end: its copy of the machine is not its own to tear
// down (static destructors of a copied simulation), so only the C
// library's buffers are flushed; the parent learns of the end by EOF.
void __wrap_exit(int status)
{
    if (to_parent) {
        std::fflush(nullptr);
        _exit(status);
    }
    exit(status);
}

FILE* __wrap_fopen(const char* path, const char* mode)
{
    const pid_t pid = status_pid(path);
    if (pid > 0 && std::strcmp(mode, "r") == 0) {
        std::string s;
        if (to_parent)
            s = to_parent->status(pid);
        else if (const int n = simulated_process(pid); n >= 0)
            s = status_text(pid, n);
        if (!s.empty())
            return text_file(s);
    }
    return fopen(path, mode);
}

}  // extern "C"
