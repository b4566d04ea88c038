// SPDX-License-Identifier: GPL-2.0-only
// Statistics: named counters and latency histograms, grouped per model
// instance, each registered with a kind, a unit and a one-line description.
// Every group registers itself in the process's StatRegistry, so whatever
// reports statistics (the JSON of sim/report.h, the golden regression) walks
// the registry and a new counter appears there without editing the report.
#pragma once

#include <cstdint>
#include <functional>
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

// Latency histogram in bounded memory. count, min, max and mean are exact.
// Buckets: values below 256 are their own bucket; above, buckets are
// log-linear with 1/128 relative width. The first kExactSamples samples are
// also kept, so percentiles of up to that many samples are exact order
// statistics; past it they are the lowest value of the bucket holding the
// requested rank (within 0.8 % below the exact answer), clamped to
// [min, max]. Percentiles use the nearest-rank definition: the p-th
// percentile of n samples is the ceil(p/100 * n)-th smallest (at least the
// first), so p100 is max and no percentile lies outside [min, max].
class Histogram {
public:
    static constexpr size_t kExactSamples = 1024;

    struct Bucket {
        uint64_t lo, hi;  // inclusive bounds
        uint64_t count;
    };

    // Inline: the command and translation paths add several samples each.
    void add(uint64_t v)
    {
        const unsigned b = bucket_of(v);
        if (b >= buckets_.size())
            grow(b);
        buckets_[b]++;
        if (samples_.size() < kExactSamples)
            samples_.push_back(v);
        count_++;
        sum_ += v;
        if (v < min_)
            min_ = v;
        if (v > max_)
            max_ = v;
    }
    // Back to no samples.
    void reset() { *this = Histogram(); }
    // Takes in `earlier`'s samples as if they had been added before this
    // histogram's own: the result is, figure for figure, the histogram that
    // saw both in that order (the kept samples are the first kExactSamples
    // of the two together).
    void merge_earlier(const Histogram& earlier);
    uint64_t count() const { return count_; }
    uint64_t min() const { return count_ ? min_ : 0; }
    uint64_t max() const { return max_; }
    double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
    uint64_t percentile(double p) const;  // p in (0, 100]
    // The percentiles are exact order statistics (every sample is kept).
    bool exact() const { return count_ <= kExactSamples; }
    // The non-empty buckets, lowest first.
    std::vector<Bucket> buckets() const;
    // count, min, max, mean, p50/p90/p99 and whether they are exact.
    nlohmann::json summary_json() const;
    // summary_json() plus the buckets ([{lo, hi, count}], for plotting).
    nlohmann::json to_json() const;

    static unsigned bucket_of(uint64_t v)
    {
        if (v < kExact)
            return static_cast<unsigned>(v);
        const unsigned e = 63u - static_cast<unsigned>(__builtin_clzll(v));  // >= 8
        const unsigned sub = static_cast<unsigned>((v >> (e - kSubBits)) & ((1u << kSubBits) - 1));
        return kExact + (e - 8) * (1u << kSubBits) + sub;
    }
    static uint64_t bucket_floor(unsigned b);
    static uint64_t bucket_ceiling(unsigned b);  // highest value of bucket b

private:
    static constexpr unsigned kExact = 256;  // values below are their own bucket
    static constexpr unsigned kSubBits = 7;  // 128 sub-buckets per power of two
    // The bucket of UINT64_MAX: the last one.
    static constexpr unsigned kLastBucket = kExact + (63 - 8) * (1u << kSubBits) + (1u << kSubBits) - 1;

    void grow(unsigned b);  // buckets_ up to bucket b

    std::vector<uint64_t> buckets_;
    std::vector<uint64_t> samples_;  // the first kExactSamples values
    uint64_t count_ = 0;
    uint64_t min_ = UINT64_MAX;
    uint64_t max_ = 0;
    unsigned __int128 sum_ = 0;
};

