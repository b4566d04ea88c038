// SPDX-License-Identifier: GPL-2.0-only
// The kernel log (printk records with level and simulated time, printed as
// `dmesg` prints them) and the recorded failures (WARN, BUG, panic, trap,
// bus error, sleeping while atomic, hang, soft lockup, end of time): what a
// test or a trace operation judges the kernel code by.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>

namespace smmusim::kshim {

struct LogRecord {
    int level;         // 0 (KERN_EMERG) .. 7 (KERN_DEBUG)
    uint64_t time_ns;  // simulated
    std::string text;  // without the trailing newline
};

struct Failure {
    std::string kind;  // WARN, BUG, panic, trap, bus-error, atomic-sleep, hang, ...
    std::string message;
    uint64_t time_ns;
};

class Klog {
public:
    // echo: also print each record and failure on stderr as it comes.
    explicit Klog(bool echo) : echo_(echo) {}

    // One record per printk (pr_cont() pieces become records of their own).
    void add(int level, std::string text);
    void fail(std::string kind, std::string msg);

    const std::vector<LogRecord>& records() const { return log_; }
    const std::vector<Failure>& failures() const { return failures_; }
    // Messages at KERN_WARNING or more severe.
    unsigned warnings() const { return warnings_; }
    bool contains(std::string_view text) const;
    // As `dmesg` prints it: "[    0.000123] message".
    std::string dmesg() const;
    static std::string dmesg_line(const LogRecord& r);
    std::string failures_text() const;

private:
    bool echo_;
    std::vector<LogRecord> log_;
    unsigned warnings_ = 0;
    std::vector<Failure> failures_;
};

// Simulated time, in ns (what log records and failures are stamped with).
uint64_t now_ns();
// A simulated time in ns, rounded as now_ns() rounds it.
uint64_t ns_at(const sc_core::sc_time& t);

}  // namespace smmusim::kshim
