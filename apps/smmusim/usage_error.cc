// SPDX-License-Identifier: GPL-2.0-only
#include "usage_error.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "complain.h"

namespace smmusim {

namespace {

// The words of the command line a message may echo: each argument, the value
// after "--option=", and the items of a comma-separated list.
std::vector<std::string> argument_words(int argc, char** argv)
{
    std::vector<std::string> words;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        words.push_back(a);
        const size_t eq = a.find('=');
        const std::string value = a.rfind("--", 0) == 0 && eq != std::string::npos ? a.substr(eq + 1) : a;
        if (value != a)
            words.push_back(value);
        if (value.find(',') == std::string::npos)
            continue;
        for (size_t pos = 0;;) {
            const size_t comma = value.find(',', pos);
            words.push_back(value.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
            if (comma == std::string::npos)
                break;
            pos = comma + 1;
        }
    }
    return words;
}

// `text` with each long command-line word it holds (not already quoted)
// between single quotes, the longest first.
std::string quote_long_words(std::string text, int argc, char** argv)
{
    std::vector<std::string> words = argument_words(argc, argv);
    std::sort(words.begin(), words.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    for (const std::string& w : words) {
        if (w.size() <= kLongWord || w.find_first_of(" \t'") != std::string::npos)
            continue;
        for (size_t at = text.find(w); at != std::string::npos; at = text.find(w, at)) {
            const bool quoted = at > 0 && text[at - 1] == '\'' && at + w.size() < text.size() &&
                                text[at + w.size()] == '\'';
            if (quoted) {
                at += w.size();
                continue;
            }
            text.replace(at, w.size(), "'" + w + "'");
            at += w.size() + 2;
        }
    }
    return text;
}

// The command the error belongs to: the first argument, if it names one.
std::string command_of(const CLI::App& app, int argc, char** argv)
{
    if (argc < 2)
        return "";
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        if (sub->check_name(argv[1]))
            return sub->get_name();
    return "";
}

// CLI11's "The following arguments were not expected: ..." lists them in
// reverse on some of its paths ("x.json --json" for `run --json x.json`)
// and names an unknown option as one more argument. The arguments as the
// command line has them, and an unknown option among them named first; ""
// if CLI11 kept no list to say it from.
std::string extras_message(const CLI::App& app, const std::string& command)
{
    const CLI::App* owner = command.empty() ? &app : app.get_subcommand(command);
    const std::vector<std::string> extras = owner->remaining(false);
    if (extras.empty())
        return "";
    std::string option, rest;
    for (const std::string& x : extras)
        if (option.empty() && x.size() > 1 && x[0] == '-')
            option = x;
        else
            rest += (rest.empty() ? "" : " ") + x;
    if (option.empty())
        return fmt::format("the following argument{} not expected: {}", extras.size() > 1 ? "s were" : " was", rest);
    const size_t eq = option.find('=');  // --name=value: the option is --name
    return fmt::format("unknown option '{}'{}{}", option.substr(0, eq),
                       eq == std::string::npos ? "" : fmt::format(" (in '{}')", option),
                       rest.empty() ? "" : "; also not expected: " + rest);
}

}  // namespace

std::string usage_error(const CLI::ParseError& e, const CLI::App& app, int argc, char** argv)
{
    const std::string command = command_of(app, argc, argv);
    std::string what = dynamic_cast<const CLI::ExtrasError*>(&e) ? extras_message(app, command) : "";
    if (what.empty())
        what = e.what();
    while (!what.empty() && (what.back() == '\n' || what.back() == ' '))
        what.pop_back();
    for (size_t nl; (nl = what.find('\n')) != std::string::npos;)
        what.replace(nl, 1, "; ");
    return fmt::format("{}{} (smmusim {}--help for more)", command.empty() ? "" : command + ": ",
                       quote_long_words(what, argc, argv), command.empty() ? "" : command + " ");
}

}  // namespace smmusim
