// SPDX-License-Identifier: GPL-2.0-only
#include "params.h"

#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

namespace smmusim {

namespace {

// A key or value of a TOML file as a message shows it: a control byte
// (a NUL from "\u0000" among them, which would end the message) as \xNN.
std::string visible(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f)
            out += fmt::format("\\x{:02x}", u);
        else
            out += c;
    }
    return out;
}

const char* kind_name(ParamKind k)
{
    switch (k) {
    case ParamKind::U64: return "integer";
    case ParamKind::F64: return "number";
    case ParamKind::Bool: return "boolean";
    case ParamKind::Str: return "string";
    }
    return "?";
}

// How a value of that kind is written, in TOML or in --set.
const char* kind_example(ParamKind k)
{
    switch (k) {
    case ParamKind::U64: return "a whole number, e.g. 1000 or 0x1000";
    case ParamKind::F64: return "a number, e.g. 2.5";
    case ParamKind::Bool: return "true or false";
    case ParamKind::Str: return "a string in quotes";
    }
    return "?";
}

bool parse_u64(const std::string& s, uint64_t& out) { return parse_number(s, out); }

bool parse_f64(const std::string& s, double& out)
{
    // A finite decimal number (strtod alone also takes "nan", "inf" and
    // hexadecimal floating point).
    if (s.empty() || s.find_first_not_of("0123456789.eE+-") != std::string::npos)
        return false;
    errno = 0;
    char* end = nullptr;
    out = strtod(s.c_str(), &end);
    return !errno && !*end && std::isfinite(out);
}

bool parse_bool(const std::string& s, bool& out)
{
    if (s == "true" || s == "1") {
        out = true;
        return true;
    }
    if (s == "false" || s == "0") {
        out = false;
        return true;
    }
    return false;
}

bool is_hex_text(const std::string& s) { return s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'); }

// Decimal digits, or 0x and hex digits: a NUMBER, whatever its size.
bool is_number_text(const std::string& s)
{
    const bool hex = is_hex_text(s);
    const size_t from = hex ? 2 : 0;
    return s.size() > from &&
           s.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789", from) == std::string::npos;
}

}  // namespace

bool parse_number(const std::string& s, uint64_t& out)
{
    // strtoull alone would also take signs, spaces and octal for a leading 0.
    if (!is_number_text(s))
        return false;
    const bool hex = is_hex_text(s);
    const std::string digits = hex ? s.substr(2) : s;
    errno = 0;
    char* end = nullptr;
    const unsigned long long v = strtoull(digits.c_str(), &end, hex ? 16 : 10);
    if (errno || *end)
        return false;
    out = v;
    return true;
}

std::string param_default_text(uint64_t v) { return std::to_string(v); }
std::string param_default_text(double v) { return fmt::format("{}", v); }
std::string param_default_text(bool v) { return v ? "true" : "false"; }

void Config::declare(const ParamDecl& d)
{
    if (params_.count(d.name))
        throw ConfigError(fmt::format("parameter '{}' declared twice", d.name));
    check_value(d, d.def, "default of " + d.name);
    params_.emplace(d.name, Entry{d, d.def, "default"});
}

void param_out_of_range(const char* key, const std::string& v, const std::string& lo, const std::string& hi)
{
    throw ConfigError(fmt::format("{} = {} is out of range [{}, {}]", key, v, lo, hi));
}

