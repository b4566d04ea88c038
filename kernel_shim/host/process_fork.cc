// SPDX-License-Identifier: GPL-2.0-only
#include "process_fork.h"

#include "host.h"
#include "smmusim/kernel.h"

namespace smmusim::kshim {

Forks::Forks(Host& h) : h_(h) {}

Forks::~Forks() = default;

int Forks::fork(pid_t pid)
{
    const int n = next_;
    void* task = h_.timed([&] { return smmusim_process_fork(n, static_cast<int>(pid)); });
    if (!task)
        return -1;
    next_++;
    Child& c = children_[n];
    c.pid = pid;
    c.task = task;
    c.memory = h_.user.copy_for_fork();
    c.mapped = true;
    return n;
}

void Forks::exit(int n)
{
    auto it = children_.find(n);
    if (it == children_.end() || !it->second.task)
        return;
    as(n, [&] {
        return h_.timed([&] {
            smmusim_process_exit(it->second.task);
            return 0;
        });
    });
    it->second.task = nullptr;
}

Forks::Switch::Switch(Forks& forks, int n) : f(forks), prev_pid(forks.user_pid_)
{
    const Child& c = f.children_.at(n);
    prev_task = smmusim_process_switch(c.task);
    f.user_pid_ = c.pid;
}

Forks::Switch::~Switch()
{
    smmusim_process_switch(prev_task);
    f.user_pid_ = prev_pid;
}

int Forks::child_of(pid_t pid) const
{
    for (const auto& c : children_)
        if (c.second.pid == pid)
            return c.first;
    return 0;
}

void Forks::vm(int n, unsigned long* pinned, unsigned long* locked) const
{
    *pinned = *locked = 0;
    if (n == 0) {
        smmusim_process_vm(nullptr, pinned, locked);
        return;
    }
    auto it = children_.find(n);
    if (it != children_.end() && it->second.task)
        smmusim_process_vm(it->second.task, pinned, locked);
}

uint64_t Forks::pa(int mm_id, uint64_t uva) const
{
    if (mm_id == 0)
        return h_.user.pa(uva);
    auto it = children_.find(mm_id);
    if (it == children_.end() || !it->second.mapped)
        return ~0ull;
    return UserMemory::lookup(it->second.memory, uva);
}

void Forks::exit_mmap(int mm_id)
{
    auto it = children_.find(mm_id);
    if (it == children_.end() || !it->second.mapped)
        return;
    h_.user.release_copy(it->second.memory);
    it->second.memory.clear();
    it->second.mapped = false;
}

}  // namespace smmusim::kshim
