// SPDX-License-Identifier: GPL-2.0-only
// The simulated processes fork() adds to the first one (the iommufd
// selftest's cases that make iommufd pin a child's pages): each is a task,
// mm and descriptor table of the kernel side (src/process.c: a copy of the
// first process's, its open files shared) and, here, the host pid of the
// real process it stands for (copy_{from,to}_user reach that process's
// memory) and its address space: the first process's user mappings at
// fork, sharing their frames until its exit.
//
// What this does not do: carry a child's system calls from its own host
// process to this one (kernel_shim/selftest/fork.cc does); copy private
// anonymous memory (a child shares every frame of user memory with its
// parent, MAP_PRIVATE ones included); fork a forked process.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <map>
#include <memory>

#include "user_memory.h"

namespace smmusim::kshim {

struct Host;

class Forks {
public:
    explicit Forks(Host& h);
    ~Forks();
    Forks(const Forks&) = delete;
    Forks& operator=(const Forks&) = delete;

    // fork() of the first process, whose child is host process `pid`: the
    // child's number (>= 1), or -1 (no memory for its task and mm).
    int fork(pid_t pid);
    // do_exit() of child n (its descriptors closed, its mm's users gone, so
    // pins of its pages fail with EFAULT from now on); it stays known by
    // its pid (VmPin and VmLck read 0, as a zombie's status has none).
    void exit(int n);
    // Runs fn as child n: its task `current` and its memory the user
    // memory of copies and pins; then the first process again.
    template <class F> auto as(int n, F&& fn)
    {
        Switch s(*this, n);
        return fn();
    }

    // The child whose host process is `pid` (alive or exited), or 0.
    int child_of(pid_t pid) const;
    // pinned_vm and locked_vm (pages) of process n (0: the first).
    void vm(int n, unsigned long* pinned, unsigned long* locked) const;
    // The host process whose memory user copies reach now (the first
    // simulated process is this host process, whichever its pid now).
    pid_t user_pid() const { return user_pid_ ? user_pid_ : getpid(); }
    // Simulated PA behind `uva` in the address space of mm `mm_id`
    // (src/process.c's smmusim_mm_id), ~0 if none; its exit_mmap().
    uint64_t pa(int mm_id, uint64_t uva) const;
    void exit_mmap(int mm_id);

private:
    struct Child {
        pid_t pid = 0;
        void* task = nullptr;         // its task_struct (alive: not null)
        UserMemory::Mappings memory;  // its address space
        bool mapped = false;          // memory not yet exit_mmap()ed
    };
    struct Switch {
        Switch(Forks& f, int n);
        ~Switch();
        Forks& f;
        void* prev_task;
        pid_t prev_pid;
    };

    Host& h_;
    std::map<int, Child> children_;
    int next_ = 1;
    pid_t user_pid_ = 0;  // 0: this host process
};

}  // namespace smmusim::kshim
