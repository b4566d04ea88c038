// SPDX-License-Identifier: GPL-2.0-only
// Per-queue state of a trace's command queues, found by the queue's name.
// Most operations name the queue the one before did, so the table keeps the
// entry it found last and answers from it when the queue is the same.
#pragma once

#include <map>
#include <string>

#include "trace.h"

namespace smmusim {

// Which queue an operation names, as three values: a queue's name is the
// one spelling of them (the reader's parse_queue), so equal keys, equal
// names; comparing them is cheaper than comparing the names.
struct QueueKey {
    bool vcmdq = false;
    unsigned vintf = 0, lidx = 0;
    static QueueKey of(const TraceOp& op) { return op.vcmdq ? QueueKey{true, op.vintf, op.lidx} : QueueKey{}; }
    bool operator==(const QueueKey& o) const { return vcmdq == o.vcmdq && vintf == o.vintf && lidx == o.lidx; }
};

// T for each queue a trace names, value-initialised (false, 0, T{}) when an
// operation names it first. Entries never move (map nodes), so the memo of
// the last one stays valid; iteration, if ever needed, is in name order.
template <typename T>
class QueueTable {
public:
    // The entry of the queue `op` names (TraceOp::queue), made if new. The
    // memo's test is inlined into each caller, the map's look-up is not.
    [[gnu::always_inline]] T& operator[](const TraceOp& op)
    {
        const QueueKey key = QueueKey::of(op);
        if (last_ && key == last_key_)
            return *last_;
        return look_up(op, key);
    }

private:
    [[gnu::noinline]] T& look_up(const TraceOp& op, const QueueKey& key)
    {
        last_ = &entries_[op.queue];
        last_key_ = key;
        return *last_;
    }

    std::map<std::string, T> entries_;
    T* last_ = nullptr;  // the entry operator[] found last, of queue last_key_
    QueueKey last_key_;
};

}  // namespace smmusim