void Config::check_value(const ParamDecl& d, const std::string& value, const std::string& origin)
{
    bool ok = false;
    switch (d.kind) {
    case ParamKind::U64: {
        uint64_t v;
        ok = parse_u64(value, v);
        // A signed number is an integer too: a negative one is out of range,
        // not "expects integer"; a sign on a number that is not negative
        // (+1000, -0) is said as such, whatever the range.
        const bool is_signed = value.size() > 1 && (value[0] == '-' || value[0] == '+') &&
                               value.find_first_not_of("0123456789", 1) == std::string::npos;
        const bool negative = is_signed && value[0] == '-' && value.find_first_not_of('0', 1) != std::string::npos;
        if (is_signed && !negative)
            throw ConfigError(fmt::format("{}: {} = {} has a sign, which an integer parameter does not take (write "
                                          "{}; the range is [{}, {}])",
                                          origin, d.name, value, value.substr(1), d.min, d.max));
        if (negative || (ok && (v < d.min || v > d.max)))
            throw ConfigError(fmt::format("{}: {} = {} is out of range [{}, {}]", origin, d.name, value,
                                          d.min, d.max));
        // A number of more than 64 bits is a number too: say that, as the
        // trace's numbers do (lexer.cc).
        if (!ok && is_number_text(value))
            throw ConfigError(fmt::format("{}: {} = {} does not fit in 64 bits (at most 0xffffffffffffffff; the "
                                          "range is [{}, {}])",
                                          origin, d.name, value, d.min, d.max));
        break;
    }
    case ParamKind::F64: {
        double v;
        ok = parse_f64(value, v);
        // Checked here, whatever the run uses (a figure of the kernel's
        // CPU is read only with kernel-level operations).
        // ParamDecl holds the bounds as whole numbers (those of every
        // F64 parameter are: 0 and 1000).
        if (ok && !(v >= double(d.min) && v <= double(d.max)))
            throw ConfigError(fmt::format("{}: {} = {} is out of range [{}, {}]", origin, d.name, value, d.min,
                                          d.max));
        break;
    }
    case ParamKind::Bool: {
        bool v;
        ok = parse_bool(value, v);
        break;
    }
    case ParamKind::Str: ok = true; break;
    }
    if (!ok)
        throw ConfigError(
            fmt::format("{}: {} expects {}, got '{}'", origin, d.name, kind_name(d.kind), visible(value)));
}

void Config::set(const std::string& name, const std::string& value, const std::string& origin)
{
    auto it = params_.find(name);
    if (it == params_.end() && retired_.count(name))
        throw ConfigError(fmt::format("{}: parameter '{}' no longer exists: {}", origin, name, retired_.at(name)));
    if (it == params_.end())
        throw ConfigError(
            fmt::format("{}: unknown parameter '{}' (`smmusim params` lists them)", origin, visible(name)));
    check_value(it->second.decl, value, origin);
    it->second.value = value;
    it->second.origin = origin;
}

void Config::set_assignment(const std::string& assignment, const std::string& origin)
{
    auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw ConfigError(fmt::format("{}: expected key=value, got '{}'", origin, assignment));
    const std::string key = assignment.substr(0, eq), value = assignment.substr(eq + 1);
    // "a.b=c=1" meant as the key "a.b=c": say where the key ended.
    if (!declared(key) && value.find('=') != std::string::npos)
        throw ConfigError(fmt::format("{}: unknown parameter '{}' in '{}': the key ends at the first '=' (no "
                                      "parameter's name has one; `smmusim params` lists them)",
                                      origin, key, assignment));
    set(key, value, origin);
}

void Config::set_assignments(const std::vector<std::string>& assignments, const std::string& origin)
{
    std::set<std::string> keys;
    for (const std::string& a : assignments) {
        const std::string key = a.substr(0, a.find('='));
        if (!key.empty() && !keys.insert(key).second)
            throw ConfigError(fmt::format("{} {}: '{}' is given twice", origin, a, key));
        set_assignment(a, origin);
    }
}

namespace {

// A TOML value no parameter type takes (an array, an array of tables, a
// date or time): what the key `d` (nullptr: no parameter) expects.
std::string unsupported_type(const std::string& key, const toml::node& node, const std::string& origin,
                             const ParamDecl* d)
{
    const char* what = node.is_array_of_tables() ? "an array of tables"
                       : node.is_array()         ? "an array"
                                                 : "a date or time";
    if (!d)
        return fmt::format("{}: {} is {}, which no parameter takes (parameters are numbers, strings and booleans; "
                           "`smmusim params` lists them)",
                           origin, visible(key), what);
    return fmt::format("{}: {} expects {} ({}), got {}", origin, key, kind_name(d->kind), kind_example(d->kind),
                       what);
}

}  // namespace

