// SPDX-License-Identifier: GPL-2.0-only
#include "stats.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace smmusim {

namespace {

bool ends_with(const std::string& s, const char* suffix)
{
    const std::string t(suffix);
    return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
}
}  // namespace

uint64_t Histogram::bucket_floor(unsigned b)
{
    if (b < kExact)
        return b;
    unsigned e = (b - kExact) / (1u << kSubBits) + 8;
    unsigned sub = (b - kExact) % (1u << kSubBits);
    return (1ull << e) | (static_cast<uint64_t>(sub) << (e - kSubBits));
}

uint64_t Histogram::bucket_ceiling(unsigned b)
{
    return b >= kLastBucket ? UINT64_MAX : bucket_floor(b + 1) - 1;
}

void Histogram::grow(unsigned b) { buckets_.resize(b + 1, 0); }

void Histogram::merge_earlier(const Histogram& earlier)
{
    if (earlier.buckets_.size() > buckets_.size())
        buckets_.resize(earlier.buckets_.size(), 0);
    for (size_t b = 0; b < earlier.buckets_.size(); b++)
        buckets_[b] += earlier.buckets_[b];
    std::vector<uint64_t> kept = earlier.samples_;
    for (size_t i = 0; i < samples_.size() && kept.size() < kExactSamples; i++)
        kept.push_back(samples_[i]);
    samples_ = std::move(kept);
    count_ += earlier.count_;
    sum_ += earlier.sum_;
    min_ = std::min(min_, earlier.min_);
    max_ = std::max(max_, earlier.max_);
}

uint64_t Histogram::percentile(double p) const
{
    if (!count_)
        return 0;
    // Nearest rank: the ceil(p/100 * n)-th smallest sample. For an integer
    // p the quotient is exact when it is a whole number, so ceil() is too.
    const double r = std::ceil(p * static_cast<double>(count_) / 100.0);
    const uint64_t rank = r < 1 ? 1 : r >= static_cast<double>(count_) ? count_ : static_cast<uint64_t>(r);
    if (rank == count_)
        return max_;
    if (exact()) {
        std::vector<uint64_t> s = samples_;
        std::nth_element(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(rank - 1), s.end());
        return s[rank - 1];
    }
    uint64_t seen = 0;
    for (unsigned b = 0; b < buckets_.size(); b++) {
        seen += buckets_[b];
        if (seen >= rank)
            return std::clamp(bucket_floor(b), min_, max_);
    }
    return max_;
}

std::vector<Histogram::Bucket> Histogram::buckets() const
{
    std::vector<Bucket> out;
    for (unsigned b = 0; b < buckets_.size(); b++)
        if (buckets_[b])
            out.push_back({bucket_floor(b), bucket_ceiling(b), buckets_[b]});
    return out;
}

namespace {

using nlohmann::json;

// Members are added in key order with a hint at the object's end, which
// std::map takes without a search (a key out of order would still land in
// its place; a key already there takes the new value, as `j[key] = v`).
// The objects are those an initializer list makes, key for key.
template <class V>
void put(json::object_t& o, std::string key, V&& v)
{
    o.insert_or_assign(o.end(), std::move(key), json(std::forward<V>(v)));
}

json::object_t& object_of(json& j)
{
    if (!j.is_object())
        j = json::object();
    return *j.get_ptr<json::object_t*>();
}

// A histogram's figures (keys in order, as Histogram::to_json()), with its
// kind, unit and description when `info` is given (StatInfo::to_json()).
json histogram_json(const Histogram& h, bool buckets, const std::string* unit, const std::string* desc)
{
    json j = json::object();
    json::object_t& o = object_of(j);
    if (buckets) {
        json b = json::array();
        json::array_t& a = *b.get_ptr<json::array_t*>();
        for (const Histogram::Bucket& k : h.buckets()) {
            json e = json::object();
            json::object_t& eo = object_of(e);
            put(eo, "count", k.count);
            put(eo, "hi", k.hi);
            put(eo, "lo", k.lo);
            a.push_back(std::move(e));
        }
        put(o, "buckets", std::move(b));
    }
    put(o, "count", h.count());
    if (desc)
        put(o, "description", *desc);
    if (unit)
        put(o, "kind", "histogram");
    put(o, "max", h.max());
    put(o, "mean", h.mean());
    put(o, "min", h.min());
    put(o, "p50", h.percentile(50));
    put(o, "p90", h.percentile(90));
    put(o, "p99", h.percentile(99));
    put(o, "percentiles", h.exact() ? "exact" : "bucketed");
    if (unit)
        put(o, "unit", *unit);
    return j;
}

json counter_json(const Counter& c, const std::string& unit, const std::string& desc)
{
    json j = json::object();
    json::object_t& o = object_of(j);
    put(o, "description", desc);
    put(o, "kind", "counter");
    put(o, "unit", unit);
    put(o, "value", c.value());
    return j;
}

}  // namespace

nlohmann::json Histogram::summary_json() const
{
    return histogram_json(*this, false, nullptr, nullptr);
}

