// SPDX-License-Identifier: GPL-2.0-only
// Statistics: named counters and latency histograms, grouped per model
// instance, each with a one-line description. Written as JSON for machines
// and as an aligned table for people (sim/).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace smmusim {

class Counter {
public:
    Counter& operator++(int) { ++v_; return *this; }
    Counter& operator+=(uint64_t n) { v_ += n; return *this; }
    uint64_t value() const { return v_; }
    void reset() { v_ = 0; }

private:
    uint64_t v_ = 0;
};

// Latency histogram in bounded memory: values below 256 are kept exactly;
// above, buckets are log-linear with 1/128 relative width, so a percentile is
// exact to within 0.8 %. min, max, mean and count are exact. Percentiles
// report the lowest value of the bucket that holds the requested rank, which
// is deterministic.
class Histogram {
public:
    void add(uint64_t v);
    uint64_t count() const { return count_; }
    uint64_t min() const { return count_ ? min_ : 0; }
    uint64_t max() const { return max_; }
    double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
    uint64_t percentile(double p) const;  // p in (0, 100]
    nlohmann::json to_json() const;

    static unsigned bucket_of(uint64_t v);
    static uint64_t bucket_floor(unsigned b);

private:
    std::vector<uint64_t> buckets_;
    uint64_t count_ = 0;
    uint64_t min_ = UINT64_MAX;
    uint64_t max_ = 0;
    unsigned __int128 sum_ = 0;
};

class StatGroup {
public:
    explicit StatGroup(std::string name) : name_(std::move(name)) {}
    const std::string& name() const { return name_; }

    Counter& counter(const std::string& name, const std::string& desc);
    Histogram& histogram(const std::string& name, const std::string& desc);

    const Counter* find_counter(const std::string& name) const;
    const Histogram* find_histogram(const std::string& name) const;
    uint64_t value(const std::string& counter_name) const;

    nlohmann::json to_json() const;
    // "name  value  description" lines, aligned.
    std::string table() const;

private:
    struct Entry {
        std::string desc;
        std::unique_ptr<Counter> counter;
        std::unique_ptr<Histogram> hist;
    };
    std::string name_;
    std::map<std::string, Entry> entries_;
};

}  // namespace smmusim