void Config::load_file(const std::string& path)
{
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        const auto& b = e.source().begin;
        throw ConfigError(fmt::format("{}:{}:{}: {}", path, b.line, b.column, e.description()));
    }
    // Flatten nested tables into dotted keys.
    std::vector<std::pair<std::string, const toml::table*>> todo{{"", &root}};
    while (!todo.empty()) {
        auto [prefix, tbl] = todo.back();
        todo.pop_back();
        for (auto&& [k, node] : *tbl) {
            std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
            const auto& src = node.source().begin;
            std::string origin = fmt::format("{}:{}:{}", path, src.line, src.column);
            if (const toml::table* sub = node.as_table()) {
                todo.emplace_back(key, sub);
                continue;
            }
            std::string text;
            if (auto v = node.value<int64_t>(); v && node.is_integer())
                text = std::to_string(*v);
            else if (auto b = node.value<bool>(); b && node.is_boolean())
                text = *b ? "true" : "false";
            else if (auto d = node.value<double>(); d && node.is_floating_point())
                text = fmt::format("{}", *d);
            else if (auto s = node.value<std::string>(); s && node.is_string())
                text = *s;
            else
                throw ConfigError(unsupported_type(key, node, origin, declared(key) ? &decl(key) : nullptr));
            set(key, text, origin);
        }
    }
}

const Config::Entry& Config::entry(const std::string& name, ParamKind want) const
{
    auto it = params_.find(name);
    if (it == params_.end())
        throw ConfigError(fmt::format("parameter '{}' was never declared", name));
    if (it->second.decl.kind != want)
        throw ConfigError(fmt::format("parameter '{}' is a {}, read as {}", name, kind_name(it->second.decl.kind),
                                      kind_name(want)));
    return it->second;
}

uint64_t Config::u64(const std::string& name) const
{
    uint64_t v = 0;
    parse_u64(entry(name, ParamKind::U64).value, v);
    return v;
}

double Config::f64(const std::string& name) const
{
    double v = 0;
    parse_f64(entry(name, ParamKind::F64).value, v);
    return v;
}

bool Config::flag(const std::string& name) const
{
    bool v = false;
    parse_bool(entry(name, ParamKind::Bool).value, v);
    return v;
}

const std::string& Config::str(const std::string& name) const { return entry(name, ParamKind::Str).value; }

const ParamDecl& Config::decl(const std::string& name) const
{
    auto it = params_.find(name);
    if (it == params_.end())
        throw ConfigError(fmt::format("parameter '{}' was never declared", name));
    return it->second.decl;
}

std::vector<std::string> Config::names() const
{
    std::vector<std::string> out;
    for (const auto& [k, e] : params_)
        out.push_back(k);
    return out;
}

nlohmann::json Config::resolved() const
{
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, e] : params_) {
        nlohmann::json v;
        switch (e.decl.kind) {
        case ParamKind::U64: v = u64(k); break;
        case ParamKind::F64: v = f64(k); break;
        case ParamKind::Bool: v = flag(k); break;
        case ParamKind::Str: v = e.value; break;
        }
        j[k] = {{"value", v}, {"unit", e.decl.unit}, {"origin", e.origin}};
    }
    return j;
}

std::string Config::describe() const
{
    std::ostringstream os;
    for (const auto& [k, e] : params_) {
        std::string v = e.value;
        if (e.decl.unit == "address")
            v = fmt::format("{:#x}", u64(k));
        os << fmt::format("{:<40} {:>12} {:<12} {}\n", k, v, e.decl.unit, e.decl.desc);
        os << fmt::format("{:<40} {:>12} {:<12}   source: {}\n", "", "", "", e.decl.source);
    }
    return os.str();
}

}  // namespace smmusim