// One registered statistic, as a reporter sees it.
struct StatInfo {
    std::string name;  // "<group>.<statistic>", e.g. soc.smmu.cmdq.consumed
    enum class Kind { Counter, Histogram } kind;
    std::string unit;
    std::string description;
    const Counter* counter = nullptr;      // set for Kind::Counter
    const Histogram* histogram = nullptr;  // set for Kind::Histogram

    const char* kind_name() const { return kind == Kind::Counter ? "counter" : "histogram"; }
    // {"kind", "unit", "description", "value"} or the histogram's to_json()
    // with "kind", "unit", "description" added.
    nlohmann::json to_json() const;
    // The figures alone: a counter's value, a histogram's to_json().
    nlohmann::json figures() const;
};

class StatGroup {
public:
    // Registers the group in StatRegistry::global(); names are unique.
    explicit StatGroup(std::string name);
    ~StatGroup();
    StatGroup(const StatGroup&) = delete;
    StatGroup& operator=(const StatGroup&) = delete;

    const std::string& name() const { return name_; }

    // `unit` empty: taken from the name, see default_unit().
    Counter& counter(const std::string& name, const std::string& desc, const std::string& unit = {});
    Histogram& histogram(const std::string& name, const std::string& desc, const std::string& unit = {});

    const Counter* find_counter(const std::string& name) const;
    const Histogram* find_histogram(const std::string& name) const;
    uint64_t value(const std::string& counter_name) const;

    // Every statistic of the group, in name order.
    void for_each(const std::function<void(const StatInfo&)>& fn) const;
    // A region of interest (StatRegistry::begin_region): set_aside() moves
    // every statistic's figures aside and starts it again from zero;
    // take_back() adds the figures set aside to those counted since, so
    // each statistic holds what it would have held without the region.
    void set_aside();
    void take_back();
    // {"<statistic>": figures} (counter values, histogram summaries).
    nlohmann::json to_json() const;
    // Every statistic of the group into the object `out`, as
    // StatRegistry::to_json() has it: "<group>.<statistic>": StatInfo::to_json().
    void add_json(nlohmann::json& out) const;
    // "name  value  description" lines, aligned.
    std::string table() const;

    // A name ending in "cycles" counts cycles, "bytes" bytes; any other
    // counter counts events ("count").
    static std::string default_unit(const std::string& name);

private:
    struct Entry {
        std::string desc;
        std::string unit;
        std::unique_ptr<Counter> counter;
        std::unique_ptr<Histogram> hist;
        // The figures set_aside() moved aside (zero when there are none).
        Counter counter_before;
        Histogram hist_before;
    };
    std::string name_;
    std::map<std::string, Entry> entries_;
};

// The statistic groups alive in this process (SystemC runs one simulation
// per process, so this is the simulation's). Walked in name order, so
// reports are deterministic.
class StatRegistry {
public:
    static StatRegistry& global();

    void add(StatGroup* g);  // throws std::logic_error on a duplicate name
    void remove(const StatGroup* g);
    const StatGroup* find(const std::string& name) const;
    // Every statistic of every group, in name order.
    void for_each(const std::function<void(const StatInfo&)>& fn) const;
    // {"<group>.<statistic>": StatInfo::to_json()} for every statistic.
    nlohmann::json to_json() const;

    // The region of interest of a run (a trace's `roi begin` / `roi end`,
    // traces/FORMAT.md): begin_region() sets every group's figures aside
    // and restarts them from zero, so what is counted until end_region()
    // is the region's alone; end_region() returns those figures (as
    // to_json()) and adds the set-aside ones back, so afterwards every
    // statistic holds the whole run's figures, exactly as without a region.
    // A group made inside the region counts from its making; a group
    // destroyed inside it takes its figures with it. One region at a time
    // (std::logic_error otherwise).
    void begin_region();
    nlohmann::json end_region();
    bool in_region() const { return in_region_; }

private:
    std::map<std::string, StatGroup*> groups_;
    bool in_region_ = false;
};

}  // namespace smmusim
