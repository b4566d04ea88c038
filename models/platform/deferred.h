// SPDX-License-Identifier: GPL-2.0-only
// Runs callbacks at a later simulated time, in time order (ties in the order
// they were scheduled). Models use it for register handshakes (an enable bit
// whose STATUS follows N cycles later) without one process per register.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <utility>

#include <systemc>

namespace smmusim {

class Deferred {
public:
    explicit Deferred(const char* name)
    {
        sc_core::sc_spawn_options opts;
        opts.spawn_method();
        opts.set_sensitivity(&ev_);
        opts.dont_initialize();
        sc_core::sc_spawn([this] { fire(); }, sc_core::sc_gen_unique_name(name), &opts);
    }

    void at(const sc_core::sc_time& delay, std::function<void()> fn)
    {
        const sc_core::sc_time when = sc_core::sc_time_stamp() + delay;
        pending_.emplace(std::make_pair(when, seq_++), std::move(fn));
        ev_.notify(pending_.begin()->first.first - sc_core::sc_time_stamp());
    }

private:
    void fire()
    {
        const sc_core::sc_time now = sc_core::sc_time_stamp();
        while (!pending_.empty() && pending_.begin()->first.first <= now) {
            auto fn = std::move(pending_.begin()->second);
            pending_.erase(pending_.begin());
            fn();
        }
        if (!pending_.empty())
            ev_.notify(pending_.begin()->first.first - now);
    }

    sc_core::sc_event ev_;
    std::map<std::pair<sc_core::sc_time, uint64_t>, std::function<void()>> pending_;
    uint64_t seq_ = 0;
};

}  // namespace smmusim
