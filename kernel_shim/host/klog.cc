// SPDX-License-Identifier: GPL-2.0-only
#include "klog.h"

#include <cstdio>

#include <fmt/format.h>
#include <systemc>

#include "platform/clock.h"  // time_stamp

namespace smmusim::kshim {

namespace {
constexpr int kLevelWarning = 4;  // KERN_WARNING
}

uint64_t ns_at(const sc_core::sc_time& t) { return static_cast<uint64_t>(t.to_seconds() * 1e9 + 0.5); }
uint64_t now_ns() { return ns_at(time_stamp()); }

void Klog::add(int level, std::string text)
{
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    if (level <= kLevelWarning)
        warnings_++;
    log_.push_back(LogRecord{level, now_ns(), std::move(text)});
    if (echo_)
        fprintf(stderr, "%s", dmesg_line(log_.back()).c_str());
}

void Klog::fail(std::string kind, std::string msg)
{
    if (echo_)
        fprintf(stderr, "smmusim kernel shim: %s: %s\n", kind.c_str(), msg.c_str());
    failures_.push_back(Failure{std::move(kind), std::move(msg), now_ns()});
}

// util-linux dmesg's default format: "[%5lu.%06lu] " (seconds, microseconds).
std::string Klog::dmesg_line(const LogRecord& r)
{
    return fmt::format("[{:5d}.{:06d}] {}\n", r.time_ns / 1000000000, r.time_ns / 1000 % 1000000, r.text);
}

std::string Klog::dmesg() const
{
    std::string s;
    for (const auto& r : log_)
        s += dmesg_line(r);
    return s;
}

bool Klog::contains(std::string_view text) const
{
    for (const auto& r : log_)
        if (r.text.find(text) != std::string::npos)
            return true;
    return false;
}

std::string Klog::failures_text() const
{
    std::string s;
    for (const auto& f : failures_)
        s += fmt::format("{}: {} (at {} ns)\n", f.kind, f.message, f.time_ns);
    return s;
}

}  // namespace smmusim::kshim