nlohmann::json Histogram::to_json() const
{
    return histogram_json(*this, true, nullptr, nullptr);
}

nlohmann::json StatInfo::figures() const
{
    return counter ? nlohmann::json(counter->value()) : histogram->to_json();
}

nlohmann::json StatInfo::to_json() const
{
    return counter ? counter_json(*counter, unit, description) : histogram_json(*histogram, true, &unit, &description);
}

StatGroup::StatGroup(std::string name) : name_(std::move(name))
{
    StatRegistry::global().add(this);
}

StatGroup::~StatGroup()
{
    StatRegistry::global().remove(this);
}

namespace {

// The statistic in `slot`, made on its first use, when `desc_out` and
// `unit_out` take its description and unit (`unit` empty: from its name).
template <class T>
T& made_once(std::unique_ptr<T>& slot, std::string& desc_out, std::string& unit_out, const std::string& name,
             const std::string& desc, const std::string& unit)
{
    if (!slot) {
        slot = std::make_unique<T>();
        desc_out = desc;
        unit_out = unit.empty() ? StatGroup::default_unit(name) : unit;
    }
    return *slot;
}

}  // namespace

std::string StatGroup::default_unit(const std::string& name)
{
    if (ends_with(name, "cycles"))
        return "cycles";
    if (ends_with(name, "bytes"))
        return "bytes";
    return "count";
}

Counter& StatGroup::counter(const std::string& name, const std::string& desc, const std::string& unit)
{
    auto& e = entries_[name];
    if (e.hist)
        throw std::logic_error("statistic " + name_ + "." + name + " is a histogram");
    return made_once(e.counter, e.desc, e.unit, name, desc, unit);
}

Histogram& StatGroup::histogram(const std::string& name, const std::string& desc, const std::string& unit)
{
    auto& e = entries_[name];
    if (e.counter)
        throw std::logic_error("statistic " + name_ + "." + name + " is a counter");
    return made_once(e.hist, e.desc, e.unit, name, desc, unit);
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

void StatGroup::for_each(const std::function<void(const StatInfo&)>& fn) const
{
    for (const auto& [k, e] : entries_) {
        StatInfo i{name_ + "." + k, e.counter ? StatInfo::Kind::Counter : StatInfo::Kind::Histogram, e.unit, e.desc,
                   e.counter.get(), e.hist.get()};
        fn(i);
    }
}

void StatGroup::set_aside()
{
    for (auto& [k, e] : entries_) {
        if (e.counter) {
            e.counter_before = *e.counter;
            e.counter->reset();
        } else {
            e.hist_before = *e.hist;
            e.hist->reset();
        }
    }
}

void StatGroup::take_back()
{
    for (auto& [k, e] : entries_) {
        if (e.counter) {
            *e.counter += e.counter_before.value();
            e.counter_before.reset();
        } else {
            e.hist->merge_earlier(e.hist_before);
            e.hist_before.reset();
        }
    }
}

void StatGroup::add_json(nlohmann::json& out) const
{
    json::object_t& o = object_of(out);
    for (const auto& [k, e] : entries_)
        put(o, (name_ + ".").append(k),
            e.counter ? counter_json(*e.counter, e.unit, e.desc) : histogram_json(*e.hist, true, &e.unit, &e.desc));
}

nlohmann::json StatGroup::to_json() const
{
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, e] : entries_)
        j[k] = e.counter ? nlohmann::json(e.counter->value()) : e.hist->summary_json();
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

StatRegistry& StatRegistry::global()
{
    // Never destroyed, so a group that outlives static destruction (a model
    // torn down by an exit handler) still finds it.
    static StatRegistry* r = new StatRegistry;
    return *r;
}

void StatRegistry::add(StatGroup* g)
{
    if (!groups_.emplace(g->name(), g).second)
        throw std::logic_error("statistics group " + g->name() + " is registered twice");
}

void StatRegistry::remove(const StatGroup* g)
{
    auto it = groups_.find(g->name());
    if (it != groups_.end() && it->second == g)
        groups_.erase(it);
}

const StatGroup* StatRegistry::find(const std::string& name) const
{
    auto it = groups_.find(name);
    return it == groups_.end() ? nullptr : it->second;
}

void StatRegistry::for_each(const std::function<void(const StatInfo&)>& fn) const
{
    for (const auto& [name, g] : groups_)
        g->for_each(fn);
}

nlohmann::json StatRegistry::to_json() const
{
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [name, g] : groups_)
        g->add_json(j);
    return j;
}

void StatRegistry::begin_region()
{
    if (in_region_)
        throw std::logic_error("statistics: a region of interest begins inside another");
    for (auto& [name, g] : groups_)
        g->set_aside();
    in_region_ = true;
}

nlohmann::json StatRegistry::end_region()
{
    if (!in_region_)
        throw std::logic_error("statistics: a region of interest ends without having begun");
    nlohmann::json j = to_json();
    for (auto& [name, g] : groups_)
        g->take_back();
    in_region_ = false;
    return j;
}

}  // namespace smmusim
