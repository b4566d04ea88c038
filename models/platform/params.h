// SPDX-License-Identifier: GPL-2.0-only
// Parameters: every timing and sizing figure of every model is declared once,
// with its name, default, unit, one-line description and the source of the
// default. Values come from the defaults, then a TOML config file, then
// `--set key=value`; a key nobody declared is an error.
//
// Models declare their parameters with an X-macro list (see
// models/smmuv3/smmuv3_params.h) that expands into a plain struct, its
// declarations and its loader, so a figure is written in exactly one place.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace smmusim {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class ParamKind { U64, F64, Bool, Str };

struct ParamDecl {
    std::string name;
    ParamKind kind;
    std::string def;     // default, as text
    std::string unit;
    std::string desc;
    std::string source;  // where the default comes from
    uint64_t min = 0;    // inclusive bounds for U64
    uint64_t max = UINT64_MAX;
};

class Config {
public:
    void declare(const ParamDecl& d);
    bool declared(const std::string& name) const { return params_.count(name) != 0; }
    // A key that existed once and was replaced: setting it is an error that
    // says what replaced it (`note`), not "unknown parameter".
    void retire(const std::string& name, const std::string& note) { retired_[name] = note; }

    // Set a declared parameter from text; `origin` names where it came from
    // (file:line or "--set") and appears in every error message.
    void set(const std::string& name, const std::string& value, const std::string& origin);
    // Parses "key=value".
    void set_assignment(const std::string& assignment, const std::string& origin);
    // Several "key=value" (e.g. every --set): a key given twice is an error
    // naming it, as a trace refuses a field given twice.
    void set_assignments(const std::vector<std::string>& assignments, const std::string& origin);
    // Loads a TOML file: [section] tables flatten to "section.key".
    void load_file(const std::string& path);

    uint64_t u64(const std::string& name) const;
    double f64(const std::string& name) const;
    bool flag(const std::string& name) const;
    const std::string& str(const std::string& name) const;

    template <typename T> T get(const std::string& name) const;

    const ParamDecl& decl(const std::string& name) const;
    std::vector<std::string> names() const;
    // Every parameter with its resolved value, unit and where the value came from.
    nlohmann::json resolved() const;
    // Human-readable listing (`smmusim params`).
    std::string describe() const;
    // The defaults as Markdown tables, one per model, with the count of
    // assumed ones (`smmusim params --markdown`, docs/timing.md):
    // params_markdown.cc.
    std::string markdown() const;

private:
    struct Entry {
        ParamDecl decl;
        std::string value;
        std::string origin;
    };
    const Entry& entry(const std::string& name, ParamKind want) const;
    static void check_value(const ParamDecl& d, const std::string& value, const std::string& origin);

    std::map<std::string, Entry> params_;
    std::map<std::string, std::string> retired_;
};

template <> inline uint64_t Config::get<uint64_t>(const std::string& n) const { return u64(n); }
template <> inline uint32_t Config::get<uint32_t>(const std::string& n) const { return static_cast<uint32_t>(u64(n)); }
template <> inline double Config::get<double>(const std::string& n) const { return f64(n); }
template <> inline bool Config::get<bool>(const std::string& n) const { return flag(n); }
template <> inline std::string Config::get<std::string>(const std::string& n) const { return str(n); }

template <typename T> struct ParamKindOf;
template <> struct ParamKindOf<uint64_t> { static constexpr ParamKind kind = ParamKind::U64; };
template <> struct ParamKindOf<uint32_t> { static constexpr ParamKind kind = ParamKind::U64; };
template <> struct ParamKindOf<double> { static constexpr ParamKind kind = ParamKind::F64; };
template <> struct ParamKindOf<bool> { static constexpr ParamKind kind = ParamKind::Bool; };

// The one rule for numbers, shared by traces, `--set` and TOML strings:
// decimal, or hexadecimal after 0x / 0X; no sign, no spaces, and a leading
// 0 is still decimal (never octal). False if `s` is not such a number or
// does not fit in 64 bits.
bool parse_number(const std::string& s, uint64_t& out);

std::string param_default_text(uint64_t v);
std::string param_default_text(double v);
std::string param_default_text(bool v);

// A parameter given in C++ (not through a Config, which checks it when it is
// set) lies within its declared range: ConfigError naming the key if not.
[[noreturn]] void param_out_of_range(const char* key, const std::string& v, const std::string& lo,
                                     const std::string& hi);
template <class T> void check_param_range(const char* key, T v, T lo, T hi)
{
    if constexpr (std::is_floating_point_v<T>) {
        if (!(v >= lo && v <= hi))  // NaN too
            param_out_of_range(key, param_default_text(double(v)), param_default_text(double(lo)),
                               param_default_text(double(hi)));
    } else if constexpr (!std::is_same_v<T, bool>) {
        if (v < lo || v > hi)
            param_out_of_range(key, std::to_string(uint64_t(v)), std::to_string(uint64_t(lo)),
                               std::to_string(uint64_t(hi)));
    }
}

}  // namespace smmusim

// Expands a parameter list X(type, field, "key", default, min, max, "unit",
// "description", "source") into a struct with typed fields, a static
// declare(Config&), a static load(const Config&) and check_ranges() (for
// parameters set in C++ by a platform that builds the models itself).
#define SMMUSIM_PARAM_FIELD(type, field, key, def, lo, hi, unit, desc, source) type field = def;
#define SMMUSIM_PARAM_DECLARE(type, field, key, def, lo, hi, unit, desc, source)                 \
    cfg.declare(::smmusim::ParamDecl{key, ::smmusim::ParamKindOf<type>::kind,                     \
                                     ::smmusim::param_default_text(static_cast<type>(def)), unit, \
                                     desc, source, static_cast<uint64_t>(lo),                     \
                                     static_cast<uint64_t>(hi)});
#define SMMUSIM_PARAM_LOAD(type, field, key, def, lo, hi, unit, desc, source) p.field = cfg.get<type>(key);
#define SMMUSIM_PARAM_CHECK(type, field, key, def, lo, hi, unit, desc, source)                     \
    ::smmusim::check_param_range<type>(key, field, static_cast<type>(lo), static_cast<type>(hi));

#define SMMUSIM_PARAM_STRUCT(Name, LIST)                                     \
    struct Name {                                                            \
        LIST(SMMUSIM_PARAM_FIELD)                                            \
        static void declare(::smmusim::Config& cfg) { LIST(SMMUSIM_PARAM_DECLARE) } \
        static Name load(const ::smmusim::Config& cfg)                       \
        {                                                                    \
            Name p;                                                          \
            LIST(SMMUSIM_PARAM_LOAD)                                         \
            return p;                                                        \
        }                                                                    \
        /* every field within its declared range (ConfigError if not) */    \
        void check_ranges() const { LIST(SMMUSIM_PARAM_CHECK) }              \
    }
