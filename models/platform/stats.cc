// SPDX-License-Identifier: GPL-2.0-only
#include "stats.h"

#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace smmusim {

namespace {
constexpr unsigned kExact = 256;   // values below are their own bucket
constexpr unsigned kSubBits = 7;   // 128 sub-buckets per power of two
}  // namespace

unsigned Histogram::bucket_of(uint64_t v)
{
    if (v < kExact)
        return static_cast<unsigned>(v);
    unsigned e = 63u - static_cast<unsigned>(__builtin_clzll(v));  // >= 8
    unsigned sub = static_cast<unsigned>((v >> (e - kSubBits)) & ((1u << kSubBits) - 1));
    return kExact + (e - 8) * (1u << kSubBits) + sub;
}

uint64_t Histogram::bucket_floor(unsigned b)
{
    if (b < kExact)
        return b;
    unsigned e = (b - kExact) / (1u << kSubBits) + 8;
    unsigned sub = (b - kExact) % (1u << kSubBits);
    return (1ull << e) | (static_cast<uint64_t>(sub) << (e - kSubBits));
}

void Histogram::add(uint64_t v)
{
    unsigned b = bucket_of(v);
    if (b >= buckets_.size())
        buckets_.resize(b + 1, 0);
    buckets_[b]++;
    count_++;
    sum_ += v;
    if (v < min_)
        min_ = v;
    if (v > max_)
        max_ = v;
}

uint64_t Histogram::percentile(double p) const
{
    if (!count_)
        return 0;
    // Nearest-rank definition: the smallest value with at least p% at or below it.
    uint64_t rank = static_cast<uint64_t>(p / 100.0 * static_cast<double>(count_) + 0.999999999);
    if (rank < 1)
        rank = 1;
    if (rank > count_)
        rank = count_;
    uint64_t seen = 0;
    for (unsigned b = 0; b < buckets_.size(); b++) {
        seen += buckets_[b];
        if (seen >= rank) {
            uint64_t v = bucket_floor(b);
            return v < min_ ? min_ : v;
        }
    }
    return max_;
}

nlohmann::json Histogram::to_json() const
{
    return {{"count", count_}, {"min", min()}, {"p50", percentile(50)}, {"p99", percentile(99)},
            {"max", max()},    {"mean", mean()}};
}

Counter& StatGroup::counter(const std::string& name, const std::string& desc)
{
    auto& e = entries_[name];
    if (e.hist)
        throw std::logic_error("statistic " + name_ + "." + name + " is a histogram");
    if (!e.counter) {
        e.counter = std::make_unique<Counter>();
        e.desc = desc;
    }
    return *e.counter;
}

Histogram& StatGroup::histogram(const std::string& name, const std::string& desc)
{
    auto& e = entries_[name];
    if (e.counter)
        throw std::logic_error("statistic " + name_ + "." + name + " is a counter");
    if (!e.hist) {
        e.hist = std::make_unique<Histogram>();
        e.desc = desc;
    }
    return *e.hist;
}

const Counter* StatGroup::find_counter(const std::string& name) const
{
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : it->second.counter.get();
}

const Histogram* StatGroup::find_histogram(const std::string& name) const
{
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : it->second.hist.get();
}

uint64_t StatGroup::value(const std::string& name) const
{
    const Counter* c = find_counter(name);
    if (!c)
        throw std::out_of_range("no counter " + name_ + "." + name);
    return c->value();
}

nlohmann::json StatGroup::to_json() const
{
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, e] : entries_)
        j[k] = e.counter ? nlohmann::json(e.counter->value()) : e.hist->to_json();
    return j;
}

std::string StatGroup::table() const
{
    std::ostringstream os;
    for (const auto& [k, e] : entries_) {
        std::string v = e.counter ? std::to_string(e.counter->value())
                                  : fmt::format("n={} min={} p50={} p99={} max={}", e.hist->count(), e.hist->min(),
                                                e.hist->percentile(50), e.hist->percentile(99), e.hist->max());
        os << fmt::format("  {:<36} {:>12}  {}\n", name_ + "." + k, v, e.desc);
    }
    return os.str();
}

}  // namespace smmusim
